import { expect, test } from "vitest";
import { roundHours } from "@/lib/format/hours";
import { formatShare } from "@/lib/format/share";

test("formatShare: whole percent, a dash (or the given word) when there is none", () => {
  expect(formatShare(0.424)).toBe("42%");
  expect(formatShare(0.425)).toBe("43%");
  expect(formatShare(1)).toBe("100%");
  expect(formatShare(null)).toBe("—");
  expect(formatShare(Number.NaN, "no data")).toBe("no data");
});

test("roundHours: 0.001 h for data a machine reads", () => {
  expect(roundHours(15.131684722222221)).toBe(15.132);
  expect(roundHours(0.0004)).toBe(0);
});
