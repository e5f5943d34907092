import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { DASHBOARD_CACHE_MS, loadDashboardCached } from "@/server/dashboard/data";
import { computeMetrics } from "@/server/metrics";
import { loadMetricsSnapshot, pageVerdicts, quarterFigures, type MetricsSnapshot } from "@/server/metrics-snapshot";
import { ValidationError } from "@/lib/api/errors";
import { METRICS_PAGE_MAX, metricsQuerySchema } from "@/lib/validation/metric";
import { createTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

let t: ReturnType<typeof createTestDb>;
let db: Db;
const NOW = Date.parse("2024-11-15T00:00:00Z");

beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

/** 25 incidents over 2024: change-triggered SEV1s count, the rest do not; one spans Q1→Q2. */
function seed() {
  for (let k = 0; k < 25; k++) {
    const start = Date.parse("2024-01-05T00:00:00Z") + k * 12 * 86_400_000;
    addIncident(db, { startedAt: start, resolvedAt: start + (k + 1) * HOUR, trigger: k % 3 === 0 ? "other" : "change", severity: k % 4 === 0 ? "SEV4" : "SEV1" });
  }
  addIncident(db, { startedAt: Date.parse("2024-03-31T20:00:00Z"), resolvedAt: Date.parse("2024-04-01T04:00:00Z"), trigger: "change", severity: "SEV1" });
}

function allPages(snap: MetricsSnapshot, opts: { limit: number; quarter?: string; counted?: boolean }) {
  const pages = [];
  let after: number | undefined;
  for (;;) {
    const p = pageVerdicts(snap, { ...opts, after });
    pages.push(p);
    if (p.nextCursor === null) return pages;
    after = Number(p.nextCursor);
  }
}

describe("loadMetricsSnapshot", () => {
  test("without parameters it is the dashboard's cached pass, equal to computeMetrics at that instant", () => {
    seed();
    const snap = loadMetricsSnapshot(db, { now: NOW });
    expect(snap.asOf).toBe(NOW);
    expect(snap.quarters).toBe(loadDashboardCached(db, { now: NOW + 1000 }).analysis.evaluation.quarters);
    const fresh = computeMetrics(db, { asOf: NOW });
    expect(snap.quarters).toEqual(fresh.quarters);
    expect(snap.verdicts).toEqual(fresh.incidents);
    expect(snap.incidents.map((i) => i.id)).toEqual(fresh.incidents.map((i) => i.id));
    expect(snap.range).toEqual({ from: fresh.quarters[0].quarter, to: fresh.quarters.at(-1)!.quarter });
    // Reused within the window, the same object; a commit or the window's end computes again.
    expect(loadMetricsSnapshot(db, { now: NOW + 5000 })).toBe(snap);
    expect(loadMetricsSnapshot(db, { now: NOW + DASHBOARD_CACHE_MS })).not.toBe(snap);
    const before = loadMetricsSnapshot(db, { now: NOW + DASHBOARD_CACHE_MS + 1 });
    addIncident(db, { startedAt: NOW - 2 * HOUR, trigger: "change", severity: "SEV1" });
    const after = loadMetricsSnapshot(db, { now: NOW + DASHBOARD_CACHE_MS + 2 });
    expect(after).not.toBe(before);
    expect(after.verdicts).toHaveLength(before.verdicts.length + 1);
  });

  test("explicit asOf/from/to: kept per range and instant while nothing changes", () => {
    seed();
    const asOf = Date.parse("2024-12-31T00:00:00Z");
    const a = loadMetricsSnapshot(db, { asOf, from: "FY2024-Q2", to: "FY2024-Q3", now: NOW });
    expect(a.range).toEqual({ from: "FY2024-Q2", to: "FY2024-Q3" });
    expect(a.quarters.map((q) => q.quarter)).toEqual(["FY2024-Q2", "FY2024-Q3"]);
    expect(a.quarters).toEqual(computeMetrics(db, { asOf, from: "FY2024-Q2", to: "FY2024-Q3" }).quarters);
    expect(loadMetricsSnapshot(db, { asOf, from: "FY2024-Q2", to: "FY2024-Q3", now: NOW + 10 * DASHBOARD_CACHE_MS })).toBe(a);
    expect(loadMetricsSnapshot(db, { asOf: asOf + 1, from: "FY2024-Q2", to: "FY2024-Q3", now: NOW })).not.toBe(a);
    expect(loadMetricsSnapshot(db, { asOf, from: "FY2024-Q2", now: NOW })).not.toBe(a);
    // "now" with a range: reused within the window only.
    const n = loadMetricsSnapshot(db, { from: "FY2024-Q1", now: NOW });
    expect(n.asOf).toBe(NOW);
    expect(loadMetricsSnapshot(db, { from: "FY2024-Q1", now: NOW + 1 })).toBe(n);
    expect(loadMetricsSnapshot(db, { from: "FY2024-Q1", now: NOW + DASHBOARD_CACHE_MS })).not.toBe(n);
    addIncident(db, { startedAt: Date.parse("2024-05-01T00:00:00Z"), trigger: "change", severity: "SEV1" });
    expect(loadMetricsSnapshot(db, { asOf, from: "FY2024-Q2", to: "FY2024-Q3", now: NOW })).not.toBe(a);
  });

  test("a reversed range or a bad quarter is a ValidationError and caches nothing", () => {
    seed();
    expect(() => loadMetricsSnapshot(db, { from: "FY2024-Q3", to: "FY2024-Q1" })).toThrow(ValidationError);
    expect(() => loadMetricsSnapshot(db, { from: "2024Q1" })).toThrow(ValidationError);
  });
});

describe("quarterFigures", () => {
  test("the figures with a count in place of the list of counted ids", () => {
    seed();
    const snap = loadMetricsSnapshot(db, { now: NOW });
    const figures = quarterFigures(snap.quarters);
    expect(figures).toHaveLength(snap.quarters.length);
    figures.forEach((f, k) => {
      const { countedIncidentIds, ...rest } = snap.quarters[k];
      expect(f).toEqual({ ...rest, countedIncidents: countedIncidentIds.length });
      expect(f).not.toHaveProperty("countedIncidentIds");
    });
    expect(figures.some((f) => f.countedIncidents > 0)).toBe(true);
    // The shared snapshot is left alone.
    expect(snap.quarters[0]).toHaveProperty("countedIncidentIds");
  });
});

describe("pageVerdicts", () => {
  test("pages tile every verdict in id order: sizes, cursors, last page", () => {
    seed();
    const snap = loadMetricsSnapshot(db, { now: NOW });
    expect(snap.verdicts).toHaveLength(26);
    const pages = allPages(snap, { limit: 10 });
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 6]);
    expect(pages.map((p) => p.total)).toEqual([26, 26, 26]);
    expect(pages[0].nextCursor).toBe(pages[0].items[9].id);
    expect(pages[2].nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.items)).toEqual(snap.verdicts);
    // Exactly one full page: no cursor to an empty page.
    expect(pageVerdicts(snap, { limit: 26 }).nextCursor).toBeNull();
    expect(pageVerdicts(snap, { limit: 25 }).nextCursor).not.toBeNull();
    // A cursor past the end is an empty last page.
    expect(pageVerdicts(snap, { limit: 10, after: 1e9 })).toEqual({ items: [], total: 26, nextCursor: null });
  });

  test("a cursor stays valid when the incident it names is deleted", () => {
    seed();
    const first = pageVerdicts(loadMetricsSnapshot(db, { now: NOW }), { limit: 5 });
    db.$client.prepare("DELETE FROM incidents WHERE id = ?").run(Number(first.nextCursor));
    const snap = loadMetricsSnapshot(db, { now: NOW + 1 });
    const second = pageVerdicts(snap, { limit: 5, after: Number(first.nextCursor) });
    const cursor = Number(first.nextCursor);
    expect(snap.verdicts.some((v) => Number(v.id) === cursor)).toBe(false);
    expect(second.items[0].id).toBe(snap.verdicts.find((v) => Number(v.id) > cursor)!.id);
    expect(second.items.every((v) => Number(v.id) > cursor)).toBe(true);
    expect(second.total).toBe(25);
  });

  test("quarter and counted filters: counted=true in a quarter is that quarter's countedIncidentIds", () => {
    seed();
    const snap = loadMetricsSnapshot(db, { now: NOW });
    for (const q of snap.quarters) {
      const counted = allPages(snap, { limit: 3, quarter: q.quarter, counted: true }).flatMap((p) => p.items);
      expect(counted.map((v) => v.id).sort()).toEqual([...q.countedIncidentIds].sort());
      expect(counted.every((v) => v.counted)).toBe(true);
    }
    // The incident spanning Q1 → Q2 is listed under both; uncounted ones are listed too.
    const spanning = snap.verdicts.at(-1)!.id;
    const q1 = pageVerdicts(snap, { limit: 100, quarter: "FY2024-Q1" }).items.map((v) => v.id);
    const q2 = pageVerdicts(snap, { limit: 100, quarter: "FY2024-Q2" }).items.map((v) => v.id);
    expect(q1).toContain(spanning);
    expect(q2).toContain(spanning);
    const uncounted = pageVerdicts(snap, { limit: 100, quarter: "FY2024-Q1", counted: false });
    expect(uncounted.total).toBeGreaterThan(0);
    expect(uncounted.items.every((v) => !v.counted)).toBe(true);
    expect(uncounted.total + pageVerdicts(snap, { limit: 100, quarter: "FY2024-Q1", counted: true }).total).toBe(q1.length);
  });

  test("a quarter outside the range is a ValidationError naming the field", () => {
    seed();
    const snap = loadMetricsSnapshot(db, { now: NOW });
    try {
      pageVerdicts(snap, { limit: 10, quarter: "FY2019-Q1" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0].field).toBe("quarter");
      expect((err as ValidationError).issues[0].message).toContain(snap.range.from);
    }
  });
});

describe("metricsQuerySchema", () => {
  const fields = (q: Record<string, string>) => {
    const r = metricsQuerySchema.safeParse(q);
    return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
  };
  test("accepts the documented parameters and types them", () => {
    expect(metricsQuerySchema.parse({})).toEqual({});
    expect(metricsQuerySchema.parse({ include: "incidents", limit: "50", cursor: "1234", quarter: "FY2024-Q1", counted: "false" })).toEqual({
      include: "incidents",
      limit: 50,
      cursor: 1234,
      quarter: "FY2024-Q1",
      counted: false,
    });
  });
  test.each([
    [{ include: "verdicts" }, "include"],
    [{ include: "incidents", limit: "0" }, "limit"],
    [{ include: "incidents", limit: String(METRICS_PAGE_MAX + 1) }, "limit"],
    [{ include: "incidents", limit: "ten" }, "limit"],
    [{ include: "incidents", cursor: "abc" }, "cursor"],
    [{ include: "incidents", cursor: "-5" }, "cursor"],
    [{ include: "incidents", cursor: "0" }, "cursor"],
    [{ include: "incidents", counted: "yes" }, "counted"],
    [{ include: "incidents", quarter: "2024Q1" }, "quarter"],
    [{ limit: "10" }, "limit"],
    [{ cursor: "10" }, "cursor"],
    [{ asOf: "yesterday" }, "asOf"],
    [{ bogus: "1" }, ""],
  ])("refuses %o (field %s)", (q, field) => {
    expect(fields(q as Record<string, string>)).toContain(field);
  });
});
