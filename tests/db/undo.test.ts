import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { openMigratedDatabase, type Db } from "@/db/client";
import { dropEngineIncidentSnapshot, engineIncidentSnapshot } from "@/db/queries/incident-store";
import { importIncidents, undoImportBatch } from "@/db/queries/imports";
import type { ParsedRow } from "@/lib/import/types";
import type { CuratedInput } from "@/lib/validation/incident";
import { createTestDb } from "../support/db";

const actor = { id: "u1", label: "editor@example.com" };
const T0 = Date.UTC(2024, 0, 1);
/** Text JSON and SQLite must store byte for byte alike: quotes, backslashes, control characters, non-ASCII, U+2028. */
const TRICKY = ['quote " and \\ backslash', "line\nbreak\ttab", "naïve 東京 🚀", "sep\u2028arator", "</script>"];

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
  const now = Date.now();
  for (const slug of ["safe-deploys", "flag-guard", "canary"]) {
    db.$client.prepare("INSERT INTO projects (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)").run(slug, slug, now, now);
  }
});
afterEach(() => t.cleanup());

function row(n: number, sourceId: string, v: number, curated: CuratedInput = {}): ParsedRow {
  const start = T0 + n * 3_600_000;
  return {
    row: n + 2,
    incident: {
      source: "pd",
      sourceId,
      title: `${TRICKY[(n + v) % TRICKY.length]} #${n} v${v}`,
      description: v % 2 ? null : `about ${TRICKY[n % TRICKY.length]}`,
      severity: ["SEV1", "SEV2", "SEV3"][(n + v) % 3],
      status: v ? "resolved" : null,
      startedAt: start + v * 60_000,
      resolvedAt: n % 5 === 0 ? null : start + 1_800_000 + v * 60_000,
      url: n % 2 ? `https://status.example.com/${sourceId}?v=${v}` : null,
      sourceServices: [TRICKY[n % TRICKY.length], `svc-${v}`].slice(0, 1 + ((n + v) % 2)),
      customFields: n % 3 ? {} : { team: TRICKY[(n + v + 1) % TRICKY.length], v: String(v) },
      curated,
    },
  };
}

function load(rows: ParsedRow[], overwriteCurated = false) {
  return importIncidents(db, rows, [], { source: "pd", format: "canonical", actor, overwriteCurated, now: T0 + 1000 + rows.length });
}

/** Every row of the tables an import writes, as SQLite holds them (JSON columns as their text). */
function dump() {
  const all = (sql: string) => db.$client.prepare(sql).all() as Record<string, unknown>[];
  return {
    incidents: all("SELECT * FROM incidents ORDER BY id"),
    curation: all("SELECT * FROM incident_curation ORDER BY incident_id"),
    projects: all("SELECT * FROM incident_projects ORDER BY incident_id, project_id"),
  };
}

const count = (sql: string) => (db.$client.prepare(sql).pluck().get() as number) ?? 0;

describe("undoImportBatch", () => {
  test("restores exactly: created incidents gone, updated ones back to their values, curated fields and attributions too; duplicate links set null", () => {
    const base = Array.from({ length: 40 }, (_, n) =>
      row(n, `P-${n}`, 0, {
        trigger: n % 3 === 0 ? "change" : "unknown",
        changeType: n % 3 === 0 ? "config" : undefined,
        customerImpactPct: n % 4 ? 12.5 : undefined,
        services: n % 6 === 0 ? [TRICKY[n % TRICKY.length]] : undefined,
        remediation: n % 7 === 0 ? "rollback" : undefined,
        projects: n % 5 === 0 ? ["safe-deploys"] : undefined,
      }),
    );
    const first = load(base);
    expect(first.created).toBe(40);
    const before = dump();

    // Batch 2: rewrites 20 of them (source fields, and curated fields and attributions with
    // overwriteCurated), leaves 5 as they are, and creates 30 new ones.
    const batch = [
      ...Array.from({ length: 20 }, (_, n) =>
        row(n, `P-${n}`, 1, {
          trigger: "change",
          changeType: "code_deploy",
          customerImpactPct: n % 2 ? 80 : null,
          services: ["api", TRICKY[(n + 2) % TRICKY.length]],
          affectedFeatures: ["checkout"],
          impactStart: T0 + n * 3_600_000 + 120_000,
          impactEnd: n % 5 === 0 ? undefined : T0 + n * 3_600_000 + 900_000,
          analysisStatus: n % 3 ? "final" : undefined,
          projects: n % 4 === 0 ? ["flag-guard", "canary"] : undefined,
        }),
      ),
      ...base.slice(20, 25),
      ...Array.from({ length: 30 }, (_, n) => row(100 + n, `N-${n}`, 2, { trigger: "other", projects: n % 3 ? undefined : ["canary"] })),
    ];
    const second = load(batch, true);
    expect(second).toMatchObject({ created: 30, updated: 20, unchanged: 5 });
    expect(dump()).not.toEqual(before);
    // Older incidents marked duplicates of incidents the batch created (not by a batch: undo isn't blocked).
    db.$client
      .prepare("UPDATE incident_curation SET duplicate_of_id = (SELECT id FROM incidents WHERE source_id = 'N-' || (incident_id % 30)) WHERE incident_id IN (SELECT id FROM incidents WHERE source_id IN ('P-30', 'P-31', 'P-32'))")
      .run();
    expect(count("SELECT count(*) FROM incident_curation WHERE duplicate_of_id IS NOT NULL")).toBe(3);
    const undoneAt = T0 + 99_000;

    const u = undoImportBatch(db, second.batchId!, actor, undoneAt);
    expect(u).toEqual({ batchId: second.batchId, deleted: 30, restored: 20 });

    const after = dump();
    const restoredIds = new Set(before.incidents.slice(0, 20).map((r) => r.id));
    // An undo is a write: restored rows carry its time, curation rows it rewrote its actor; the
    // curation version counts every write and stays where the import left it.
    expect(after.incidents).toEqual(before.incidents.map((r) => (restoredIds.has(r.id) ? { ...r, updated_at: undoneAt } : r)));
    expect(after.curation).toEqual(
      before.curation.map((r) => (restoredIds.has(r.incident_id) ? { ...r, updated_at: undoneAt, updated_by: actor.label, version: (r.version as number) + 1 } : r)),
    );
    const link = (r: Record<string, unknown>) => `${r.incident_id}:${r.project_id}`;
    expect(after.projects.map(link)).toEqual(before.projects.map(link));
    // Links of incidents the batch didn't update keep who made them and when.
    expect(after.projects.filter((r) => !restoredIds.has(r.incident_id))).toEqual(before.projects.filter((r) => !restoredIds.has(r.incident_id)));
    expect(count("SELECT count(*) FROM incident_curation WHERE duplicate_of_id IS NOT NULL")).toBe(0);
    expect(count("SELECT count(*) FROM incidents WHERE source_id LIKE 'N-%'")).toBe(0);
    // What the batch created is gone everywhere, including attributions (by cascade).
    expect(count("SELECT count(*) FROM incident_projects WHERE incident_id NOT IN (SELECT id FROM incidents)")).toBe(0);
    expect(count("SELECT count(*) FROM incident_curation WHERE incident_id NOT IN (SELECT id FROM incidents)")).toBe(0);

    const audit = db.$client.prepare("SELECT actor_label, entity_id, before, after FROM audit_log WHERE action = 'import.undo'").all();
    expect(audit).toEqual([{ actor_label: actor.label, entity_id: String(second.batchId), before: '{"status":"applied"}', after: '{"status":"undone","deleted":30,"restored":20}' }]);
    expect(db.$client.prepare("SELECT status, undone_at, undone_by FROM import_batches WHERE id = ?").get(second.batchId)).toEqual({
      status: "undone",
      undone_at: undoneAt,
      undone_by: actor.label,
    });
  });

  test("an attribution to a project deleted since the import is not restored, and the undo still succeeds", () => {
    load([row(1, "P-1", 0, { projects: ["safe-deploys"] })]);
    const second = load([row(1, "P-1", 1, { projects: ["canary"] })], true);
    db.$client.prepare("DELETE FROM projects WHERE slug = 'safe-deploys'").run();
    expect(undoImportBatch(db, second.batchId!, actor)).toMatchObject({ restored: 1 });
    expect(count("SELECT count(*) FROM incident_projects")).toBe(0);
  });

  test("refused while a later batch changed the same incidents; nothing written", () => {
    const first = load([row(1, "P-1", 0), row(2, "P-2", 0)]);
    const second = load([row(1, "P-1", 1), row(3, "P-3", 1)]);
    const snapshot = dump();
    const audits = count("SELECT count(*) FROM audit_log");
    expect(() => undoImportBatch(db, first.batchId!, actor)).toThrow(`Undo batch ${second.batchId} first: it changed incidents this batch imported.`);
    expect(dump()).toEqual(snapshot);
    expect(count("SELECT count(*) FROM audit_log")).toBe(audits);
    expect(count(`SELECT count(*) FROM import_batches WHERE status = 'applied'`)).toBe(2);
    // Undone in order, both go through.
    undoImportBatch(db, second.batchId!, actor);
    undoImportBatch(db, first.batchId!, actor);
    expect(count("SELECT count(*) FROM incidents")).toBe(0);
  });

  test("an unknown or already undone batch gets a clear message and writes nothing", () => {
    const b = load([row(1, "P-1", 0)]);
    expect(() => undoImportBatch(db, 999, actor)).toThrow("No import batch 999");
    undoImportBatch(db, b.batchId!, actor);
    const audits = count("SELECT count(*) FROM audit_log");
    expect(() => undoImportBatch(db, b.batchId!, actor)).toThrow(`Import batch ${b.batchId} was already undone`);
    expect(count("SELECT count(*) FROM audit_log")).toBe(audits);
  });

  test("the change log carries the undo: the in-memory incidents equal a fresh read afterwards", () => {
    load(Array.from({ length: 30 }, (_, n) => row(n, `P-${n}`, 0, { trigger: "change" })));
    const second = load([...Array.from({ length: 10 }, (_, n) => row(n, `P-${n}`, 1, { trigger: "other", customerImpactPct: 40 })), row(50, "N-1", 1)], true);
    db.$client.prepare("UPDATE incident_curation SET duplicate_of_id = (SELECT id FROM incidents WHERE source_id = 'N-1') WHERE incident_id = (SELECT id FROM incidents WHERE source_id = 'P-20')").run();
    const primed = engineIncidentSnapshot(db);
    expect(primed).toHaveLength(31);
    undoImportBatch(db, second.batchId!, actor);
    const kept = structuredClone([...engineIncidentSnapshot(db)]);
    dropEngineIncidentSnapshot(db);
    const fresh = structuredClone([...engineIncidentSnapshot(db)]);
    expect(kept).toEqual(fresh);
    expect(kept).toHaveLength(30);
    const p20 = String(db.$client.prepare("SELECT id FROM incidents WHERE source_id = 'P-20'").pluck().get());
    expect(primed.find((i) => i.id === p20)?.duplicateOf).not.toBeNull();
    expect(kept.find((i) => i.id === p20)?.duplicateOf ?? null).toBeNull();
  });
});

describe("while an undo holds the write lock", () => {
  test("another connection reads the state before the undo, all or nothing; opening the database needs no lock", () => {
    load(Array.from({ length: 20 }, (_, n) => row(n, `P-${n}`, 0)));
    const second = load(Array.from({ length: 50 }, (_, n) => row(100 + n, `N-${n}`, 1)));
    const reader = openMigratedDatabase(`file:${t.file}`);
    const seen: number[] = [];
    let opened = false;
    // Called by SQLite inside the undo's transaction, after its first delete: the lock is held.
    db.$client.function("probe_reader", () => {
      if (seen.length === 0) {
        seen.push(reader.$client.prepare("SELECT count(*) FROM incidents").pluck().get() as number);
        // A process starting now (the server's first request, a CLI) opens, migrates and reads.
        const late = openMigratedDatabase(`file:${t.file}`);
        seen.push(late.$client.prepare("SELECT count(*) FROM incidents WHERE source_id LIKE 'N-%'").pluck().get() as number);
        late.$client.close();
        opened = true;
      }
      return null;
    });
    db.$client.exec("CREATE TEMP TRIGGER probe_undo AFTER DELETE ON main.incidents BEGIN SELECT probe_reader(); END");
    try {
      undoImportBatch(db, second.batchId!, actor);
    } finally {
      db.$client.exec("DROP TRIGGER probe_undo");
    }
    expect(opened).toBe(true);
    // Mid-undo the reader still saw every created incident: no half-undone state is visible.
    expect(seen).toEqual([70, 50]);
    // Afterwards it sees the undo whole, and a short write goes through.
    expect(reader.$client.prepare("SELECT count(*) FROM incidents").pluck().get()).toBe(20);
    expect(reader.$client.prepare("INSERT INTO audit_log (at, actor_label, action) VALUES (?, 'reader', 'ping')").run(Date.now()).changes).toBe(1);
    reader.$client.close();
  });

  test("the health check answers while another connection holds the write lock", async () => {
    const holder = openMigratedDatabase(`file:${t.file}`);
    holder.$client.exec("BEGIN IMMEDIATE");
    holder.$client.prepare("INSERT INTO audit_log (at, actor_label, action) VALUES (1, 'holder', 'hold')").run();
    const g = globalThis as unknown as { __deploySafetyDb?: Db };
    const saved = { url: process.env.DATABASE_URL, db: g.__deploySafetyDb };
    process.env.DATABASE_URL = `file:${t.file}`;
    g.__deploySafetyDb = undefined;
    try {
      const { GET } = await import("@/app/api/health/route");
      const t0 = performance.now();
      const res = GET();
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
      // Well under the 5 s busy timeout: it never waited for the lock.
      expect(performance.now() - t0).toBeLessThan(4000);
    } finally {
      (g.__deploySafetyDb as Db | undefined)?.$client.close();
      g.__deploySafetyDb = saved.db;
      process.env.DATABASE_URL = saved.url;
      holder.$client.exec("ROLLBACK");
      holder.$client.close();
    }
  });
});

test("the migration indexes every foreign key a delete follows", () => {
  const fks = db.$client
    .prepare(
      `SELECT m.name AS tbl, f."from" AS col FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`,
    )
    .all() as { tbl: string; col: string }[];
  expect(fks.length).toBeGreaterThan(5);
  const unindexed = fks.filter(({ tbl, col }) => {
    // An INTEGER PRIMARY KEY is the rowid: the table itself is its index.
    const pk = db.$client.prepare("SELECT name, type FROM pragma_table_info(?) WHERE pk > 0").all(tbl) as { name: string; type: string }[];
    if (pk.length === 1 && pk[0].name === col && pk[0].type.toUpperCase() === "INTEGER") return false;
    const lists = db.$client.prepare("SELECT name FROM pragma_index_list(?)").pluck().all(tbl) as string[];
    return !lists.some((ix) => (db.$client.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno LIMIT 1").pluck().get(ix) as string) === col);
  });
  expect(unindexed).toEqual([]);
  // The plan SQLite uses for the ON DELETE SET NULL of a duplicate link: an index, not a scan.
  const plan = db.$client.prepare("EXPLAIN QUERY PLAN UPDATE incident_curation SET duplicate_of_id = NULL WHERE duplicate_of_id = ?").all(1) as { detail: string }[];
  expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING COVERING INDEX curation_duplicate_of_idx/);
});
