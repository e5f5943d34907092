import { describe, expect, test } from "vitest";
import { analyze } from "@/lib/metric/analyze";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type EngineIncident } from "@/lib/metric/types";
import { scopedQuarterHours } from "@/lib/projects/scoped-hours";

const H = 3_600_000;
const base = (id: string, startIso: string, hours: number, over: Partial<EngineIncident> = {}): EngineIncident => ({
  id,
  severity: "SEV1",
  trigger: "change",
  startedAt: Date.parse(startIso),
  resolvedAt: Date.parse(startIso) + hours * H,
  impactStart: null,
  impactEnd: null,
  customerImpactPct: null,
  affectedFeatures: [],
  services: ["search"],
  override: null,
  analysisStatus: "final",
  deploySystem: "argo",
  changeType: "code_deploy",
  ...over,
});

const incidents = [
  base("1", "2024-01-10T00:00:00Z", 2),
  base("2", "2024-03-31T23:00:00Z", 2), // 1 h in Q1, 1 h in Q2
  base("3", "2024-02-01T00:00:00Z", 5, { trigger: "other" }), // in scope, not counted
  base("4", "2024-02-01T00:00:00Z", 7, { services: ["web"] }), // counted, out of scope
];
const analysis = analyze({ settings: DEFAULT_SETTINGS, policy: DEFAULT_POLICY, targets: {}, asOf: Date.parse("2024-07-01T00:00:00Z"), range: { from: "FY2024-Q1", to: "FY2024-Q2" }, incidents });
const scope = { services: ["search"], deploySystems: [], changeTypes: [] };

describe("scopedQuarterHours", () => {
  test("sums counted contributions of in-scope incidents per quarter, split at quarter boundaries", () => {
    const rows = scopedQuarterHours(analysis, incidents, scope);
    expect(rows.map((r) => [r.quarter, r.hours])).toEqual([
      ["FY2024-Q1", 3],
      ["FY2024-Q2", 1],
    ]);
  });

  test("does not depend on the order incidents are passed in", () => {
    expect(scopedQuarterHours(analysis, [...incidents].reverse(), scope).map((r) => r.hours)).toEqual([3, 1]);
  });
});
