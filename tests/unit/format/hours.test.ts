import { describe, expect, test } from "vitest";
import { formatDelta, formatHours } from "@/lib/format/hours";

describe("formatHours: one decimal, two under 1 h, thousands grouped", () => {
  test.each([
    [0, "0.0 h"],
    [3, "3.0 h"],
    [12.45, "12.5 h"],
    [12.44, "12.4 h"],
    [0.25, "0.25 h"],
    [0.004, "0.0 h"],
    [0.006, "0.01 h"],
    [130.04, "130.0 h"],
    [1234.56, "1,234.6 h"],
    [-1.5, "-1.5 h"],
    [-0.01, "-0.01 h"],
    [-0.001, "0.0 h"],
  ])("%s → %s", (h, text) => {
    expect(formatHours(h)).toBe(text);
  });

  test("null, NaN and infinities show a dash; unit=false drops the unit", () => {
    expect(formatHours(null)).toBe("—");
    expect(formatHours(undefined)).toBe("—");
    expect(formatHours(Number.NaN)).toBe("—");
    expect(formatHours(Infinity)).toBe("—");
    expect(formatHours(7.25, false)).toBe("7.3");
  });
});

describe("formatDelta: signed with a true minus", () => {
  test.each([
    [1.5, "+1.5 h"],
    [-0.25, "−0.25 h"],
    [-9, "−9.0 h"],
    [0, "±0.0 h"],
    [0.0001, "±0.0 h"],
    [-0.04, "−0.04 h"],
  ])("%s → %s", (h, text) => {
    expect(formatDelta(h)).toBe(text);
  });
});
