import { describe, expect, test } from "vitest";
import { OTHER_KEY, quartersForPeriod, rankSources, toStackedBreakdown } from "@/lib/charts/breakdown";
import { inc, run } from "./fixtures";

const incidents = [
  inc("a", "2024-01-10T00:00:00Z", 10, { services: ["api", "web"] }),
  inc("b", "2024-02-10T00:00:00Z", 5, { services: ["db"], deploySystem: "argocd" }),
  inc("c", "2024-04-10T00:00:00Z", 2, { services: ["search"], deploySystem: null }),
  inc("d", "2024-04-11T00:00:00Z", 1, { services: ["mail"] }),
  inc("x", "2024-04-12T00:00:00Z", 7, { trigger: "other", services: ["api"] }),
];
const a = run(incidents);

describe("toStackedBreakdown", () => {
  test("multi-service incidents count in each service and the data says parts may exceed the total", () => {
    const s = toStackedBreakdown(a.quarters, "service");
    const q1 = s.rows.find((r) => r.quarter === "FY2024-Q1")!;
    const byLabel = Object.fromEntries(s.series.map((x) => [x.label, q1[x.key]]));
    expect(byLabel).toMatchObject({ api: 10, web: 10, db: 5 });
    expect(q1.total).toBe(15);
    expect(s.partsMayExceedTotal).toBe(true);
    expect(s.note).toMatch(/more than the total/);
  });

  test("keys past topN are folded into other; single-valued dimensions add up to the total", () => {
    const s = toStackedBreakdown(a.quarters, "service", 2);
    expect(s.series.map((x) => x.key)).toContain(OTHER_KEY);
    const d = toStackedBreakdown(a.quarters, "deploySystem");
    expect(d.partsMayExceedTotal).toBe(false);
    for (const r of d.rows) {
      const sum = d.series.reduce((acc, x) => acc + (r[x.key] as number), 0);
      expect(sum).toBeCloseTo(r.total, 6);
    }
    expect(d.series.map((x) => x.label)).toContain("unknown");
  });
});

describe("rankSources", () => {
  test("ranks counted hours over the chosen quarters only, distinct incidents per key", () => {
    const r = rankSources(incidents, a.incidents, "service", new Set(["FY2024-Q2"]));
    expect(r.totalHours).toBe(3);
    expect(r.rows.map((x) => [x.key, x.hours, x.incidents])).toEqual([
      ["search", 2, 1],
      ["mail", 1, 1],
    ]);
    expect(r.rows[0].share).toBeCloseTo(2 / 3);
  });

  test("period selection", () => {
    expect([...quartersForPeriod(a.quarters, "current")]).toEqual(["FY2024-Q4"]);
    expect([...quartersForPeriod(a.quarters, "last")]).toEqual(["FY2024-Q3"]);
    expect(quartersForPeriod(a.quarters, "all").size).toBe(4);
  });
});

describe("rankAllSources", () => {
  test("equals rankSources for every dimension and period", async () => {
    const { rankAllSources, BREAKDOWN_DIMENSIONS, RANKING_PERIODS } = await import("@/lib/charts/breakdown");
    const all = rankAllSources(incidents, a.incidents, a.quarters);
    for (const d of BREAKDOWN_DIMENSIONS) {
      for (const p of RANKING_PERIODS) {
        const one = rankSources(incidents, a.incidents, d, quartersForPeriod(a.quarters, p));
        expect(all[d][p].rows).toEqual(one.rows);
        expect(all[d][p].totalHours).toBe(one.totalHours);
      }
    }
  });
});
