import { describe, expect, test } from "vitest";
import { toDrillDown } from "@/lib/charts/drilldown";
import { toLagMarkers } from "@/lib/charts/lag";
import { toBurnDown } from "@/lib/charts/burndown";
import { toCompleteness, toNorthStarRows } from "@/lib/charts/quality";
import { DEFAULT_SETTINGS, DEFAULT_POLICY } from "@/lib/metric/types";
import { inc, run, t } from "./fixtures";

const quarters = run([]).quarters;
const settings = { ...DEFAULT_SETTINGS };

describe("toLagMarkers", () => {
  const base = { name: "P", lagMinMonths: 3, lagMaxMonths: 6 };
  test("shades the quarters from delivery+3 months to delivery+6 months", () => {
    const [m] = toLagMarkers([{ ...base, slug: "p", status: "delivered", deliveredOn: "2024-02-15" }], quarters, settings, t("2024-12-01T00:00:00Z"));
    expect(m).toMatchObject({ deliveryQuarter: "FY2024-Q1", lagFrom: "FY2024-Q2", lagTo: "FY2024-Q3", lagStartDate: "2024-05-15", lagEndDate: "2024-08-14" });
    expect(m.description).toMatch(/3–6 months/);
    // Feb 15 is 45 days into a 91-day Q1 (index 0, spanning −0.5…0.5).
    expect(m.deliveryPos).toBeCloseTo(-0.5 + 45 / 91, 6);
    expect(m.lagStartPos).toBeCloseTo(0.5 + 44 / 91, 6);
    expect(m.lagEndPos).toBeCloseTo(1.5 + 45 / 92, 6);
  });

  test("planned projects and future deliveries are left out; windows past the chart are clipped", () => {
    const out = toLagMarkers(
      [
        { ...base, slug: "plan", status: "planned", deliveredOn: "2024-02-01" },
        { ...base, slug: "future", status: "delivered", deliveredOn: "2025-02-01" },
        { ...base, slug: "late", status: "curtailed", deliveredOn: "2024-09-01" },
        { ...base, slug: "early", status: "delivered", deliveredOn: "2023-10-01" },
      ],
      quarters,
      settings,
      t("2024-12-01T00:00:00Z"),
    );
    expect(out.map((m) => m.slug)).toEqual(["early", "late"]);
    expect(out[0]).toMatchObject({ deliveryQuarter: null, deliveryPos: null, lagFrom: "FY2024-Q1", lagTo: "FY2024-Q1", lagStartPos: -0.5 });
    expect(out[1]).toMatchObject({ deliveryQuarter: "FY2024-Q3", lagFrom: "FY2024-Q4", lagTo: "FY2024-Q4", lagEndPos: 3.5 });
  });
});

describe("toDrillDown", () => {
  const a = run([
    inc("a", "2024-03-31T20:00:00Z", 6), // 4 h in Q1
    inc("b", "2024-02-01T00:00:00Z", 1.5),
    inc("n", "2024-02-02T00:00:00Z", 3, { trigger: "other" }),
    inc("u", "2024-02-03T00:00:00Z", 2, { trigger: "unknown" }),
  ]);
  test("contributions add up to the bar, largest first, with reasons", () => {
    const d = toDrillDown("FY2024-Q1", a.incidents);
    const q1 = a.quarters.find((q) => q.quarter === "FY2024-Q1")!;
    expect(d.counted.map((r) => r.id)).toEqual(["a", "b"]);
    expect(d.totalHours).toBeCloseTo(q1.hours, 9);
    expect(d.counted[0]).toMatchObject({ hours: 4, durationHours: 6, reasonLabel: "High severity, change-triggered" });
    expect(d.pending.map((r) => r.id)).toEqual(["u"]);
    expect(d.pendingHours).toBeCloseTo(q1.upperBoundHours - q1.hours, 9);
  });
});

describe("toBurnDown", () => {
  test("actual ends at the quarter's hours; forecast extrapolates the run rate; budget is linear", () => {
    const a = run([inc("a", "2024-10-05T00:00:00Z", 3), inc("b", "2024-11-10T00:00:00Z", 3)], { targets: { "FY2024-Q4": 20 } });
    const q4 = a.quarters.find((q) => q.quarter === "FY2024-Q4")!;
    const b = toBurnDown(q4, a.incidents, t("2024-11-15T00:00:00Z"), DEFAULT_POLICY.overlap);
    const actual = b.points.filter((p) => p.actual != null);
    expect(actual.at(-1)!.actual).toBe(6);
    expect(actual.find((p) => p.t === t("2024-10-06T00:00:00Z"))!.actual).toBe(3);
    expect(b.points[0]).toMatchObject({ actual: 0, budget: 0 });
    expect(b.points.at(-1)!.budget).toBe(20);
    const elapsed = t("2024-11-15T00:00:00Z") - t("2024-10-01T00:00:00Z");
    const span = t("2025-01-01T00:00:00Z") - t("2024-10-01T00:00:00Z");
    expect(b.forecastHours).toBeCloseTo((6 * span) / elapsed, 6);
    expect(b.points.at(-1)!.forecast).toBeCloseTo(b.forecastHours, 2);
    expect(b.remainingHours).toBe(14);
    expect(b.earlyForecast).toBe(false);
  });
});

describe("North Star and completeness", () => {
  test("no data stays null, never zero", () => {
    const a = run([inc("a", "2024-01-10T00:00:00Z", 1, { remediation: "automatic", mitigatedAt: t("2024-01-10T00:05:00Z"), fleetExposurePct: null })]);
    const rows = toNorthStarRows(a.quarters);
    expect(rows[0]).toMatchObject({ fastPct: 100, earlyPct: null });
    expect(rows[1].fastPct).toBeNull();
    const c = toCompleteness(a.quarters, 0);
    expect(c.rows[0]).toMatchObject({ candidates: 1, triaged: 1, triagedPct: 100 });
    expect(c.rows[1].triagedPct).toBeNull();
  });
});
