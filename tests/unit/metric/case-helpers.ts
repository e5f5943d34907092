import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { EvaluationResult } from "@/lib/metric";

export const CASES_DIR = path.resolve(__dirname, "../../fixtures/cases");

export interface ExpectedCase {
  file: string;
  name: string;
  raw: Record<string, unknown> & { expected: EvaluationResult };
}

export function loadCases(): ExpectedCase[] {
  return fs
    .readdirSync(CASES_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const raw = JSON.parse(fs.readFileSync(path.join(CASES_DIR, f), "utf8"));
      return { file: path.join(CASES_DIR, f), name: f.replace(/\.json$/, ""), raw };
    });
}

/** Compares start/end as instants and hours within 1e-6, the rest exactly. */
export function expectMatchesCase(actual: EvaluationResult, expected: EvaluationResult): void {
  expect(actual.quarters.map((q) => q.quarter)).toEqual(expected.quarters.map((q) => q.quarter));
  expected.quarters.forEach((e, i) => {
    const a = actual.quarters[i];
    const where = e.quarter;
    expect(Date.parse(a.start), `${where} start`).toBe(Date.parse(e.start));
    expect(Date.parse(a.end), `${where} end`).toBe(Date.parse(e.end));
    expect(Math.abs(a.hours - e.hours), `${where} hours ${a.hours} vs ${e.hours}`).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(a.upperBoundHours - e.upperBoundHours), `${where} upperBoundHours`).toBeLessThanOrEqual(1e-6);
    expect(a.countedIncidentIds, `${where} countedIncidentIds`).toEqual(e.countedIncidentIds);
    expect(a.target, `${where} target`).toEqual(e.target);
    expect(a.status, `${where} status`).toBe(e.status);
  });
  expect(actual.incidents).toEqual(expected.incidents);
}
