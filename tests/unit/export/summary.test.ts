import { expect, test } from "vitest";
import { buildQuarterSummary } from "@/lib/export/summary";
import { sampleModel } from "./fixtures";

test("summary states the figure, target, comparisons, contributors and data caveats", () => {
  const text = buildQuarterSummary(sampleModel("FY2024-Q3", "Rollbacks are paying off."), { url: "https://ds.example.com/reports/FY2024-Q3" });
  expect(text).toContain("Deploy Safety FY2024-Q3 (2024-07-01 to 2024-09-30; provisional)");
  expect(text).toContain("3.0 h across 2 counted incidents; target 8.0 h (met)");
  expect(text).toContain("Up to 5.0 h if every untriaged incident");
  expect(text).toContain("vs FY2024-Q2: −9.0 h (−75%)");
  expect(text).toContain("vs peak FY2024-Q2 (12.0 h): −75%");
  expect(text).toContain("- INC-4 Incident 4: 2.0 h (67%)");
  expect(text).toContain("1 counted incident with unreviewed tags");
  expect(text).toContain("Rollbacks are paying off.");
  expect(text.trim().split("\n").at(-1)).toBe("https://ds.example.com/reports/FY2024-Q3");
});

test("a missed target, the peak itself, and a published version", () => {
  const text = buildQuarterSummary(sampleModel("FY2024-Q2"), { published: { version: 2, publishedAt: "2024-07-20T12:00:00Z" } });
  expect(text).toContain("published v2 on 2024-07-20");
  expect(text).toContain("target 10.0 h (missed by 2.0 h)");
  expect(text).toContain("this is the highest quarter so far");
  expect(text).not.toContain("Up to");
});

test("no target, no previous quarter", () => {
  const text = buildQuarterSummary(sampleModel("FY2024-Q1"));
  expect(text).toContain("no target set");
  expect(text).not.toContain("vs FY");
});
