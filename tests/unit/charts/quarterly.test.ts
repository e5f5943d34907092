import { describe, expect, test } from "vitest";
import { quarterlyDomainMax, toQuarterlyChartData } from "@/lib/charts/quarterly";
import { closedFigureText, formatSignedPercent, toHeadline } from "@/lib/charts/headline";
import { inc, run } from "./fixtures";

describe("toQuarterlyChartData", () => {
  const a = run(
    [
      inc("a", "2024-01-10T00:00:00Z", 10),
      inc("b", "2024-03-31T22:00:00Z", 4), // 2 h in Q1, 2 h in Q2
      inc("u", "2024-05-01T00:00:00Z", 3, { trigger: "unknown" }),
      inc("c", "2024-11-01T00:00:00Z", 1),
    ],
    { targets: { "FY2024-Q1": 20, "FY2024-Q2": 1 } },
  );
  const data = toQuarterlyChartData(a.quarters);

  test("one row per non-future quarter, hours and targets carried over", () => {
    expect(data.map((d) => d.quarter)).toEqual(["FY2024-Q1", "FY2024-Q2", "FY2024-Q3", "FY2024-Q4"]);
    expect(data[0]).toMatchObject({ hours: 12, target: 20, overTarget: false, band: 0 });
    expect(data[1]).toMatchObject({ hours: 2, target: 1, overTarget: true });
  });

  test("the untriaged upper bound becomes a band above the bar", () => {
    expect(data[1].band).toBe(3);
    expect(data[1].upperBound).toBe(5);
    expect(data[1].status).toBe("provisional");
    expect(data[1].reasons.join(" ")).toMatch(/untriaged/);
    expect(data[1].untriaged).toBe(1);
  });

  test("in-progress quarter says so; final quarters have no reasons", () => {
    expect(data[3].status).toBe("in_progress");
    expect(data[3].reasons[0]).toMatch(/in progress/);
    expect(data[0].status).toBe("final");
    expect(data[0].reasons).toEqual([]);
  });

  test("domain covers targets and bands", () => {
    expect(quarterlyDomainMax(data)).toBeGreaterThanOrEqual(20);
    expect(quarterlyDomainMax([])).toBe(1);
  });

  test("future quarters are dropped", () => {
    const early = run([inc("a", "2024-01-10T00:00:00Z", 1)], { asOf: "2024-02-01T00:00:00Z" });
    expect(toQuarterlyChartData(early.quarters).map((d) => d.quarter)).toEqual(["FY2024-Q1"]);
  });
});

describe("toHeadline", () => {
  const a = run([inc("a", "2024-01-10T00:00:00Z", 40), inc("b", "2024-04-10T00:00:00Z", 10), inc("c", "2024-07-10T00:00:00Z", 4), inc("d", "2024-10-10T00:00:00Z", 50)]);

  test("peak ignores the in-progress quarter; change is from the last ended quarter", () => {
    const h = toHeadline(a.quarters);
    expect(h.current?.quarter).toBe("FY2024-Q4");
    expect(h.lastEnded?.quarter).toBe("FY2024-Q3");
    expect(h.peak).toEqual({ quarter: "FY2024-Q1", hours: 40 });
    expect(h.changeFromPeak).toBeCloseTo(-0.9);
    expect(h.changeFromPeakText).toBe("down 90% from peak (FY2024-Q1)");
  });

  test("a closed quarter shows today's figure with its frozen one beside it, as the chart does (issue 15)", () => {
    const h = toHeadline(a.quarters, [{ quarter: "FY2024-Q3", hours: 8, target: 9 }]);
    expect(h.lastEnded).toMatchObject({ hours: 4, closed: true, reported: 8 });
    expect(h.changeFromPeakText).toBe("down 90% from peak (FY2024-Q1)");
    expect(closedFigureText(h.lastEnded!.reported, h.lastEnded!.hours, (x) => `${x.toFixed(1)} h`)).toBe("reported 8.0 h, now 4.0 h");
    expect(closedFigureText(4.001, 4, (x) => `${x.toFixed(1)} h`)).toBe("closed at 4.0 h, unchanged since");
    expect(closedFigureText(null, 4, String)).toBeNull();
    const rows = toQuarterlyChartData(a.quarters, [{ quarter: "FY2024-Q3", hours: 8 }]);
    expect(rows.find((r) => r.quarter === "FY2024-Q3")).toMatchObject({ hours: 4, reported: 8 });
    expect(rows.find((r) => r.quarter === "FY2024-Q2")?.reported).toBeNull();
  });

  test.each([
    [-0.004, "0%"],
    [0.004, "0%"],
    [-0.9, "−90%"],
    [0.126, "+13%"],
  ])("change %s from peak reads %s (never −0%%)", (change, text) => {
    expect(formatSignedPercent(change)).toBe(text);
  });

  test("no ended quarter: no change text", () => {
    const early = run([inc("a", "2024-01-10T00:00:00Z", 1)], { asOf: "2024-02-01T00:00:00Z" });
    const h = toHeadline(early.quarters);
    expect(h.lastEnded).toBeNull();
    expect(h.changeFromPeakText).toBeNull();
  });
});
