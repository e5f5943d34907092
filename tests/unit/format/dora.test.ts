import { describe, expect, test } from "vitest";
import { formatRate, formatRecovery } from "@/lib/format/dora";

describe("change figure formats", () => {
  test("rates: no data is never 0%", () => {
    expect(formatRate(null)).toBe("no deploy data");
    expect(formatRate(0)).toBe("0%");
    expect(formatRate(0.025)).toBe("2.5%");
    expect(formatRate(0.5)).toBe("50%");
    expect(formatRate(1)).toBe("100%");
  });
  test("recovery hours", () => {
    expect(formatRecovery(null)).toBe("—");
    expect(formatRecovery(0.75)).toBe("0.8 h");
    expect(formatRecovery(26.4)).toBe("26 h");
  });
});
