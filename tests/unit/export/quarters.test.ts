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
