import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databasePath } from "@/db/client";

/**
 * The one-time code that /setup asks for, so the first person to reach a fresh server cannot
 * make themselves admin: only someone who sees the server's output (`npm start` prints it) or
 * its data folder can. Kept in `.setup-code` (mode 0600) next to the database until the first
 * account exists; the e2e suites read it from there. An in-memory database keeps it in memory.
 */
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // no 0/O, 1/I: read off a terminal and typed
const GROUPS = 3;
const GROUP_LENGTH = 4;

export function setupCodeFile(databaseUrl?: string): string | null {
  const dbFile = databasePath(databaseUrl);
  return dbFile === ":memory:" ? null : path.join(path.dirname(dbFile), ".setup-code");
}

/** `ABCD-EFGH-JKLM`: 12 characters of 32 (60 bits), from the system's random source. */
export function newSetupCode(): string {
  const bytes = crypto.randomBytes(GROUPS * GROUP_LENGTH);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]);
  return Array.from({ length: GROUPS }, (_, i) => chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH).join("")).join("-");
}

/** What a person typed, as compared: upper case, without spaces or dashes. */
export function normalizeSetupCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, "");
}

const memory = globalThis as unknown as { __deploySafetySetupCode?: string };

function readCode(file: string): string | null {
  try {
    const value = fs.readFileSync(file, "utf8").trim();
    return normalizeSetupCode(value).length === GROUPS * GROUP_LENGTH ? value : null;
  } catch {
    return null;
  }
}

/** The current setup code, created (and written next to the database) when there is none. */
export function ensureSetupCode(databaseUrl?: string): string {
  const file = setupCodeFile(databaseUrl);
  if (!file) return (memory.__deploySafetySetupCode ??= newSetupCode());
  const existing = readCode(file);
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": the server and `npm start` may both get here first; one writes, both read the same code.
    fs.writeFileSync(file, newSetupCode() + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const written = readCode(file);
  if (!written) throw new Error(`could not read the setup code at ${file}`);
  return written;
}

/** Whether `input` is the setup code (compared in constant time). */
export function isSetupCode(input: string, databaseUrl?: string): boolean {
  const expected = crypto.createHash("sha256").update(normalizeSetupCode(ensureSetupCode(databaseUrl))).digest();
  const got = crypto.createHash("sha256").update(normalizeSetupCode(input)).digest();
  return crypto.timingSafeEqual(expected, got);
}

/** Once the first account exists the code is spent. */
export function clearSetupCode(databaseUrl?: string): void {
  const file = setupCodeFile(databaseUrl);
  if (!file) {
    delete memory.__deploySafetySetupCode;
    return;
  }
  fs.rmSync(file, { force: true });
}
