/**
 * The incident page's verdict (incidentView) agrees with the figures about rows whose times
 * are out of bounds: left out, and said so.
 */
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listTimeExcludedIncidents } from "@/db/queries/metric-input";
import { computeMetrics } from "@/server/metrics";
import { incidentView } from "@/server/incident-view";
import { createTestDb } from "../support/db";
import { addIncident } from "./incidents-helpers";

const T = (iso: string) => Date.parse(iso);
const AS_OF = T("2024-11-15T00:00:00Z");

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

/** Straight SQL, as an old database would leave it: no validation on the way in. */
function insertRaw(startedAt: number, resolvedAt: number | null): number {
  const now = Date.now();
  const id = Number(
    db.$client
      .prepare(`INSERT INTO incidents (source, source_id, title, severity, started_at, resolved_at, source_hash, created_at, updated_at) VALUES ('sql', 'old', 'Old row', 'SEV1', ?, ?, 'h', ?, ?)`)
      .run(startedAt, resolvedAt, now, now).lastInsertRowid,
  );
  db.$client.prepare(`INSERT INTO incident_curation (incident_id, trigger, analysis_status, remediation, updated_at) VALUES (?, 'change', 'final', 'manual_rollback', ?)`).run(id, now);
  return id;
}

test("a row out of bounds: the page says it is left out and why, as the figures do", () => {
  const id = insertRaw(T("1985-03-01T00:00:00Z"), T("1985-03-01T02:00:00Z"));
  const view = incidentView(db, id, AS_OF)!;
  expect(view.explanation.counted).toBe(false);
  expect(view.explanation.excluded?.field).toBe("started_at");
  expect(view.explanation.sentence).toMatch(/^Left out of every figure because a time is out of bounds: started_at 1985-03-01T00:00:00.000Z is before/);
  expect(view.explanation.quarters).toEqual([]);
  expect(listTimeExcludedIncidents(db).rows.map((r) => Number(r.id))).toEqual([id]);
  expect(computeMetrics(db, { asOf: AS_OF }).incidents.map((i) => i.id)).not.toContain(String(id));
});

test("a row within bounds counts on the page and in the figures", () => {
  const id = addIncident(db, { title: "Fine", startedAt: T("2024-02-01T00:00:00Z"), resolvedAt: T("2024-02-01T03:00:00Z"), trigger: "change" });
  const view = incidentView(db, id, AS_OF)!;
  expect(view.explanation.excluded).toBeNull();
  expect(view.explanation.counted).toBe(true);
  expect(view.explanation.quarters).toEqual([{ quarter: "FY2024-Q1", hours: 3 }]);
  const verdict = computeMetrics(db, { asOf: AS_OF }).incidents.find((i) => i.id === String(id));
  expect(verdict?.counted).toBe(true);
});

test("an unknown id has no view", () => {
  expect(incidentView(db, 999, AS_OF)).toBeNull();
});
