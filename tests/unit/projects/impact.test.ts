import { describe, expect, test } from "vitest";
import { quarterById } from "@/lib/metric/calendar";
import type { Settings } from "@/lib/metric/types";
import { projectImpact, type QuarterHoursInput } from "@/lib/projects/impact";

const S: Settings = { fiscalYearStartMonth: 1, timezone: "UTC", fiscalYearLabel: "end", maturityDays: 30 };

/** Quarters FY2023-Q1 onwards with these hours; status from asOf. */
function series(hours: number[], asOf: number): QuarterHoursInput[] {
  return hours.map((h, i) => {
    const q = quarterById(`FY${2023 + Math.floor(i / 4)}-Q${(i % 4) + 1}`, S);
    return { quarter: q.id, start: q.start, end: q.end, hours: h, status: q.end <= asOf ? "final" : q.start <= asOf ? "in_progress" : "future" };
  });
}

const project = { deliveredOn: "2024-02-15", lagMinMonths: 3, lagMaxMonths: 6, expectedEffectHours: 10 };
// Quarters: 2023 Q1–Q4 before; 2024 Q1 (delivery), Q2, Q3 (lag end 2024-08-15) lag; 2024 Q4 onward after.

describe("projectImpact", () => {
  test("averages complete quarters only, nearest the lag window, and reports the realised effect", () => {
    const asOf = Date.parse("2025-08-01T00:00:00Z"); // FY2025-Q3 in progress
    const hours = [50, 20, 20, 20, 20, 30, 30, 10, 8, 6, 4, 999];
    const r = projectImpact(project, series(hours, asOf), asOf, "UTC");
    expect(r.quarters.map((q) => q.phase)).toEqual(["before", "before", "before", "before", "lag", "lag", "lag", "after", "after", "after", "after", "after"]);
    expect(r.before.quarters).toEqual(["FY2023-Q1", "FY2023-Q2", "FY2023-Q3", "FY2023-Q4"]);
    expect(r.before.average).toBeCloseTo(27.5);
    // FY2025-Q3 (999 h) is in progress and stays out of the average.
    expect(r.after.quarters).toEqual(["FY2024-Q4", "FY2025-Q1", "FY2025-Q2"]);
    expect(r.after.average).toBeCloseTo(8);
    expect(r.realisedEffectHours).toBeCloseTo(19.5);
    expect(r.verdict).toBe("met");
    expect(r.quarters.find((q) => q.quarter === "FY2025-Q3")).toMatchObject({ complete: false, usedIn: null });
  });

  test("uses at most 4 quarters on each side", () => {
    const asOf = Date.parse("2026-08-01T00:00:00Z");
    const hours = [100, 100, 100, 100, 100, 20, 20, 20, 20, 20, 20, 20, 1, 1, 1, 1];
    const pre = series([100, 100, 100, 100], asOf).map((q) => ({ ...q, quarter: q.quarter.replace("FY2023", "FY2022"), start: q.start - 366 * 864e5, end: q.end - 366 * 864e5 }));
    const r = projectImpact(project, [...pre, ...series(hours, asOf)], asOf, "UTC");
    expect(r.before.quarters).toHaveLength(4);
    expect(r.before.quarters[0]).toBe("FY2023-Q1");
    expect(r.after.quarters).toEqual(["FY2024-Q4", "FY2025-Q1", "FY2025-Q2", "FY2025-Q3"]);
  });

  test("too early while the lag window has not passed", () => {
    const asOf = Date.parse("2024-08-01T00:00:00Z");
    const r = projectImpact(project, series([20, 20, 20, 20, 20, 20, 1], asOf), asOf, "UTC");
    expect(r.verdict).toBe("too_early");
    expect(r.realisedEffectHours).toBeNull();
    expect(r.summary).toMatch(/too early to tell/i);
  });

  test("too early when the lag has passed but the first after quarter is still in progress", () => {
    const asOf = Date.parse("2024-12-01T00:00:00Z");
    const r = projectImpact(project, series([20, 20, 20, 20, 20, 20, 20, 1], asOf), asOf, "UTC");
    expect(r.quarters[7]).toMatchObject({ phase: "after", complete: false });
    expect(r.verdict).toBe("too_early");
  });

  test("no drop when after is about the same as before", () => {
    const asOf = Date.parse("2025-04-02T00:00:00Z");
    const r = projectImpact(project, series([10, 12, 9, 11, 30, 30, 30, 11, 10], asOf), asOf, "UTC");
    expect(r.verdict).toBe("no_drop");
    expect(r.realisedEffectHours).toBeCloseTo(0); // 10.5 before, 10.5 after
  });

  test("partial when the drop is real but short of the expected effect", () => {
    const asOf = Date.parse("2025-04-02T00:00:00Z");
    const r = projectImpact(project, series([20, 20, 20, 20, 0, 0, 0, 14, 14], asOf), asOf, "UTC");
    expect(r.verdict).toBe("partial");
    expect(r.realisedEffectHours).toBeCloseTo(6);
  });

  test("not delivered: no date, or a date after asOf; every quarter is before without a date", () => {
    const asOf = Date.parse("2024-01-10T00:00:00Z");
    const none = projectImpact({ ...project, deliveredOn: null }, series([1, 2, 3, 4, 5], asOf), asOf, "UTC");
    expect(none.verdict).toBe("not_delivered");
    expect(none.quarters.every((q) => q.phase === "before")).toBe(true);
    expect(projectImpact(project, series([1, 2, 3, 4, 5], asOf), asOf, "UTC").verdict).toBe("not_delivered");
  });

  test("no baseline when nothing complete precedes the delivery", () => {
    const asOf = Date.parse("2025-04-02T00:00:00Z");
    const quarters = series([20, 20, 20, 20, 20, 20, 20, 5, 5], asOf).slice(4);
    expect(projectImpact(project, quarters, asOf, "UTC").verdict).toBe("no_baseline");
  });
});
