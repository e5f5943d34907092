import { describe, expect, test } from "vitest";
import { quarterById } from "@/lib/metric/calendar";
import type { Settings } from "@/lib/metric/types";
import { suggestTargets, type PlanProjectInput } from "@/lib/projects/plan";

const S: Settings = { fiscalYearStartMonth: 1, timezone: "UTC", fiscalYearLabel: "end", maturityDays: 30 };
const q = (id: string, hours = 0) => {
  const x = quarterById(id, S);
  return { quarter: x.id, start: x.start, end: x.end, hours };
};
const asOf = Date.parse("2025-02-10T00:00:00Z"); // FY2025-Q1 in progress
const history = [q("FY2023-Q4", 100), q("FY2024-Q1", 40), q("FY2024-Q2", 30), q("FY2024-Q3", 20), q("FY2024-Q4", 10), q("FY2025-Q1", 500)];
const coming = [q("FY2025-Q2"), q("FY2025-Q3"), q("FY2025-Q4")];
const p = (over: Partial<PlanProjectInput>): PlanProjectInput => ({
  slug: "x",
  name: "X",
  status: "delivered",
  deliveredOn: "2024-01-01",
  lagMinMonths: 3,
  lagMaxMonths: 6,
  expectedEffectHours: 8,
  ...over,
});

describe("suggestTargets", () => {
  test("baseline = mean of the last 4 complete quarters (the in-progress one is left out)", () => {
    const plan = suggestTargets(history, coming, [], asOf, "UTC");
    expect(plan.baseline?.quarters).toEqual(["FY2024-Q1", "FY2024-Q2", "FY2024-Q3", "FY2024-Q4"]);
    expect(plan.baseline?.average).toBe(25);
    expect(plan.suggestions.map((s) => s.suggestedHours)).toEqual([25, 25, 25]);
    expect(plan.suggestions[0].reasoning[0]).toMatch(/Baseline 25\.0 h.*FY2024-Q1…FY2024-Q4/);
  });

  test("deducts a project's effect from the quarter its lag has passed, prorated by what the baseline already holds", () => {
    const plan = suggestTargets(
      history,
      coming,
      [
        p({ slug: "future", name: "Future", deliveredOn: "2025-01-15", lagMaxMonths: 6, expectedEffectHours: 6 }), // lag ends 2025-07-15
        p({ slug: "mid", name: "Mid", deliveredOn: "2024-01-01", lagMaxMonths: 6, expectedEffectHours: 8 }), // lag ends 2024-07-01: 2/4 of baseline before it
        p({ slug: "old", name: "Old", deliveredOn: "2022-01-01", expectedEffectHours: 50 }), // already in the baseline
      ],
      asOf,
      "UTC",
    );
    const [q2, q3, q4] = plan.suggestions;
    expect(q2.deductions.map((d) => [d.slug, d.share, d.hours, d.capped])).toEqual([["mid", 0.5, 4, false]]);
    expect(q2.suggestedHours).toBe(21);
    expect(q3.suggestedHours).toBe(21); // "future" lag ends mid-Q3: not yet
    expect(q4.deductions.map((d) => d.slug)).toEqual(["future", "mid"]);
    expect(q4.suggestedHours).toBe(15);
    expect(q4.reasoning.some((r) => /Future: 6 h a quarter expected \(lag window to 2025-07-14, inclusive\)/.test(r))).toBe(true);
  });

  test("a deduction is capped at what the project's scope held over the baseline", () => {
    const plan = suggestTargets(history, coming, [p({ deliveredOn: "2024-06-01", lagMaxMonths: 3, expectedEffectHours: 20, scopeBaselineHours: 3 })], asOf, "UTC");
    expect(plan.suggestions[0].deductions[0]).toMatchObject({ hours: 3, capped: true });
    expect(plan.suggestions[0].suggestedHours).toBe(22);
    expect(plan.suggestions[0].reasoning[1]).toMatch(/capped at 3\.0 h/);
  });

  test("curtailed, undated and effect-less projects are listed as excluded", () => {
    const plan = suggestTargets(history, coming, [p({ slug: "c", status: "curtailed" }), p({ slug: "d", deliveredOn: null }), p({ slug: "e", expectedEffectHours: null })], asOf, "UTC");
    expect(plan.excluded.map((e) => [e.slug, e.reason])).toEqual([
      ["c", "curtailed"],
      ["d", "no delivery date"],
      ["e", "no expected effect"],
    ]);
    expect(plan.suggestions[0].deductions).toEqual([]);
  });

  test("floors at zero and says so", () => {
    const plan = suggestTargets(history, coming, [p({ deliveredOn: "2024-06-01", lagMaxMonths: 3, expectedEffectHours: 100 })], asOf, "UTC");
    expect(plan.suggestions[0].suggestedHours).toBe(0);
    expect(plan.suggestions[0].reasoning.at(-1)).toMatch(/floored at 0/);
  });

  test("needs two complete quarters of history", () => {
    const plan = suggestTargets([q("FY2024-Q4", 10), q("FY2025-Q1", 1)], coming, [], asOf, "UTC");
    expect(plan.suggestions).toEqual([]);
    expect(plan.message).toMatch(/at least 2 complete quarters/);
  });
});
