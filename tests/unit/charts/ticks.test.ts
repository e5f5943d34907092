import fc from "fast-check";
import { expect, test } from "vitest";
import { maxOf, niceScale } from "@/lib/charts/ticks";
import { quarterlyScale, type QuarterlyDatum } from "@/lib/charts/quarterly";

test.each([
  // The maxima seen on screen: 51 and 98 end on round ticks, the burn-down's 12 is not split in 3s.
  [51, 4, [0, 20, 40, 60]],
  [98, 4, [0, 25, 50, 75, 100]],
  [12, 3, [0, 5, 10, 15]],
  [10, 4, [0, 2.5, 5, 7.5, 10]],
  [0.4, 4, [0, 0.1, 0.2, 0.3, 0.4]],
  [0, 4, [0, 0.25, 0.5, 0.75, 1]],
])("niceScale(%d, %d).ticks = %j", (max, count, ticks) => {
  expect(niceScale(max, count).ticks).toEqual(ticks);
});

test("every tick is a round multiple of 1, 2, 2.5 or 5 × 10ⁿ and the axis covers the value", () => {
  fc.assert(
    fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 8 }), (v, count) => {
      const s = niceScale(v, count);
      expect(s.max).toBeGreaterThanOrEqual(v - 1e-9);
      expect(s.ticks[0]).toBe(0);
      expect(s.ticks.at(-1)).toBeCloseTo(s.max, 6);
      const mantissa = s.step / 10 ** Math.floor(Math.log10(s.step) + 1e-9);
      expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-6)).toBe(true);
      // Not more than one step of headroom over the value.
      expect(s.max - v).toBeLessThan(s.step + 1e-9);
    }),
  );
});

test("maxOf skips nulls and non-finite values", () => {
  expect(maxOf([null, 3, undefined, Number.NaN, 7, -2])).toBe(7);
  expect(maxOf([])).toBe(0);
});

test("the quarterly axis covers bars, bands and targets on a round tick", () => {
  const d = (hours: number, upperBound: number, target: number | null): QuarterlyDatum => ({
    quarter: "FY2025-Q1", hours, band: upperBound - hours, upperBound, target, reported: null, status: "final", reasons: [], counted: 1, untriaged: 0, overTarget: false,
  });
  expect(quarterlyScale([d(40, 51, 30)]).max).toBe(60);
  expect(quarterlyScale([d(10, 10, 98)]).ticks).toEqual([0, 25, 50, 75, 100]);
});
