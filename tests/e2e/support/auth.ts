/**
 * Sign-in helpers for the Playwright suites.
 *
 * Exports
 * - `ADMIN`                          the admin scripts/e2e.ts creates (E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD)
 * - `mainDbUrl()`, `freshDbUrl()`    DATABASE_URLs of the two servers (E2E_MAIN_DB / E2E_FRESH_DB)
 * - `runCli(dbUrl, args, stdin?)`    the real CLI against a database; throws with its stderr on failure
 * - `createUserViaCli(dbUrl, email, role, password, name?)`   an account (better-auth hashing)
 * - `createTokenViaCli(dbUrl, name, role)` → the clear-text API token (the CLI's last line)
 * - `revokeTokenViaCli(dbUrl, name)`
 * - `uniqueName(prefix)`             a name no other run or test uses (emails, token names)
 * - `signIn(page, email, password)`  through the sign-in form, like a person; waits until signed in
 * - `signInContext(baseURL, email, password)` → an APIRequestContext holding that session cookie
 * - `ensureAdmin({ baseURL, storageState, dbUrl? })`  globalSetup-friendly: creates the admin through
 *   the CLI if `dbUrl` is given and it does not exist yet, signs in through the API and saves the
 *   storage state file (what tests/e2e/global-setup.ts does today).
 *
 * Sign-in is rate limited per client address (AUTH_SIGN_IN_MAX, default 10 a minute): sign in once
 * per role and reuse the storage state / context instead of signing in in every test.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, request, type APIRequestContext, type Page } from "@playwright/test";

export type Role = "viewer" | "editor" | "lead" | "admin";

export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL || "admin@example.com",
  password: process.env.E2E_ADMIN_PASSWORD || "e2e-admin-password-1",
};

export function mainDbUrl(): string {
  const url = process.env.E2E_MAIN_DB;
  if (!url) throw new Error("E2E_MAIN_DB is not set: run the suites through `npm run test:e2e`");
  return url;
}

export function freshDbUrl(): string {
  const url = process.env.E2E_FRESH_DB;
  if (!url) throw new Error("E2E_FRESH_DB is not set: run the suites through `npm run test:e2e`");
  return url;
}

const ROOT = process.cwd();

export function runCli(dbUrl: string, args: string[], stdin?: string): string {
  const res = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), ["--conditions=react-server", "scripts/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl },
    input: stdin ?? "",
    encoding: "utf8",
    // An export of a large database runs to many megabytes; the default 1 MB would cut it short.
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`cli ${args.slice(0, 2).join(" ")} failed (${res.status}): ${res.stderr.trim()}`);
  return res.stdout;
}

export function createUserViaCli(dbUrl: string, email: string, role: Role, password: string, name?: string): void {
  runCli(dbUrl, ["user", "create", "--email", email, "--role", role, ...(name ? ["--name", name] : [])], `${password}\n`);
}

export function createTokenViaCli(dbUrl: string, name: string, role: Role): string {
  const lines = runCli(dbUrl, ["token", "create", "--name", name, "--role", role]).trim().split("\n");
  const token = lines[lines.length - 1].trim();
  if (!token.startsWith("dst_")) throw new Error("token create printed no token");
  return token;
}

export function revokeTokenViaCli(dbUrl: string, name: string): void {
  runCli(dbUrl, ["token", "revoke", "--name", name]);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Signs in through the form; the page ends where `next` pointed (default the dashboard). */
export async function signIn(page: Page, email: string, password: string, next = "/"): Promise<void> {
  await page.goto(`/sign-in${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** An API context carrying a session cookie for `email` (same-origin headers set). */
export async function signInContext(baseURL: string, email: string, password: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const res = await ctx.post("/api/auth/sign-in/email", { data: { email, password } });
  if (!res.ok()) throw new Error(`sign-in as ${email} failed with ${res.status()}`);
  return ctx;
}

/** For globalSetup: make sure the admin exists and save a signed-in storage state. */
export async function ensureAdmin(opts: { baseURL: string; storageState: string; dbUrl?: string; email?: string; password?: string }): Promise<void> {
  const email = opts.email ?? ADMIN.email;
  const password = opts.password ?? ADMIN.password;
  if (opts.dbUrl) {
    const list = runCli(opts.dbUrl, ["user", "list"]);
    if (!list.split("\n").some((l) => l.split("\t")[0] === email)) createUserViaCli(opts.dbUrl, email, "admin", password, "E2E Admin");
  }
  fs.mkdirSync(path.dirname(path.resolve(opts.storageState)), { recursive: true });
  const ctx = await signInContext(opts.baseURL, email, password);
  await ctx.storageState({ path: opts.storageState });
  await ctx.dispose();
}
