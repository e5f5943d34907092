import { expect, test } from "vitest";
import { buildReportModel, targetOutcome, targetText } from "@/lib/export/report-model";
import { META, sampleAnalysis, sampleModel } from "./fixtures";

test("figure, previous quarter and peak", () => {
  const m = sampleModel("FY2024-Q3");
  expect(m.figure).toMatchObject({ hours: 3, upperBoundHours: 5, target: 8, status: "provisional", countedIncidents: 2 });
  expect(m.figure.provisionalMessages.length).toBeGreaterThan(0);
  expect(m.previous).toEqual({ quarter: "FY2024-Q2", hours: 12, target: 10 });
  expect(m.peak).toEqual({ quarter: "FY2024-Q2", hours: 12 });
  expect(targetOutcome(m)).toBe("met");
});

test("the first quarter has no previous; the peak may be the quarter itself", () => {
  const q1 = sampleModel("FY2024-Q1");
  expect(q1.previous).toBeNull();
  expect(q1.peak).toEqual({ quarter: "FY2024-Q1", hours: 5 });
  const q2 = sampleModel("FY2024-Q2");
  expect(targetOutcome(q2)).toBe("missed");
});

test("top incidents are ordered by contribution with their share", () => {
  const m = sampleModel("FY2024-Q2");
  expect(m.topIncidents.map((i) => [i.sourceId, i.hours])).toEqual([
    ["INC-2", 8],
    ["INC-3", 4],
  ]);
  expect(m.topIncidents[0].share).toBeCloseTo(8 / 12);
});

test("series ends at the report's quarter and breakdowns come from that quarter", () => {
  const m = sampleModel("FY2024-Q2");
  expect(m.series.map((s) => s.quarter)).toEqual(["FY2024-Q1", "FY2024-Q2"]);
  const svc = Object.fromEntries(m.breakdowns.service.rows.map((r) => [r.key, r.hours]));
  expect(svc).toMatchObject({ api: 12, db: 8 });
  expect(m.breakdowns.service.partsMayExceedTotal).toBe(true);
});

test("unreviewed counted incidents are listed; uncounted ones are not", () => {
  const m = sampleModel("FY2024-Q3");
  expect(m.completeness.unreviewedCounted).toBe(1);
  expect(m.completeness.unreviewed).toEqual([{ id: "5", sourceId: "INC-5", title: "Incident 5" }]);
  expect(m.completeness.untriaged).toBe(1);
});

test("narrative, policy version and JSON round trip", () => {
  const m = sampleModel("FY2024-Q3", "  ");
  expect(m.narrative).toBeNull();
  const withText = sampleModel("FY2024-Q3", "We shipped rollbacks.");
  expect(withText.narrative).toBe("We shipped rollbacks.");
  expect(withText.policy).toEqual({ versionId: 3, note: "Default", createdAt: "2024-01-01T00:00:00.000Z", overlap: "sum" });
  expect(JSON.parse(JSON.stringify(withText))).toEqual(withText);
});

test("a quarter outside the analysis is refused", () => {
  expect(() =>
    buildReportModel({ quarter: "FY2030-Q1", analysis: sampleAnalysis(), incidents: META, projects: [], narrative: null, policy: { versionId: 0, note: null, createdAt: null }, timezone: "UTC" }),
  ).toThrow(/does not cover FY2030-Q1/);
});

test("targetText words the outcome, and an unfinished quarter is only 'so far'", () => {
  const fmt = (h: number) => `${h} h`;
  const at = (hours: number, target: number | null, status: "final" | "in_progress") => ({ figure: { hours, target, status, upperBoundHours: hours, countedIncidents: 0, provisionalMessages: [] } });
  expect(targetText(at(3, 8, "final"), fmt)).toBe("Met");
  expect(targetText(at(10, 8, "final"), fmt)).toBe("Missed by 2 h");
  expect(targetText(at(3, 8, "in_progress"), fmt)).toBe("Within target so far");
  expect(targetText(at(10, 8, "in_progress"), fmt)).toBe("Already over by 2 h");
  expect(targetText(at(3, null, "final"), fmt)).toBe("No target set");
});
