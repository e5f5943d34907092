import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { evaluateDora, type DoraQuarter } from "@/lib/metric/dora";
import { doraCaseFileSchema, doraInputFromCase } from "@/lib/validation/dora";

const DIR = path.resolve(__dirname, "../../fixtures/dora-cases");
const cases = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ""), file: path.join(DIR, f), raw: JSON.parse(fs.readFileSync(path.join(DIR, f), "utf8")) }));

const NUMBERS = ["changeFailRate", "recoveryMedianHours", "recoveryP90Hours", "reworkRate"] as const;
const COUNTS = ["deployments", "remediationDeploys", "failedDeployments", "unrecovered"] as const;

/** Compares start/end as instants, rates and hours within 1e-6 (null must be null), the rest exactly. */
function expectMatchesDoraCase(actual: DoraQuarter[], expected: DoraQuarter[]): void {
  expect(actual.map((q) => q.quarter)).toEqual(expected.map((q) => q.quarter));
  expected.forEach((e, i) => {
    const a = actual[i];
    expect(Date.parse(a.start), `${e.quarter} start`).toBe(Date.parse(e.start));
    expect(Date.parse(a.end), `${e.quarter} end`).toBe(Date.parse(e.end));
    for (const k of COUNTS) expect(a[k], `${e.quarter} ${k}`).toBe(e[k]);
    expect(a.failedDeployIds, `${e.quarter} failedDeployIds`).toEqual(e.failedDeployIds);
    for (const k of NUMBERS) {
      if (e[k] === null) expect(a[k], `${e.quarter} ${k}`).toBeNull();
      else expect(Math.abs((a[k] ?? NaN) - e[k]!), `${e.quarter} ${k}: ${a[k]} vs ${e[k]}`).toBeLessThanOrEqual(1e-6);
    }
  });
}

describe("DORA cases through the engine", () => {
  test("every shared vector is here", () => expect(cases.length).toBeGreaterThanOrEqual(15));

  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const parsed = doraCaseFileSchema.parse(c.raw);
    expectMatchesDoraCase(evaluateDora(doraInputFromCase(parsed)).quarters, c.raw.expected.quarters);
  });
});
