import { describe, expect, test } from "vitest";
import { analyze, compareHere, computeRestatement, DEFAULT_POLICY, evaluate } from "@/lib/metric";
import { inc, input, T } from "./helpers";

const MIN = 60_000;

describe("analyze", () => {
  const start = "2024-02-01T00:00:00Z";
  const s = T(start);
  const incidents = [
    inc(start, 1, { id: "A", services: ["api", "db"], deploySystem: "argo", remediation: "automatic_rollback", mitigatedAt: s + 8 * MIN, fleetExposurePct: 5 }),
    inc(start, 2, { id: "B", services: [], remediation: "manual_fix", mitigatedAt: s + 25 * MIN, fleetExposurePct: null, severity: "SEV3" }),
    inc(start, 0.1, { id: "C", severity: "SEV3" }), // 6 minutes: a blip under the 10-minute rule
    inc(start, 3, { id: "U", trigger: "unknown", analysisStatus: "pending" }),
    inc(start, 1, { id: "O", trigger: "other" }),
    inc(start, 1, { id: "D", duplicateOf: "A", trigger: "unknown" }),
    inc("2024-03-31T23:00:00Z", 2, { id: "X" }),
  ];
  const a = analyze(input(incidents, { asOf: T("2024-04-15T00:00:00Z"), range: { from: "FY2024-Q1", to: "FY2024-Q2" } }));
  const q1 = a.quarters[0];

  test("evaluation equals evaluate()", () => {
    expect(a.evaluation).toEqual(evaluate(input(incidents, { asOf: T("2024-04-15T00:00:00Z"), range: { from: "FY2024-Q1", to: "FY2024-Q2" } })));
    expect(q1.hours).toBeCloseTo(4, 9);
  });

  test("contributions split at the quarter boundary", () => {
    const x = a.incidents.find((i) => i.id === "X")!;
    expect(x.contributions).toEqual([
      { quarter: "FY2024-Q1", hours: 1 },
      { quarter: "FY2024-Q2", hours: 1 },
    ]);
    expect(a.incidents.find((i) => i.id === "O")!.contributions).toEqual([]);
    expect(a.incidents.find((i) => i.id === "O")!.overlaps).toHaveLength(1);
  });

  test("breakdowns: multi-service incidents in each service, missing values as unknown", () => {
    const svc = Object.fromEntries(q1.breakdowns.service.rows.map((r) => [r.key, r.hours]));
    expect(svc).toEqual({ api: 1, db: 1, unknown: 3 });
    expect(q1.breakdowns.service.partsMayExceedTotal).toBe(true);
    expect(q1.breakdowns.deploySystem.rows.find((r) => r.key === "unknown")?.incidents).toBe(2);
    expect(Object.fromEntries(q1.breakdowns.severityClass.rows.map((r) => [r.key, r.hours]))).toEqual({ high: 2, medium: 2 });
  });

  test("North Star ratios with noData", () => {
    // A: automatic, 8 min ≤ 10 → fast. B: manual, 25 min > 20 → slow. X: no remediation → noData.
    expect(q1.northStar.fastRemediation).toEqual({ numerator: 1, denominator: 2, noData: 1, share: 0.5 });
    expect(q1.northStar.earlyDetection).toEqual({ numerator: 1, denominator: 1, noData: 2, share: 1 });
  });

  test("completeness, blip sensitivity and provisional reasons", () => {
    // Candidates: A, B, U, X (C is a blip not selected, O is high but triaged 'other' still a candidate, D duplicate).
    expect(q1.completeness).toEqual({ candidates: 5, triaged: 4, untriaged: 1, share: 0.8 });
    const blip = Object.fromEntries(q1.blipSensitivity.map((b) => [b.minDurationMinutes, b.hours]));
    expect(blip[5]).toBeCloseTo(4.1, 9);
    expect(blip[10]).toBeCloseTo(4, 9);
    expect(blip[30]).toBeCloseTo(4, 9);
    expect(q1.status).toBe("provisional");
    expect(q1.provisional).toMatchObject({ recent: true, awaitingAnalysis: 1, untriaged: 1, untriagedHours: 3 });
    expect(q1.provisional.messages.join(" ")).toMatch(/untriaged/);
  });
});

describe("what-if and restatement", () => {
  const incidents = [inc("2024-02-01T00:00:00Z", 1, { id: "A" }), inc("2024-02-02T00:00:00Z", 2, { id: "M", severity: "SEV3", affectedFeatures: ["login"] })];
  const base = input(incidents, { range: { from: "FY2024-Q1", to: "FY2024-Q1" } });

  test("compareHere lists the incidents whose counting changes", () => {
    const draft = { ...DEFAULT_POLICY, mediumRule: { match: "any" as const, features: ["billing"] } };
    const w = compareHere(base, draft);
    expect(w.quarters[0]).toMatchObject({ quarter: "FY2024-Q1", current: { hours: 3, counted: 2 }, draft: { hours: 1, counted: 1 }, deltaHours: -2 });
    expect(w.changes).toEqual([
      {
        id: "M",
        before: { counted: true, reason: "medium_selected", contributions: [{ quarter: "FY2024-Q1", hours: 2 }] },
        after: { counted: false, reason: "medium_not_selected", contributions: [] },
      },
    ]);
  });

  test("restatement: reported X, now Y, moved incidents", () => {
    const snapshot = { quarter: "FY2024-Q1", hours: 1, contributions: [{ incidentId: "A", hours: 1, reason: "high_severity" }] };
    const r = computeRestatement(snapshot, analyze(base));
    expect(r).toEqual({
      quarter: "FY2024-Q1",
      reported: 1,
      now: 3,
      delta: 2,
      moved: [{ id: "M", before: 0, after: 2, reasonBefore: null, reasonAfter: "medium_selected" }],
    });
  });
});
