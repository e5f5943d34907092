import os from "node:os";
import { openMigratedDatabase, type Db } from "@/db/client";

/**
 * Opens and migrates DATABASE_URL, runs `fn`, and closes the database however `fn` ends
 * (a returned promise is awaited first). `mapError` turns a thrown error into the one to
 * rethrow (e.g. `toCliError`); the database is closed before it propagates.
 */
export function withDb<T>(fn: (db: Db) => T, mapError?: (err: unknown) => unknown): T {
  const db = openMigratedDatabase();
  const fail = (err: unknown): never => {
    throw mapError ? mapError(err) : err;
  };
  let result: T;
  try {
    result = fn(db);
  } catch (err) {
    db.$client.close();
    return fail(err);
  }
  if (result instanceof Promise) return result.catch(fail).finally(() => db.$client.close()) as T;
  db.$client.close();
  return result;
}

/** The actor label of writes that name who ran them: `cli:` and the login name. */
export function cliUserLabel(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return "cli:unknown";
  }
}
