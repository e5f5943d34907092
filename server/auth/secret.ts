import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databasePath } from "@/db/client";
import { env } from "@/lib/env";

/**
 * BETTER_AUTH_SECRET when set; otherwise a random secret generated once and kept in
 * `.auth-secret` (mode 0600) next to the database, so a fresh clone works with
 * `npm start` and sessions survive restarts. An in-memory database gets a
 * per-process secret.
 */
export function resolveAuthSecret(databaseUrl?: string): string {
  const fromEnv = env("BETTER_AUTH_SECRET");
  if (fromEnv) return fromEnv;
  return fileSecret(".auth-secret", databaseUrl);
}

/**
 * The key that encrypts identity providers' client secrets in the database: `.sign-in-key`
 * (mode 0600) next to the database, generated once, so a copy of the database alone does not
 * reveal them. Losing the file means entering the secrets again.
 */
export function resolveSignInKey(databaseUrl?: string): string {
  return fileSecret(".sign-in-key", databaseUrl);
}

/**
 * The key that encrypts live sources' credentials and webhook secrets: SOURCES_SECRET_KEY when
 * set, else `.sources-key` next to the database, generated once (as `.sign-in-key`).
 */
export function resolveSourcesKey(databaseUrl?: string): string {
  const fromEnv = env("SOURCES_SECRET_KEY");
  if (fromEnv) return fromEnv;
  return fileSecret(".sources-key", databaseUrl);
}

function fileSecret(name: string, databaseUrl?: string): string {
  const dbFile = databasePath(databaseUrl);
  if (dbFile === ":memory:") return processSecret(name);
  const file = path.join(path.dirname(dbFile), name);
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": when two processes start together, exactly one writes; the other reads its secret.
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url") + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const written = readSecret(file);
  if (!written) throw new Error(`could not read the secret at ${file}`);
  return written;
}

function readSecret(file: string): string | null {
  try {
    const value = fs.readFileSync(file, "utf8").trim();
    return value.length >= 32 ? value : null;
  } catch {
    return null;
  }
}

const globalForSecret = globalThis as unknown as { __deploySafetySecrets?: Map<string, string> };
function processSecret(name: string): string {
  const secrets = (globalForSecret.__deploySafetySecrets ??= new Map());
  if (!secrets.has(name)) secrets.set(name, crypto.randomBytes(32).toString("base64url"));
  return secrets.get(name)!;
}
