import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openMigratedDatabase, type Db } from "@/db/client";

/** A fresh SQLite file with the real migrations applied; removed by `cleanup`. */
export function createTestDb(): { db: Db; file: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-test-"));
  const file = path.join(dir, "test.sqlite");
  const db = openMigratedDatabase(`file:${file}`);
  return {
    db,
    file,
    cleanup: () => {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One database for the whole test file, named by DATABASE_URL for the worker threads that
 * open it themselves; DATABASE_URL is put back (or removed) after the file. The returned
 * object is filled before the file's first test.
 */
export function sharedWorkerTestDb(): { db: Db; file: string } {
  const current = {} as { db: Db; file: string };
  let t: ReturnType<typeof createTestDb> | null = null;
  const savedUrl = process.env.DATABASE_URL;
  beforeAll(() => {
    t = createTestDb();
    Object.assign(current, { db: t.db, file: t.file });
    process.env.DATABASE_URL = `file:${t.file}`;
  });
  afterAll(() => {
    // Assigning undefined would leave the string "undefined" behind.
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    t?.cleanup();
  });
  return current;
}
