import { describe, expect, test } from "vitest";
import { policyChangeRows, targetChangeIsGoverned, targetChangeRow, targetVerdict } from "@/lib/governance/change-preview";

describe("governance change preview (issue 15)", () => {
  test.each([
    [10, 10, "met"],
    [10.01, 10, "missed"],
    [3, null, null],
  ])("%s h against %s reads %s, as a report does", (hours, target, verdict) => {
    expect(targetVerdict(hours, target)).toBe(verdict);
  });

  test("a new policy lists only the quarters it moves, with flips and the closed report", () => {
    const rows = policyChangeRows(
      [
        { quarter: "FY2025-Q2", current: { hours: 45.5, status: "final" }, draft: { hours: 44.9 } },
        { quarter: "FY2025-Q3", current: { hours: 12, status: "final" }, draft: { hours: 12.001 } },
        { quarter: "FY2025-Q4", current: { hours: 10.5, status: "provisional" }, draft: { hours: 9.5 } },
        { quarter: "FY2026-Q2", current: { hours: 0, status: "future" }, draft: { hours: 1 } },
      ],
      { "FY2025-Q2": 40, "FY2025-Q4": 10 },
      [{ quarter: "FY2025-Q2", reportedHours: 45.5, reportedTarget: 40, publishedVersions: 1 }],
    );
    expect(rows.map((r) => [r.quarter, r.verdictBefore, r.verdictAfter, r.flips, r.closed?.publishedVersions ?? 0])).toEqual([
      ["FY2025-Q2", "missed", "missed", false, 1],
      ["FY2025-Q4", "missed", "met", true, 0],
    ]);
  });

  test("raising an ended quarter's target flips missed → met and is governed; a future quarter's is not", () => {
    const r = targetChangeRow({ quarter: "FY2025-Q2", status: "final", hours: 15.1 }, 12, 16, null);
    expect([r.verdictBefore, r.verdictAfter, r.flips]).toEqual(["missed", "met", true]);
    expect(targetChangeIsGoverned("final")).toBe(true);
    expect(targetChangeIsGoverned("provisional")).toBe(true);
    expect(targetChangeIsGoverned("in_progress")).toBe(false);
    expect(targetChangeIsGoverned("future")).toBe(false);
  });
});
