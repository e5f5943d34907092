import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openMigratedDatabase, type Db } from "@/db/client";
import { verifyApiToken } from "@/db/queries/tokens";
import { getUserByEmail } from "@/db/queries/users";
import { createAuth } from "@/server/auth/better-auth";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
let dir: string;
let dbUrl: string;

/** Runs the real CLI the way a person would; never throws, returns what it printed. */
async function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = exec(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl, BETTER_AUTH_SECRET: "" },
  });
  child.child.stdin?.end(stdin ?? "");
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function open(): Db {
  return openMigratedDatabase(dbUrl);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-cli-"));
  dbUrl = `file:${path.join(dir, "cli.sqlite")}`;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("CLI: token", () => {
  test("create prints the token as its last line, and it verifies with the role given", async () => {
    const r = await cli(["token", "create", "--name", "ci", "--role", "editor"]);
    expect(r.code).toBe(0);
    const token = r.stdout.trim().split("\n").at(-1)!;
    expect(token).toMatch(/^dst_/);
    const db = open();
    try {
      expect(verifyApiToken(db, token)?.role).toBe("editor");
    } finally {
      db.$client.close();
    }
    const revoke = await cli(["token", "revoke", "--name", "ci"]);
    expect(revoke.code).toBe(0);
    const db2 = open();
    try {
      expect(verifyApiToken(db2, token)).toBeNull();
    } finally {
      db2.$client.close();
    }
  });

  test.each([
    [["token", "create", "--name", "x", "--role", "boss"], /--role/],
    [["token", "create", "--role", "viewer"], /--name/],
    [["token", "revoke", "--name", "nobody"], /no active token/],
    [["token", "frobnicate"], /unknown token subcommand/],
  ])("bad input %j → one line, non-zero exit", async (args, message) => {
    const r = await cli(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe("CLI: user", () => {
  test("create reads the password from standard input and the account can sign in with it", async () => {
    const r = await cli(["user", "create", "--email", "Lead@Example.com", "--role", "lead", "--name", "Lee"], "a long password\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("lead@example.com");
    expect(r.stdout + r.stderr).not.toContain("a long password");
    const db = open();
    try {
      expect(getUserByEmail(db, "lead@example.com")?.role).toBe("lead");
      const auth = createAuth(db, { databaseUrl: dbUrl });
      const res = await auth.api.signInEmail({ body: { email: "lead@example.com", password: "a long password" }, asResponse: true });
      expect(res.status).toBe(200);
    } finally {
      db.$client.close();
    }
    // The secret was generated once, next to the database, readable by the owner only.
    const stat = fs.statSync(path.join(dir, ".auth-secret"));
    expect(stat.mode & 0o077).toBe(0);
    const list = await cli(["user", "list"]);
    expect(list.stdout).toMatch(/lead@example\.com\tlead\tactive/);
  });

  test.each([
    [["user", "create", "--email", "a@example.com", "--role", "viewer"], "short\n", /at least 8/],
    [["user", "create", "--email", "not-an-email", "--role", "viewer"], "long enough pw\n", /--email/],
    [["user", "create", "--email", "b@example.com", "--role", "root"], "long enough pw\n", /--role/],
    [["user", "create", "--email", "c@example.com", "--role", "viewer"], "", /no password/],
    [["user", "create", "--email", "lead@example.com", "--role", "viewer"], "long enough pw\n", /already exists/],
    [["user", "set-password", "--email", "nobody@example.com"], "long enough pw\n", /no account with email nobody@example.com/],
    [["user", "set-password", "--email", "lead@example.com"], "short\n", /password: .*at least 8/],
    [["user", "set-password", "--email", "lead@example.com"], "", /no password/],
    [["user", "create", "--email", "d@example.com", "--role", "viewer"], "12345678\n", /password: This password is on a list of common or breached passwords/],
    [["user", "set-password", "--email", "lead@example.com"], "password123\n", /password: This password is on a list of common or breached passwords/],
    [["user", "set-password"], "long enough pw\n", /--email is required/],
    [["user", "set-password", "--email", "lead@example.com", "--role", "admin"], "long enough pw\n", /only --email/],
  ])("bad input %j → one line, non-zero exit", async (args, stdin, message) => {
    const r = await cli(args, stdin);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  test("set-password (a forgotten admin password): the new one signs in, the old one does not", async () => {
    const r = await cli(["user", "set-password", "--email", "LEAD@example.com"], "a second password\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("new password set for lead@example.com");
    expect(r.stdout + r.stderr).not.toContain("a second password");
    const db = open();
    try {
      const auth = createAuth(db, { databaseUrl: dbUrl });
      expect((await auth.api.signInEmail({ body: { email: "lead@example.com", password: "a long password" }, asResponse: true })).status).toBe(401);
      expect((await auth.api.signInEmail({ body: { email: "lead@example.com", password: "a second password" }, asResponse: true })).status).toBe(200);
    } finally {
      db.$client.close();
    }
  });
});
