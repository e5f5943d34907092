import { afterEach, beforeEach, expect, test } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { settings } from "@/db/schema";
import { createTestDb } from "../support/db";

// Two connections to one file, as the server and its import worker (or the CLI) are.
let t: ReturnType<typeof createTestDb>;
let other: Db;
beforeEach(() => {
  t = createTestDb();
  other = openDatabase(`file:${t.file}`);
  other.$client.pragma("busy_timeout = 0");
});
afterEach(() => {
  other.$client.close();
  t.cleanup();
});

const readSettings = (db: Db) => db.select().from(settings).get();

test("a transaction that reads, then writes, is not refused when another connection writes in between", () => {
  const committed = t.db.transaction((tx) => {
    expect(tx.select().from(settings).get()).toBeTruthy();
    // The other connection tries to write now: the lock is already taken, so it is the one told to wait.
    expect(() => other.$client.prepare("UPDATE settings SET maturity_days = maturity_days WHERE id = 1").run()).toThrow(/database is locked/);
    tx.update(settings).set({ maturityDays: 45 }).run();
    return true;
  });
  expect(committed).toBe(true);
  expect(readSettings(other)?.maturityDays).toBe(45);
});

test("deferred, as asked for explicitly, the same sequence loses the write: what the default guards against", () => {
  expect(() =>
    t.db.transaction(
      (tx) => {
        tx.select().from(settings).get();
        other.$client.prepare("UPDATE settings SET maturity_days = 46 WHERE id = 1").run();
        tx.update(settings).set({ maturityDays: 45 }).run();
      },
      { behavior: "deferred" },
    ),
  ).toThrow(/database is locked/);
  expect(readSettings(t.db)?.maturityDays).toBe(46);
});
