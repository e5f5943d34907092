import { afterEach, beforeEach, expect, test } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { listAudit } from "@/db/queries/audit";
import { createApiToken, listApiTokens, verifyApiToken } from "@/db/queries/tokens";
import { createTestDb } from "../support/db";

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

test("a token's use stamp never waits for another connection's write lock (an import on the worker); a later use records it", () => {
  const { token } = createApiToken(db, { name: "ci", role: "viewer", createdBy: { label: "admin@example.com" } });
  const importer = openDatabase(`file:${t.file}`);
  try {
    importer.$client.exec("BEGIN IMMEDIATE");
    // Waiting (busy_timeout 5 s) would end in SQLITE_BUSY: the request is answered instead.
    expect(verifyApiToken(db, token)?.name).toBe("ci");
    expect(db.$client.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(listApiTokens(db)[0].lastUsedAt).toBeNull();
    importer.$client.exec("COMMIT");
  } finally {
    importer.$client.close();
  }
  expect(verifyApiToken(db, token)?.name).toBe("ci");
  expect(listApiTokens(db)[0].lastUsedAt).not.toBeNull();
  expect(listAudit(db, { action: "token.use" })).toHaveLength(1);
});
