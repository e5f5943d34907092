/**
 * First run: /setup's action asks for the one-time code the server keeps next to its database;
 * a wrong code is refused with a reason and writes no account, wrong codes are throttled per
 * client address, and the right one creates the admin and spends the code.
 */
import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { createTestDb } from "../support/db";
import { form } from "../support/actions-matrix";
import { auditLog, user } from "@/db/schema";
import { clearSetupCode, ensureSetupCode, isSetupCode, newSetupCode, setupCodeFile } from "@/server/auth/setup-code";
import { setupCodeAllowed } from "@/lib/auth/setup-throttle";
import { PEER_HEADER, peerHeaderValue } from "@/lib/auth/client-address";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, set: () => undefined, getAll: () => [] }) }));

const g = globalThis as Record<string, unknown>;
let t: ReturnType<typeof createTestDb>;

beforeEach(() => {
  t = createTestDb();
  vi.stubEnv("DATABASE_URL", `file:${t.file}`);
  vi.stubEnv("BETTER_AUTH_SECRET", "setup-code-test-secret-0123456789abcdef");
  g.__deploySafetyDb = t.db;
  delete g.__deploySafetyAuth;
  delete g.__deploySafetyHasUsers;
});
afterEach(() => {
  delete g.__deploySafetyDb;
  delete g.__deploySafetyAuth;
  delete g.__deploySafetyHasUsers;
  vi.unstubAllEnvs();
  t.cleanup();
});

function from(ip: string) {
  request.headers = new Headers({ host: "localhost:4321", origin: "http://localhost:4321", [PEER_HEADER]: peerHeaderValue(ip) });
}

async function submit(code: string) {
  const { setupAction } = await import("@/app/setup/actions");
  try {
    return await setupAction(null, form({ code, name: "First Admin", email: "first@example.com", password: "first admin password", confirm: "first admin password" }));
  } catch (err) {
    if (isRedirectError(err)) return "redirected";
    throw err;
  }
}

describe("the setup code", () => {
  test("is 12 characters in three groups, kept in .setup-code (mode 0600) next to the database, the same on every read", () => {
    expect(newSetupCode()).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    const code = ensureSetupCode();
    const file = setupCodeFile()!;
    expect(fs.readFileSync(file, "utf8").trim()).toBe(code);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureSetupCode()).toBe(code);
    expect(isSetupCode(code.toLowerCase().replace(/-/g, " "))).toBe(true);
    expect(isSetupCode("AAAA-BBBB-CCCC")).toBe(false);
    clearSetupCode();
    expect(fs.existsSync(file)).toBe(false);
  });

  test("a wrong code is refused with a reason and creates no account; the right one creates the admin and spends the code", async () => {
    from("10.1.1.1");
    const code = ensureSetupCode();
    const wrong = await submit("AAAA-BBBB-CCCC");
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: [expect.stringContaining("That is not the setup code")] } });
    expect(t.db.select().from(user).all()).toHaveLength(0);
    expect(t.db.select().from(auditLog).all().map((r) => [r.action, r.ip])).toEqual([["auth.setup_code_failed", "10.1.1.1"]]);

    const missing = await submit("");
    expect(missing).toMatchObject({ ok: false, fieldErrors: { code: ["Enter the setup code from the server's output"] } });

    expect(await submit(code)).toBe("redirected");
    expect(t.db.select().from(user).all().map((u) => [u.email, u.role])).toEqual([["first@example.com", "admin"]]);
    expect(fs.existsSync(setupCodeFile()!)).toBe(false);
  });

  test("five wrong codes from one address stop that address (even with the right code) but not another", async () => {
    const code = ensureSetupCode();
    from("10.2.2.2");
    for (let i = 0; i < 5; i++) expect(await submit(`WRONG-CODE-${i}`)).toMatchObject({ ok: false });
    const blocked = await submit(code);
    expect(blocked).toMatchObject({ ok: false, message: expect.stringContaining("Too many wrong setup codes") });
    expect(t.db.select().from(user).all()).toHaveLength(0);
    from("10.3.3.3");
    expect(await submit(code)).toBe("redirected");
  });

  test("the limits: 5 per address and 30 in all per window", () => {
    expect(setupCodeAllowed({ fromIp: 4, total: 4 })).toBe(true);
    expect(setupCodeAllowed({ fromIp: 5, total: 5 })).toBe(false);
    expect(setupCodeAllowed({ fromIp: 0, total: 30 })).toBe(false);
  });
});
