import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { env } from "@/lib/env";
import { ensureDefaults } from "./queries/defaults";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** `file:path`, a plain path, or `:memory:` → the path better-sqlite3 opens. */
export function databasePath(url: string = env("DATABASE_URL")): string {
  const trimmed = url.trim();
  if (trimmed === ":memory:" || trimmed === "file::memory:") return ":memory:";
  const p = trimmed.startsWith("file:") ? trimmed.slice("file:".length) : trimmed;
  if (!p) throw new Error(`DATABASE_URL "${url}" names no file`);
  return path.resolve(p);
}

/** Opens (creating the folder if needed) with WAL and foreign keys on. Does not migrate. */
export function openDatabase(url?: string): Db {
  const file = databasePath(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // Only writers ever wait (WAL readers never do): a write that finds the lock taken retries
  // for up to 5 s. The longest holders are one import or undo transaction (an undo of 30,000
  // rows holds it about half a second, docs/performance.md); longer would also stall the
  // server, whose waiting writer blocks its event loop (better-sqlite3 is synchronous).
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // Statement journals (every write that fires a change-log trigger needs one) and temp
  // b-trees in memory instead of temp files: imports were 2.5x slower on disk.
  sqlite.pragma("temp_store = MEMORY");
  const db = drizzle(sqlite, { schema }) as Db;
  // Every transaction opened through the handle is a write (reads need none: the store opens
  // its own), so it takes the write lock when it begins (BEGIN IMMEDIATE), waiting for it under
  // busy_timeout. A deferred one reads first and asks for the lock at its first write; if another
  // connection (the import worker, the CLI) committed in between, SQLite refuses it at once with
  // "database is locked" (SQLITE_BUSY_SNAPSHOT), no waiting, and the edit is lost.
  const deferredTransaction = db.transaction.bind(db);
  db.transaction = ((fn, config) => deferredTransaction(fn, { behavior: "immediate", ...config })) as Db["transaction"];
  return db;
}

/** Applies every committed migration not yet applied; safe to call on every start. */
export function migrateDatabase(db: Db, migrationsFolder: string = MIGRATIONS_FOLDER): void {
  migrate(db, { migrationsFolder });
}

/** True when the settings row and a policy exist: checked by reading, so opening needs no write lock. */
function hasDefaults(db: Db): boolean {
  const sqlite = db.$client;
  return !!sqlite.prepare("SELECT 1 FROM settings WHERE id = 1").get() && !!sqlite.prepare("SELECT 1 FROM policy_versions LIMIT 1").get();
}

/**
 * Opens and migrates: what every entry point (app, CLI, tests) should use. On an
 * up-to-date database it only reads, so a process that starts while another holds the
 * write lock (a long import or undo) still opens at once: a read-only caller such as
 * the health check never waits for or fails on the lock.
 */
export function openMigratedDatabase(url?: string): Db {
  const db = openDatabase(url);
  migrateDatabase(db);
  // Every entry point needs a settings row and a current policy.
  if (!hasDefaults(db)) ensureDefaults(db);
  return db;
}

const globalForDb = globalThis as unknown as { __deploySafetyDb?: Db };

/** The process-wide database of the app, cached on globalThis so dev hot reload reuses it. */
export function getDb(): Db {
  if (!globalForDb.__deploySafetyDb) globalForDb.__deploySafetyDb = openMigratedDatabase();
  return globalForDb.__deploySafetyDb;
}
