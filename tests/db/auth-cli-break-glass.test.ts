/**
 * The break-glass admin from the command line: `user break-glass` makes (or creates) an active
 * admin with a password that still signs in when `user passwords off` has turned password
 * sign-in off for everyone else.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openMigratedDatabase } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { createAccount } from "@/server/auth/accounts";
import { createAuth } from "@/server/auth/better-auth";
import { getLocalPasswords } from "@/server/auth/sign-in-config";
import { PEER_HEADER, peerHeaderValue } from "@/lib/auth/client-address";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
let dir: string;
let dbUrl: string;

async function cli(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = exec(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/cli.ts", ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: dbUrl, BETTER_AUTH_SECRET: "" } });
  child.child.stdin?.end(stdin);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-break-glass-"));
  dbUrl = `file:${path.join(dir, "bg.sqlite")}`;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("passwords off needs a break-glass admin; the break-glass admin signs in with a password, an editor cannot", async () => {
  const refused = await cli(["user", "passwords", "off"]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain("set a break-glass admin first");

  const db = openMigratedDatabase(dbUrl);
  try {
    const auth = createAuth(db, { databaseUrl: dbUrl });
    await createAccount(auth, db, { name: "Ed", email: "ed@example.com", password: "editor password 1", role: "editor" }, { label: "test" });
    // An existing editor made break-glass becomes an admin with the new password.
    const bg = await cli(["user", "break-glass", "--email", "ed@example.com"], "break glass password 1\n");
    expect(bg.code, bg.stderr).toBe(0);
    expect(getUserByEmail(db, "ed@example.com")!.role).toBe("admin");
    await createAccount(auth, db, { name: "Vi", email: "vi@example.com", password: "viewer password 1", role: "viewer" }, { label: "test" });
    const off = await cli(["user", "passwords", "off"]);
    expect(off.code, off.stderr).toBe(0);
    expect(getLocalPasswords(db)).toEqual({ enabled: false, breakGlassUserId: getUserByEmail(db, "ed@example.com")!.id });

    const post = (email: string, password: string) =>
      auth.handler(new Request("http://127.0.0.1:4555/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json", origin: "http://127.0.0.1:4555", [PEER_HEADER]: peerHeaderValue("10.9.9.9") }, body: JSON.stringify({ email, password }) }));
    expect((await post("vi@example.com", "viewer password 1")).status).toBe(403);
    expect((await post("ed@example.com", "editor password 1")).status).toBe(401);
    expect((await post("ed@example.com", "break glass password 1")).status).toBe(200);

    expect((await cli(["user", "passwords", "on"])).code).toBe(0);
    expect((await post("vi@example.com", "viewer password 1")).status).toBe(200);
  } finally {
    db.$client.close();
  }
});
