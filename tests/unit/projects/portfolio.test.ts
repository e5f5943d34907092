import { describe, expect, test } from "vitest";
import type { QuarterAnalysis } from "@/lib/metric/analysis-types";
import { rankSources, type PortfolioProject } from "@/lib/projects/portfolio";

function quarter(id: string, service: [string, number][]): QuarterAnalysis {
  const rows = service.map(([key, hours]) => ({ key, hours, incidents: 1 }));
  const empty = { rows: [], partsMayExceedTotal: false, note: null };
  return {
    quarter: id,
    breakdowns: { service: { rows, partsMayExceedTotal: true, note: null }, deploySystem: empty, changeType: empty, severityClass: empty, remediation: empty },
  } as unknown as QuarterAnalysis;
}

const projects: PortfolioProject[] = [
  { slug: "a", name: "A", status: "delivered", scope: { services: ["Search"], deploySystems: [], changeTypes: [] } },
  { slug: "b", name: "B", status: "curtailed", scope: { services: ["payments"], deploySystems: [], changeTypes: [] } },
  { slug: "c", name: "C", status: "planned", scope: { services: [], deploySystems: ["spinnaker"], changeTypes: [] } },
];

describe("rankSources", () => {
  test("sums quarters, ranks by hours, runs a cumulative share to 100%", () => {
    const r = rankSources([quarter("FY2024-Q1", [["search", 6], ["payments", 2]]), quarter("FY2024-Q2", [["web", 8], ["search", 4], ["unknown", 0]])], "service", projects);
    expect(r.rows.map((x) => x.key)).toEqual(["search", "web", "payments"]);
    expect(r.totalHours).toBe(20);
    expect(r.rows.map((x) => x.cumulativeShare)).toEqual([0.5, 0.9, 1]);
    expect(r.rows.map((x) => x.share)).toEqual([0.5, 0.4, 0.1]);
  });

  test("coverage: named in the scope's dimension, case-insensitive; curtailed projects leave a gap", () => {
    const r = rankSources([quarter("FY2024-Q1", [["search", 6], ["payments", 2], ["web", 1], ["unknown", 1]])], "service", projects);
    const by = Object.fromEntries(r.rows.map((x) => [x.key, x]));
    expect(by.search.covering.map((c) => c.slug)).toEqual(["a"]);
    expect(by.search.gap).toBe(false);
    expect(by.payments.covering.map((c) => c.slug)).toEqual(["b"]);
    expect(by.payments.gap).toBe(true);
    // C's empty services dimension does not make it cover every service.
    expect(by.web.covering).toEqual([]);
    expect(by.web.gap).toBe(true);
    expect(by.unknown).toMatchObject({ unknown: true, covering: [] });
  });

  test("no hours → no rows", () => {
    expect(rankSources([], "service", projects)).toMatchObject({ rows: [], totalHours: 0 });
  });
});
