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
  const dbFile = databasePath(databaseUrl);
  if (dbFile === ":memory:") return processSecret();
  const file = path.join(path.dirname(dbFile), ".auth-secret");
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
  if (!written) throw new Error(`could not read the auth secret at ${file}`);
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

const globalForSecret = globalThis as unknown as { __deploySafetyAuthSecret?: string };
function processSecret(): string {
  globalForSecret.__deploySafetyAuthSecret ??= crypto.randomBytes(32).toString("base64url");
  return globalForSecret.__deploySafetyAuthSecret;
}
