import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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
