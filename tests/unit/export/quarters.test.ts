import { expect, test } from "vitest";
import { quartersToCsv, quartersToJson, toQuarterExportRows } from "@/lib/export/quarters";
import { sampleAnalysis } from "./fixtures";

test("quarter rows carry the engine's exact figures", () => {
  const a = sampleAnalysis();
  const rows = toQuarterExportRows(a.evaluation.quarters);
  expect(rows.map((r) => r.quarter)).toEqual(["FY2024-Q1", "FY2024-Q2", "FY2024-Q3"]);
  expect(rows[1]).toMatchObject({ hours: 12, target: 10, countedIncidents: 2, countedIncidentIds: ["2", "3"] });
  expect(rows[2].upperBoundHours).toBe(5);
  expect(rows[2].hours).toBe(3);
});

test("CSV has the documented header, ISO dates, and an empty cell for no target", () => {
  const csv = quartersToCsv(toQuarterExportRows(sampleAnalysis().evaluation.quarters));
  const lines = csv.trim().split("\n");
  expect(lines[0]).toBe("quarter,start,end,hours,upper_bound_hours,target,status,counted_incidents");
  expect(lines[1]).toBe("FY2024-Q1,2024-01-01T00:00:00.000Z,2024-04-01T00:00:00.000Z,5,5,,final,1");
  expect(lines[3]).toBe("FY2024-Q3,2024-07-01T00:00:00.000Z,2024-10-01T00:00:00.000Z,3,5,8,provisional,2");
});

test("JSON round-trips the rows", () => {
  const rows = toQuarterExportRows(sampleAnalysis().evaluation.quarters);
  const parsed = JSON.parse(quartersToJson(rows, { asOf: "2025-01-15T00:00:00.000Z" }));
  expect(parsed.quarters).toEqual(rows);
  expect(parsed.asOf).toBe("2025-01-15T00:00:00.000Z");
});

test("with the change figures, each row carries its quarter's; the CSV adds their columns, null as an empty cell", () => {
  const quarters = sampleAnalysis().evaluation.quarters;
  const dora = quarters.slice(0, 2).map((q, i) => ({
    quarter: q.quarter, start: q.start, end: q.end, deployments: i ? 4 : 0, remediationDeploys: i, failedDeployments: i, failedDeployIds: i ? ["d1"] : [],
    changeFailRate: i ? 0.25 : null, recoveryMedianHours: i ? 1.5 : null, recoveryP90Hours: i ? 1.5 : null, unrecovered: 0, reworkRate: i ? 0.2 : null,
  }));
  const rows = toQuarterExportRows(quarters, dora);
  expect(rows[1].changes).toEqual({ deployments: 4, remediationDeploys: 1, failedDeployments: 1, changeFailRate: 0.25, recoveryMedianHours: 1.5, recoveryP90Hours: 1.5, unrecovered: 0, reworkRate: 0.2 });
  expect(rows[2].changes).toBeUndefined();
  const lines = quartersToCsv(rows).trim().split("\n");
  expect(lines[0]).toBe("quarter,start,end,hours,upper_bound_hours,target,status,counted_incidents,deployments,remediation_deploys,failed_deployments,change_fail_rate,recovery_median_hours,recovery_p90_hours,unrecovered,rework_rate");
  expect(lines[1].endsWith(",0,0,0,,,,0,")).toBe(true);
  expect(lines[2].endsWith(",4,1,1,0.25,1.5,1.5,0,0.2")).toBe(true);
});
