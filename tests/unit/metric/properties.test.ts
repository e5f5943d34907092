import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DEFAULT_POLICY, evaluate, quarterForInstant, quartersInRange, type EngineIncident, type Settings } from "@/lib/metric";

const ZONES = ["UTC", "America/New_York", "Europe/London", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland", "America/Santiago", "Asia/Tokyo", "America/St_Johns"];
const MIN = Date.parse("2022-01-01T00:00:00Z");
const MAX = Date.parse("2026-01-01T00:00:00Z");

const settingsArb = fc.record({
  fiscalYearStartMonth: fc.integer({ min: 1, max: 12 }),
  timezone: fc.constantFrom(...ZONES),
  fiscalYearLabel: fc.constantFrom("start" as const, "end" as const),
  maturityDays: fc.integer({ min: 0, max: 90 }),
});

const incidentArb = fc
  .record({
    start: fc.integer({ min: MIN, max: MAX }),
    minutes: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }),
    severity: fc.constantFrom("SEV1", "sev2", "SEV3", "SEV4", "other"),
    trigger: fc.constantFrom("change" as const, "other" as const, "unknown" as const),
    override: fc.constantFrom(null, "include" as const, "exclude" as const),
    pct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    pending: fc.boolean(),
  })
  .map(
    (r, ): Omit<EngineIncident, "id"> => ({
      severity: r.severity,
      trigger: r.trigger,
      startedAt: r.start,
      resolvedAt: r.minutes == null ? null : r.start + r.minutes * 60_000,
      impactStart: null,
      impactEnd: null,
      customerImpactPct: r.pct,
      affectedFeatures: [],
      services: [],
      override: r.override,
      analysisStatus: r.pending ? "pending" : "final",
    }),
  );

const incidentsArb = fc.array(incidentArb, { maxLength: 40 }).map((xs) => xs.map((x, i) => ({ ...x, id: `P${i}` })));

function run(settings: Settings, incidents: EngineIncident[], overlap: "sum" | "union", asOf: number) {
  const from = quarterForInstant(MIN, settings).id;
  const to = quarterForInstant(MAX, settings).id;
  return evaluate({ settings, policy: { ...DEFAULT_POLICY, overlap }, targets: {}, asOf, range: { from, to }, incidents });
}

describe("engine invariants", () => {
  test("hours ≥ 0, union ≤ sum, upper bound ≥ hours, counted ids sorted", () => {
    fc.assert(
      fc.property(settingsArb, incidentsArb, fc.integer({ min: MIN, max: MAX }), (settings, incidents, asOf) => {
        const sum = run(settings, incidents, "sum", asOf);
        const union = run(settings, incidents, "union", asOf);
        sum.quarters.forEach((q, i) => {
          const u = union.quarters[i];
          expect(q.hours).toBeGreaterThanOrEqual(0);
          expect(u.hours).toBeGreaterThanOrEqual(0);
          expect(u.hours).toBeLessThanOrEqual(q.hours + 1e-9);
          expect(q.upperBoundHours).toBeGreaterThanOrEqual(q.hours - 1e-9);
          expect(u.upperBoundHours).toBeGreaterThanOrEqual(u.hours - 1e-9);
          expect(u.countedIncidentIds).toEqual(q.countedIncidentIds);
          expect([...q.countedIncidentIds].sort()).toEqual(q.countedIncidentIds);
        });
      }),
      { numRuns: 150 },
    );
  });

  test("sum-mode hours over a range equal the counted windows' total inside it", () => {
    fc.assert(
      fc.property(settingsArb, incidentsArb, (settings, incidents) => {
        const asOf = MAX;
        const r = run(settings, incidents, "sum", asOf);
        const lo = Date.parse(r.quarters[0].start);
        const hi = Date.parse(r.quarters[r.quarters.length - 1].end);
        let expected = 0;
        r.incidents.forEach((v, k) => {
          if (!v.counted) return;
          const i = incidents[k];
          const s = Math.max(lo, i.startedAt);
          const e = Math.min(hi, i.resolvedAt ?? asOf);
          if (e > s) expected += (e - s) / 3_600_000;
        });
        const total = r.quarters.reduce((a, q) => a + q.hours, 0);
        expect(Math.abs(total - expected)).toBeLessThan(1e-6);
      }),
      { numRuns: 100 },
    );
  });

  test("quarters tile time: no gap, no overlap, each starts at local midnight on the 1st", () => {
    fc.assert(
      fc.property(settingsArb, fc.integer({ min: 2000, max: 2040 }), (settings, year) => {
        const qs = quartersInRange(`FY${year}-Q1`, `FY${year + 2}-Q4`, settings);
        expect(qs).toHaveLength(12);
        const fmt = new Intl.DateTimeFormat("en-GB", { timeZone: settings.timezone, day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
        for (let i = 0; i < qs.length; i++) {
          if (i > 0) expect(qs[i].start).toBe(qs[i - 1].end);
          expect(qs[i].end).toBeGreaterThan(qs[i].start);
          const parts = Object.fromEntries(fmt.formatToParts(qs[i].start).map((p) => [p.type, p.value]));
          expect(parts.day).toBe("01");
          // Where local midnight does not exist (a DST jump at 00:00) the boundary is the first instant of the day.
          if (parts.hour !== "00") expect(parts.hour).toBe("01");
          expect(quarterForInstant(qs[i].start, settings).id).toBe(qs[i].id);
          expect(quarterForInstant(qs[i].end - 1, settings).id).toBe(qs[i].id);
        }
      }),
      { numRuns: 200 },
    );
  });
});
