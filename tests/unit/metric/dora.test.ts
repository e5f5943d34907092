import { describe, expect, test } from "vitest";
import { aggregateDora, aggregateDoraOverRange, classifyDeploys, evaluateDora, type DoraInput } from "@/lib/metric/dora";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type EngineIncident } from "@/lib/metric/types";

const H = 3_600_000;
const T0 = Date.parse("2024-02-01T00:00:00Z");

function incident(id: string, startedAt: number, over: Partial<EngineIncident> = {}): EngineIncident {
  return {
    id, severity: "SEV1", trigger: "change", startedAt, resolvedAt: startedAt + 5 * H, impactStart: null, impactEnd: null,
    customerImpactPct: null, affectedFeatures: [], services: ["a"], override: null, analysisStatus: "final", ...over,
  };
}

function input(over: Partial<DoraInput>): DoraInput {
  return {
    settings: DEFAULT_SETTINGS, policy: DEFAULT_POLICY, asOf: Date.parse("2025-01-01T00:00:00Z"), range: { from: "FY2024-Q1", to: "FY2024-Q2" },
    incidents: [], deploys: [], causes: [], remediations: [], ...over,
  };
}

describe("change figures by key and over the range", () => {
  // a1 (Q1) fails, recovered by its incident's mitigation after 2 h; b1 (Q2) fails, recovered
  // after 6 h; a2 (Q2) is fine. Per service over the range: a 1 of 2 failed, b 1 of 1.
  const data = input({
    incidents: [incident("I1", T0 + H, { mitigatedAt: T0 + 2 * H }), incident("I2", T0 + 100 * 24 * H, { mitigatedAt: T0 + 100 * 24 * H + 6 * H })],
    deploys: [
      { id: "a1", service: "a", finishedAt: T0, isRollback: false, system: "argo" },
      { id: "a2", service: "a", finishedAt: T0 + 90 * 24 * H, isRollback: false, system: null },
      { id: "b1", service: "b", finishedAt: T0 + 100 * 24 * H, isRollback: false, system: "argo" },
    ],
    causes: [
      { incidentId: "I1", deployId: "a1" },
      { incidentId: "I2", deployId: "b1" },
      { incidentId: "I1", deployId: "a1" },
    ],
  });

  test("per quarter and per key", () => {
    const facts = classifyDeploys(data);
    expect(aggregateDora(facts).map((q) => [q.quarter, q.deployments, q.failedDeployments, q.recoveryMedianHours])).toEqual([
      ["FY2024-Q1", 1, 1, 2],
      ["FY2024-Q2", 2, 1, 6],
    ]);
    const bySystem = aggregateDora(facts, (d) => d.system ?? null);
    expect([...bySystem.keys()]).toEqual(["argo"]); // a2 has no system: left out, not "unknown"
    expect(bySystem.get("argo")!.map((q) => q.deployments)).toEqual([1, 1]);
  });

  test("over the range, the median is over every failed deployment, not of quarterly medians", () => {
    const all = aggregateDoraOverRange(classifyDeploys(data), () => "all").get("all")!;
    expect(all).toMatchObject({ quarter: "FY2024-Q1..FY2024-Q2", deployments: 3, failedDeployments: 2, recoveryMedianHours: 4, recoveryP90Hours: 6 });
    expect(all.changeFailRate).toBeCloseTo(2 / 3, 12);
    const perService = aggregateDoraOverRange(classifyDeploys(data), (d) => d.service);
    expect([...perService].map(([k, q]) => [k, q.deployments, q.failedDeployments])).toEqual([
      ["a", 2, 1],
      ["b", 1, 1],
    ]);
  });

  test("links to unknown incidents or deploys (or deploys after asOf) are reported, not counted", () => {
    const r = evaluateDora(
      input({
        asOf: T0 + H,
        incidents: [incident("I1", T0)],
        deploys: [{ id: "late", service: "a", finishedAt: T0 + 2 * H, isRollback: false }],
        causes: [{ incidentId: "I1", deployId: "late" }, { incidentId: "nope", deployId: "late" }],
        remediations: [{ incidentId: "I1", deployId: "gone" }],
      }),
    );
    expect(r.ignoredLinks.map((l) => [l.kind, l.incidentId, l.deployId, l.why])).toEqual([
      ["cause", "I1", "late", "unknown deploy"],
      ["cause", "nope", "late", "unknown incident"],
      ["remediation", "I1", "gone", "unknown deploy"],
    ]);
    expect(r.quarters[0]).toMatchObject({ deployments: 0, changeFailRate: null, reworkRate: null });
  });

  test("a rollback at the same instant as a deployment does not roll it back (it is not before)", () => {
    const r = evaluateDora(
      input({
        deploys: [
          { id: "d0", service: "a", finishedAt: T0 - H, isRollback: false },
          { id: "d1", service: "a", finishedAt: T0, isRollback: false },
          { id: "r", service: "a", finishedAt: T0, isRollback: true },
        ],
      }),
    );
    expect(r.quarters[0].failedDeployIds).toEqual(["d0"]);
  });
});

describe("the worked example in docs/dora.md", () => {
  test("change fail rate 1/3, recovery 40 min, rework 2/5", () => {
    const at = (hhmm: string) => Date.parse(`2024-02-01T${hhmm}:00Z`);
    const r = evaluateDora(
      input({
        range: { from: "FY2024-Q1", to: "FY2024-Q1" },
        incidents: [incident("I1", at("10:05"), { resolvedAt: at("12:00"), mitigatedAt: at("11:00") }), incident("I2", at("14:10"), { trigger: "unknown" })],
        deploys: [
          { id: "d1", service: "checkout", finishedAt: at("10:00"), isRollback: false },
          { id: "r1", service: "checkout", finishedAt: at("10:40"), isRollback: true },
          { id: "d2", service: "checkout", finishedAt: at("14:00"), isRollback: false },
          { id: "d3", service: "checkout", finishedAt: at("16:00"), isRollback: false },
          { id: "f1", service: "checkout", finishedAt: at("17:30"), isRollback: false },
        ],
        causes: [{ incidentId: "I1", deployId: "d1" }, { incidentId: "I2", deployId: "d2" }],
        remediations: [{ incidentId: "I1", deployId: "f1" }],
      }),
    );
    const q = r.quarters[0];
    expect(q).toMatchObject({ deployments: 3, remediationDeploys: 2, failedDeployIds: ["d1"], unrecovered: 0 });
    expect(q.changeFailRate).toBeCloseTo(1 / 3, 12);
    expect(q.recoveryMedianHours).toBeCloseTo(40 / 60, 12);
    expect(q.reworkRate).toBeCloseTo(2 / 5, 12);
  });
});
