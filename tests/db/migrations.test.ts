import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { MIGRATIONS_FOLDER, migrateDatabase, openDatabase, type Db } from "@/db/client";

interface Journal {
  entries: { idx: number; tag: string }[];
}

const journal: Journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"));
const dirs: string[] = [];
const dbs: Db[] = [];

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-mig-"));
  dirs.push(dir);
  return dir;
}

/** A copy of the migrations folder that knows only the first `count` migrations: an older release. */
function olderMigrations(count: number): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, "meta"));
  const entries = journal.entries.slice(0, count);
  fs.writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

function open(file: string) {
  const db = openDatabase(`file:${file}`);
  dbs.push(db);
  return db;
}

/** Rows written with plain SQL and only the columns the first release had, so any later release can read them. */
function writeOldRows(db: Db) {
  const now = Date.UTC(2024, 0, 1);
  const insertIncident = db.$client.prepare(
    "insert into incidents (source, source_id, title, severity, started_at, resolved_at, source_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertCuration = db.$client.prepare("insert into incident_curation (incident_id, trigger, services, updated_at) values (?, ?, ?, ?)");
  for (let i = 0; i < 25; i++) {
    const { lastInsertRowid } = insertIncident.run("pagerduty", `PD${i}`, `Incident ${i}`, "SEV2", now + i * 3_600_000, now + i * 3_600_000 + 1_800_000, `h${i}`, now, now);
    insertCuration.run(Number(lastInsertRowid), i % 2 ? "change" : "unknown", JSON.stringify(["webapp-backend"]), now);
  }
  db.$client.prepare("insert into policy_versions (policy, note, created_at) values (?, ?, ?)").run(JSON.stringify({ overlap: "sum" }), "old policy", now);
  db.$client.prepare("insert into quarter_targets (quarter, hours, note, created_at) values (?, ?, ?, ?)").run("FY2024-Q1", 12, "first", now);
}

function counts(db: Db) {
  const one = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
  return {
    incidents: one("select count(*) n from incidents"),
    curation: one("select count(*) n from incident_curation"),
    changeTagged: one("select count(*) n from incident_curation where trigger = 'change'"),
    policies: one("select count(*) n from policy_versions where note = 'old policy'"),
    targets: one("select count(*) n from quarter_targets where quarter = 'FY2024-Q1' and hours = 12"),
  };
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.$client.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("migrations", () => {
  test("an empty database migrates to the current schema", () => {
    const db = open(path.join(tempDir(), "empty.sqlite"));
    migrateDatabase(db);
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all().map((r) => (r as { name: string }).name);
    for (const t of ["incidents", "incident_curation", "projects", "incident_projects", "settings", "policy_versions", "quarter_targets", "quarter_closures", "import_batches", "audit_log", "user", "api_tokens"])
      expect(tables).toContain(t);
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
  });

  test("migrating twice is a no-op", () => {
    const db = open(path.join(tempDir(), "twice.sqlite"));
    migrateDatabase(db);
    writeOldRows(db);
    const before = counts(db);
    migrateDatabase(db);
    expect(counts(db)).toEqual(before);
  });

  // Every earlier release's database, with data in it, moves forward to the current schema without losing a row.
  test.each(journal.entries.map((e) => [e.idx + 1, e.tag] as const))("a database made by release %i (%s) migrates forward and keeps its rows", (count) => {
    const file = path.join(tempDir(), "old.sqlite");
    const old = open(file);
    migrateDatabase(old, olderMigrations(count));
    writeOldRows(old);
    const before = counts(old);
    old.$client.close();
    dbs.pop();

    const current = open(file);
    migrateDatabase(current);
    expect(counts(current)).toEqual(before);
    expect(before.incidents).toBe(25);
    const applied = (current.$client.prepare("select count(*) n from __drizzle_migrations").get() as { n: number }).n;
    expect(applied).toBe(journal.entries.length);
  });
});
