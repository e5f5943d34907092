import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { openMigratedDatabase, type Db } from "@/db/client";
import { dropEngineIncidentSnapshot, engineIncidentSnapshot } from "@/db/queries/incident-store";
import { loadEngineIncidents } from "@/db/queries/metric-input";
import { createTestDb } from "../support/db";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function testDb() {
  const t = createTestDb();
  cleanups.push(t.cleanup);
  return t;
}

const T0 = Date.UTC(2024, 0, 1);

function insertIncident(db: Db, n: number, curated = true, id: number | null = null): number {
  const { lastInsertRowid } = db.$client
    .prepare("INSERT INTO incidents (id, source, source_id, title, severity, started_at, resolved_at, source_hash, created_at, updated_at) VALUES (?, 't', ?, ?, 'SEV2', ?, ?, 'h', ?, ?)")
    .run(id, `S${n}`, `Incident ${n}`, T0 + n * 3_600_000, T0 + n * 3_600_000 + 1_800_000, T0, T0);
  const newId = Number(lastInsertRowid);
  if (curated) db.$client.prepare("INSERT INTO incident_curation (incident_id, trigger, services, updated_at) VALUES (?, 'change', '[\"api\"]', ?)").run(newId, T0);
  return newId;
}

/** What a fresh full read returns (the store's state thrown away first). */
function freshRead(db: Db) {
  const other = openMigratedDatabase(`file:${db.$client.name}`);
  try {
    return structuredClone([...engineIncidentSnapshot(other)]);
  } finally {
    other.$client.close();
  }
}

const plain = (db: Db) => structuredClone([...engineIncidentSnapshot(db)]);

describe("engineIncidentSnapshot", () => {
  test("after any sequence of inserts, edits, duplicate links and deletes it equals a fresh read", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("insert" as const), curated: fc.boolean() }),
      fc.record({ kind: fc.constant("tag" as const), pick: fc.nat(), trigger: fc.constantFrom("change", "other", "unknown"), pct: fc.option(fc.integer({ min: 0, max: 100 })) }),
      fc.record({ kind: fc.constant("severity" as const), pick: fc.nat(), severity: fc.constantFrom("SEV1", "SEV3", "minor") }),
      fc.record({ kind: fc.constant("duplicate" as const), pick: fc.nat(), of: fc.nat() }),
      fc.record({ kind: fc.constant("uncurate" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("read" as const) }),
      // A curation row added later to the newest incident: not logged, found by re-reading the newest.
      fc.record({ kind: fc.constant("curateNewest" as const), trigger: fc.constantFrom("change", "other") }),
      // An incident given a hand-picked id below the newest (a gap left by a delete).
      fc.record({ kind: fc.constant("refill" as const), curated: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const { db } = createTestDb();
        try {
          for (let n = 0; n < 5; n++) insertIncident(db, n);
          engineIncidentSnapshot(db);
          const ids = () => db.$client.prepare("SELECT id FROM incidents ORDER BY id").pluck().all() as number[];
          const at = (pick: number) => {
            const all = ids();
            return all.length ? all[pick % all.length] : null;
          };
          let n = 5;
          for (const o of ops) {
            if (o.kind === "insert") insertIncident(db, n++, o.curated);
            else if (o.kind === "read") engineIncidentSnapshot(db);
            else if (o.kind === "curateNewest") {
              const newest = ids().at(-1);
              if (newest != null) db.$client.prepare("INSERT OR IGNORE INTO incident_curation (incident_id, trigger, updated_at) VALUES (?, ?, 0)").run(newest, o.trigger);
            } else if (o.kind === "refill") {
              const gap = db.$client.prepare("SELECT min(i.id) + 1 FROM incidents i WHERE i.id + 1 NOT IN (SELECT id FROM incidents) AND i.id + 1 < (SELECT max(id) FROM incidents)").pluck().get() as number | null;
              if (gap != null) insertIncident(db, n++, o.curated, gap);
            }
            else {
              const id = at(o.pick);
              if (id == null) continue;
              if (o.kind === "tag")
                db.$client
                  .prepare("INSERT INTO incident_curation (incident_id, trigger, customer_impact_pct, updated_at) VALUES (?, ?, ?, 0) ON CONFLICT(incident_id) DO UPDATE SET trigger = excluded.trigger, customer_impact_pct = excluded.customer_impact_pct")
                  .run(id, o.trigger, o.pct);
              if (o.kind === "severity") db.$client.prepare("UPDATE incidents SET severity = ? WHERE id = ?").run(o.severity, id);
              if (o.kind === "duplicate") {
                const of = at(o.of);
                if (of != null && of !== id) db.$client.prepare("UPDATE incident_curation SET duplicate_of_id = ? WHERE incident_id = ?").run(of, id);
              }
              if (o.kind === "uncurate") db.$client.prepare("DELETE FROM incident_curation WHERE incident_id = ?").run(id);
              // Deleting an incident also clears (ON DELETE SET NULL) the duplicate links pointing at it.
              if (o.kind === "delete") db.$client.prepare("DELETE FROM incidents WHERE id = ?").run(id);
            }
          }
          expect(plain(db)).toEqual(freshRead(db));
        } finally {
          db.$client.close();
        }
      }),
      { numRuns: 120, seed: 20261126 },
    );
  });

  test("sees commits made through another connection (the CLI, another process)", () => {
    const { db, file } = testDb();
    const id = insertIncident(db, 1);
    expect(engineIncidentSnapshot(db)[0].trigger).toBe("change");
    const other = openMigratedDatabase(`file:${file}`);
    other.$client.prepare("UPDATE incident_curation SET trigger = 'other' WHERE incident_id = ?").run(id);
    insertIncident(other, 2);
    other.$client.close();
    const after = engineIncidentSnapshot(db);
    expect(after.map((i) => [i.id, i.trigger])).toEqual([
      [String(id), "other"],
      [String(id + 1), "change"],
    ]);
  });

  test("a caller's transaction sees its own writes, and a rollback leaves nothing behind even when its log seqs are reused", () => {
    const { db } = testDb();
    const a = insertIncident(db, 1);
    const b = insertIncident(db, 2);
    engineIncidentSnapshot(db);
    expect(() =>
      db.$client.transaction(() => {
        db.$client.prepare("UPDATE incident_curation SET trigger = 'other' WHERE incident_id = ?").run(a);
        expect(engineIncidentSnapshot(db).find((i) => i.id === String(a))!.trigger).toBe("other");
        throw new Error("roll back");
      })(),
    ).toThrow("roll back");
    expect(engineIncidentSnapshot(db).find((i) => i.id === String(a))!.trigger).toBe("change");
    // The next write takes the rolled-back entry's seq: it must still be seen.
    db.$client.prepare("UPDATE incident_curation SET trigger = 'unknown' WHERE incident_id = ?").run(b);
    expect(plain(db)).toEqual(freshRead(db));
    expect(engineIncidentSnapshot(db).find((i) => i.id === String(b))!.trigger).toBe("unknown");
  });

  test("a curation row added later to the newest incident is seen, though the log skips it", () => {
    const { db } = testDb();
    insertIncident(db, 1);
    const newest = insertIncident(db, 2, false);
    expect(engineIncidentSnapshot(db).at(-1)!.trigger).toBe("unknown");
    db.$client.prepare("INSERT INTO incident_curation (incident_id, trigger, updated_at) VALUES (?, 'change', 0)").run(newest);
    expect(db.$client.prepare("SELECT count(*) FROM incident_changes").pluck().get()).toBe(0);
    expect(engineIncidentSnapshot(db).at(-1)!.trigger).toBe("change");
  });

  test("an incident given a hand-picked id in a gap below the newest is logged and seen", () => {
    const { db } = testDb();
    insertIncident(db, 1);
    const gap = insertIncident(db, 2);
    insertIncident(db, 3);
    db.$client.prepare("DELETE FROM incidents WHERE id = ?").run(gap);
    expect(engineIncidentSnapshot(db)).toHaveLength(2);
    insertIncident(db, 4, false, gap);
    expect(engineIncidentSnapshot(db).map((i) => i.id)).toEqual([gap - 1, gap, gap + 1].map(String));
    expect(plain(db)).toEqual(freshRead(db));
  });

  test("a reader whose changes were pruned from the log reads everything again", () => {
    const { db } = testDb();
    const a = insertIncident(db, 1);
    insertIncident(db, 2);
    engineIncidentSnapshot(db);
    db.$client.prepare("UPDATE incidents SET severity = 'SEV4' WHERE id = ?").run(a);
    insertIncident(db, 3);
    // Prune everything but the newest entry, as the log's own trigger does at scale.
    db.$client.prepare("DELETE FROM incident_changes WHERE seq < (SELECT max(seq) FROM incident_changes)").run();
    expect(engineIncidentSnapshot(db).find((i) => i.id === String(a))!.severity).toBe("SEV4");
    expect(plain(db)).toEqual(freshRead(db));
  });

  test("the log prunes itself to its newest entries and seq keeps growing", () => {
    const { db } = testDb();
    const id = insertIncident(db, 1);
    const bump = db.$client.prepare("UPDATE incidents SET updated_at = updated_at + 1 WHERE id = ?");
    db.$client.transaction(() => {
      for (let k = 0; k < 60_000; k++) bump.run(id);
    })();
    const { n, lo, hi } = db.$client.prepare("SELECT count(*) n, min(seq) lo, max(seq) hi FROM incident_changes").get() as { n: number; lo: number; hi: number };
    expect(hi).toBe(60_000);
    expect(n).toBeLessThanOrEqual(50_000 + 4_096);
    expect(lo).toBeGreaterThan(1);
  });

  test("what it hands out is frozen, so no caller can change what the next one sees", () => {
    const { db } = testDb();
    insertIncident(db, 1);
    const list = loadEngineIncidents(db) as unknown as { trigger: string; services: string[] }[];
    expect(() => (list as unknown[]).push({})).toThrow(TypeError);
    expect(() => {
      list[0].trigger = "other";
    }).toThrow(TypeError);
    expect(() => list[0].services.push("x")).toThrow(TypeError);
  });

  test("filters by service and deploy system, case-insensitively", () => {
    const { db } = testDb();
    const a = insertIncident(db, 1);
    insertIncident(db, 2);
    db.$client.prepare("UPDATE incident_curation SET deploy_system = 'Argo', services = '[\"Web\"]' WHERE incident_id = ?").run(a);
    expect(loadEngineIncidents(db, { deploySystems: [" argo "] }).map((i) => i.id)).toEqual([String(a)]);
    expect(loadEngineIncidents(db, { services: ["WEB"] }).map((i) => i.id)).toEqual([String(a)]);
    expect(loadEngineIncidents(db, { services: ["api"] })).toHaveLength(1);
    dropEngineIncidentSnapshot(db);
    expect(loadEngineIncidents(db)).toHaveLength(2);
  });
});
