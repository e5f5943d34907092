import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createTestDb } from "../support/db";
import { createApiToken, revokeApiToken } from "@/db/queries/tokens";
import { createAccount } from "@/server/auth/accounts";
import { withRole } from "@/server/auth/api";
import { getAuth } from "@/server/auth/instance";
import type { Actor } from "@/lib/auth/roles";
import { ValidationError } from "@/lib/api/errors";

const ORIGIN = "http://localhost:4321";
const g = globalThis as Record<string, unknown>;
let t: ReturnType<typeof createTestDb>;

beforeEach(() => {
  t = createTestDb();
  // The app's process-wide database and auth instance, pointed at this test's file.
  g.__deploySafetyDb = t.db;
  delete g.__deploySafetyAuth;
  delete g.__deploySafetyHasUsers;
});
afterEach(() => {
  delete g.__deploySafetyDb;
  delete g.__deploySafetyAuth;
  delete g.__deploySafetyHasUsers;
  t.cleanup();
});

const echo = withRole("editor", (_req, _ctx, actor: Actor) => Response.json({ actor }));

function req(method: string, headers: Record<string, string> = {}) {
  return new Request(`${ORIGIN}/api/thing`, { method, headers: { host: "localhost:4321", ...headers } });
}

async function sessionCookieFor(email: string, password: string): Promise<string> {
  const res = await getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": "10.9.9.9" },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.includes("session_token="))!.split(";")[0];
}

describe("withRole", () => {
  test("no identity → 401 JSON", async () => {
    const res = await echo(req("GET"), {});
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe("unauthorized");
  });

  test("bearer tokens: enough role → handler; too low → 403; revoked or bogus → 401", async () => {
    const editor = createApiToken(t.db, { name: "ed", role: "editor", createdBy: { label: "t" } }).token;
    const viewer = createApiToken(t.db, { name: "vi", role: "viewer", createdBy: { label: "t" } }).token;
    const ok = await echo(req("POST", { authorization: `Bearer ${editor}` }), {});
    expect(ok.status).toBe(200);
    expect((await ok.json()).actor).toMatchObject({ kind: "token", label: "token:ed", role: "editor" });
    expect((await echo(req("GET", { authorization: `Bearer ${viewer}` }), {})).status).toBe(403);
    revokeApiToken(t.db, { name: "ed" }, { label: "t" });
    expect((await echo(req("GET", { authorization: `Bearer ${editor}` }), {})).status).toBe(401);
    expect((await echo(req("GET", { authorization: "Bearer dst_nope" }), {})).status).toBe(401);
    expect((await echo(req("GET", { authorization: "Basic abc" }), {})).status).toBe(401);
  });

  test("session cookie: role from the user row; cross-site mutation refused, token mutation from anywhere allowed", async () => {
    await createAccount(getAuth(), t.db, { name: "E", email: "e@example.com", password: "long enough", role: "editor" }, { label: "t" });
    const cookie = await sessionCookieFor("e@example.com", "long enough");
    const same = await echo(req("POST", { cookie, origin: ORIGIN }), {});
    expect(same.status).toBe(200);
    expect((await same.json()).actor).toMatchObject({ kind: "user", label: "e@example.com", role: "editor" });
    expect((await echo(req("POST", { cookie, origin: "https://evil.example" }), {})).status).toBe(403);
    expect((await echo(req("POST", { cookie, "sec-fetch-site": "cross-site" }), {})).status).toBe(403);
    expect((await echo(req("GET", { cookie, "sec-fetch-site": "cross-site" }), {})).status).toBe(200);
    const token = createApiToken(t.db, { name: "ci", role: "admin", createdBy: { label: "t" } }).token;
    expect((await echo(req("POST", { authorization: `Bearer ${token}`, origin: "https://ci.example" }), {})).status).toBe(200);
  });

  test("thrown errors map through errorResponse; unexpected ones leak nothing", async () => {
    const token = createApiToken(t.db, { name: "ci", role: "admin", createdBy: { label: "t" } }).token;
    const invalid = withRole("viewer", () => {
      throw new ValidationError("bad", [{ field: "x", message: "nope" }]);
    });
    const res = await invalid(req("GET", { authorization: `Bearer ${token}` }), {});
    expect(res.status).toBe(422);
    expect((await res.json()).issues).toEqual([{ field: "x", message: "nope" }]);
    const boom = withRole("viewer", () => {
      throw new Error("SQLITE_ERROR: secret internals at /srv/db");
    });
    const res2 = await boom(req("GET", { authorization: `Bearer ${token}` }), {});
    expect(res2.status).toBe(500);
    expect(await res2.text()).not.toContain("internals");
  });
});
