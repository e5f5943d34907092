/**
 * countedIncidentIds narrows the incidents in SQL before the engine classifies them (the
 * list's "counted" filter). The narrowing must never drop an incident the engine counts:
 * over random incidents and policies it returns exactly the engine's counted verdicts on
 * the incidents the figures keep (within the bounds on time).
 */
import fc from "fast-check";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { countedIncidentIds } from "@/db/queries/incidents";
import { engineIncidentSnapshot } from "@/db/queries/incident-store";
import { partitionStoredIncidents } from "@/db/queries/metric-input";
import { computeMetrics } from "@/server/metrics";
import { classifyIncident } from "@/lib/metric/classify";
import { DEFAULT_POLICY, TRIGGERS, OVERRIDES, type Policy } from "@/lib/metric/types";
import { createTestDb } from "../support/db";

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const AS_OF = Date.UTC(2024, 11, 1);

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

const incidentArb = fc.record({
  severity: fc.constantFrom("SEV1", "SEV2", "SEV3", "SEV4", "P3", "weird"),
  startHours: fc.integer({ min: 0, max: 24 * 300 }),
  /** null: ongoing. */
  lengthMinutes: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
  /** Sometimes a time far before TIME_MIN: the figures leave such a row out. */
  ancient: fc.boolean(),
  curation: fc.option(
    fc.record({
      trigger: fc.constantFrom(...TRIGGERS),
      override: fc.option(fc.constantFrom(...OVERRIDES), { nil: null }),
      pct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      services: fc.subarray(["api", "web", "db"]),
      duplicate: fc.boolean(),
    }),
    { nil: null },
  ),
});

const policyArb = fc.record({
  requireChangeTriggered: fc.boolean(),
  match: fc.constantFrom("any" as const, "all" as const),
  minDurationMinutes: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  minCustomerImpactPct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  services: fc.option(fc.subarray(["api", "web"]), { nil: undefined }),
});

type IncidentCase = typeof incidentArb extends fc.Arbitrary<infer T> ? T : never;

function insert(rows: IncidentCase[]): void {
  const insI = db.$client.prepare(
    "INSERT INTO incidents (source, source_id, title, severity, started_at, resolved_at, source_hash, created_at, updated_at) VALUES ('p', ?, 't', ?, ?, ?, 'h', 0, 0)",
  );
  const insC = db.$client.prepare(
    "INSERT INTO incident_curation (incident_id, trigger, override, override_reason, customer_impact_pct, services, duplicate_of_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
  );
  db.$client.transaction(() => {
    let first: number | null = null;
    rows.forEach((r, n) => {
      const start = r.ancient ? Date.UTC(1970, 0, 2) + r.startHours * HOUR : T0 + r.startHours * HOUR;
      const id = Number(insI.run(`S${n}`, r.severity, start, r.lengthMinutes == null ? null : start + r.lengthMinutes * 60_000).lastInsertRowid);
      first ??= id;
      const c = r.curation;
      if (c) insC.run(id, c.trigger, c.override, c.override ? "why" : null, c.pct, JSON.stringify(c.services), c.duplicate && first !== id ? first : null);
    });
  })();
}

test("equals the engine's counted verdicts on the incidents the figures keep", () => {
  fc.assert(
    fc.property(fc.array(incidentArb, { maxLength: 25 }), policyArb, (rows, p) => {
      db.$client.exec("DELETE FROM incident_curation; DELETE FROM incidents;");
      insert(rows);
      const policy: Policy = {
        ...DEFAULT_POLICY,
        requireChangeTriggered: p.requireChangeTriggered,
        mediumRule: { match: p.match, minDurationMinutes: p.minDurationMinutes, minCustomerImpactPct: p.minCustomerImpactPct, services: p.services },
      };
      const kept = partitionStoredIncidents(db).kept;
      const expected = kept.filter((i) => classifyIncident(i, policy, AS_OF).counted).map((i) => Number(i.id));
      expect(countedIncidentIds(db, policy, AS_OF)).toEqual(expected);
      // An ancient row is never in it, whatever the policy says.
      const ancient = new Set(engineIncidentSnapshot(db).filter((i) => i.startedAt < Date.UTC(1990, 0, 1)).map((i) => Number(i.id)));
      expect(countedIncidentIds(db, policy, AS_OF).some((id) => ancient.has(id))).toBe(false);
    }),
    { numRuns: 150 },
  );
});

test("with the stored policy it agrees with computeMetrics' verdicts", () => {
  insert([
    { severity: "SEV1", startHours: 10, lengthMinutes: 60, ancient: false, curation: { trigger: "change", override: null, pct: null, services: [], duplicate: false } },
    { severity: "SEV1", startHours: 20, lengthMinutes: 60, ancient: false, curation: { trigger: "change", override: null, pct: null, services: [], duplicate: true } },
    { severity: "SEV4", startHours: 30, lengthMinutes: 60, ancient: false, curation: { trigger: "other", override: "include", pct: null, services: [], duplicate: false } },
    { severity: "SEV1", startHours: 40, lengthMinutes: 60, ancient: true, curation: { trigger: "change", override: null, pct: null, services: [], duplicate: false } },
    { severity: "SEV1", startHours: 50, lengthMinutes: null, ancient: false, curation: null },
  ]);
  const verdicts = computeMetrics(db, { asOf: AS_OF }).incidents.filter((i) => i.counted).map((i) => Number(i.id));
  expect(verdicts.length).toBe(2);
  expect(countedIncidentIds(db, DEFAULT_POLICY, AS_OF)).toEqual(verdicts);
});
