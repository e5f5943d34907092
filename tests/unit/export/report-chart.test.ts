import fc from "fast-check";
import { expect, test } from "vitest";
import { layoutReportChart, niceScale, toReportChartData } from "@/lib/export/report-chart";
import { sampleModel } from "./fixtures";

test("chart data marks the report's quarter and the untriaged gap", () => {
  const m = sampleModel("FY2024-Q3");
  const data = toReportChartData(m.series, m.quarter);
  expect(data.map((d) => [d.quarter, d.hours, d.pending, d.current])).toEqual([
    ["FY2024-Q1", 5, 0, false],
    ["FY2024-Q2", 12, 0, false],
    ["FY2024-Q3", 3, 2, true],
  ]);
});

test.each([
  [0, 1],
  [12, 15],
  [3.2, 4],
  [97, 100],
  [1234, 1500],
])("niceScale(%d).max = %d", (max, top) => {
  expect(niceScale(max).max).toBe(top);
});

test("niceScale always covers the value with evenly spaced ticks from 0", () => {
  fc.assert(
    fc.property(fc.double({ min: 0.001, max: 1e6, noNaN: true }), (v) => {
      const s = niceScale(v);
      expect(s.max).toBeGreaterThanOrEqual(v - 1e-9);
      expect(s.ticks[0]).toBe(0);
      expect(s.ticks.at(-1)).toBeCloseTo(s.max, 6);
    }),
  );
});

test("layout keeps bars inside the plot, tallest bar reaching the top of its value", () => {
  const m = sampleModel("FY2024-Q3");
  const l = layoutReportChart(toReportChartData(m.series, m.quarter), 600, 240);
  expect(l.bars).toHaveLength(3);
  const bottom = l.plot.y + l.plot.height;
  for (const b of l.bars) {
    expect(b.hours.y + b.hours.height).toBeCloseTo(bottom);
    expect(b.hours.x).toBeGreaterThanOrEqual(l.plot.x);
    expect(b.hours.x + b.hours.width).toBeLessThanOrEqual(l.plot.x + l.plot.width);
  }
  // 12 h of a 15 h axis.
  expect(l.bars[1].hours.height).toBeCloseTo((12 / 15) * l.plot.height);
  expect(l.bars[2].pending).not.toBeNull();
  expect(l.bars[0].target).toBeNull();
  expect(l.bars[2].target!.y).toBeCloseTo(bottom - (8 / 15) * l.plot.height);
  expect(l.bars[2].label).toBe("FY24-Q3");
});

test("a value label is lifted above a target line just over its bar", () => {
  const data = [{ quarter: "FY2024-Q1", hours: 9.5, pending: 0, target: 10, current: true, provisional: false }];
  const l = layoutReportChart(data, 600, 240);
  const b = l.bars[0];
  expect(b.valueY).toBeLessThan(b.target!.y);
  const far = layoutReportChart([{ ...data[0], target: 2 }], 600, 240).bars[0];
  expect(far.valueY).toBeCloseTo(far.hours.y - 4);
});
