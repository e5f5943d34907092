import { describe, expect, test } from "vitest";
import { defaultPeriod, periodChoices, periodParams, quarterInPeriod, resolvePeriod, rowsInPeriod } from "@/lib/charts/period";
import { stackedInPeriod } from "@/lib/charts/stacked-period";
import { targetHalfWidth } from "@/lib/charts/quarterly";

const ctx = { current: "FY2026-Q4", earliest: "FY2010-Q1" };

describe("resolvePeriod", () => {
  test("no range: the last eight quarters and the current one", () => {
    const p = resolvePeriod({}, ctx);
    expect(p).toMatchObject({ from: "FY2024-Q4", to: "FY2026-Q4", isDefault: true, error: null, activeKey: "last8" });
    expect(defaultPeriod("FY2026-Q1")).toEqual({ from: "FY2024-Q1", to: "FY2026-Q1" });
  });

  test.each([
    [{ from: "FY2025-Q1", to: "FY2026-Q4" }, { from: "FY2025-Q1", to: "FY2026-Q4", activeKey: null }],
    [{ from: "FY2022-Q4", to: "FY2026-Q4" }, { from: "FY2022-Q4", to: "FY2026-Q4", activeKey: null }],
    [{ from: "FY2025-Q1", to: "FY2025-Q4" }, { from: "FY2025-Q1", to: "FY2025-Q4", activeKey: "FY2025" }],
    [{ from: "FY2010-Q1", to: "FY2026-Q4" }, { from: "FY2010-Q1", to: "FY2026-Q4", activeKey: "all" }],
    [{ from: "FY2025-Q3" }, { from: "FY2025-Q3", to: "FY2026-Q4" }],
    [{ to: "FY2020-Q1" }, { from: "FY2018-Q1", to: "FY2020-Q1" }],
    [{ from: ["FY2025-Q1", "FY2000-Q1"], to: " FY2025-Q2 " }, { from: "FY2025-Q1", to: "FY2025-Q2" }],
  ])("%j → %j", (raw, want) => {
    const p = resolvePeriod(raw, ctx);
    expect(p.error).toBeNull();
    expect(p.isDefault).toBe(false);
    expect(p).toMatchObject(want);
  });

  test.each([
    [{ from: "2025Q1" }, /from="2025Q1" must be a quarter id like FY2024-Q1/],
    [{ from: "FY2026-Q4", to: "FY2025-Q1" }, /from=FY2026-Q4 is after to=FY2025-Q1/],
    [{ to: "FY3000-Q1" }, /to="FY3000-Q1" fiscal year must be between/],
    [{ from: "FY1901-Q1", to: "FY2200-Q4" }, /longer than 400 quarters/],
  ])("a bad range %j falls back to the default and says why", (raw, message) => {
    const p = resolvePeriod(raw, ctx);
    expect(p).toMatchObject({ from: "FY2024-Q4", to: "FY2026-Q4", isDefault: true });
    expect(p.error).toMatch(message);
  });
});

describe("periodChoices", () => {
  test("rolling periods, the newest five fiscal years with data, and all", () => {
    expect(periodChoices(ctx).map((c) => `${c.key}:${c.from}..${c.to}`)).toEqual([
      "last4:FY2025-Q4..FY2026-Q4",
      "last8:FY2024-Q4..FY2026-Q4",
      "last12:FY2023-Q4..FY2026-Q4",
      "FY2026:FY2026-Q1..FY2026-Q4",
      "FY2025:FY2025-Q1..FY2025-Q4",
      "FY2024:FY2024-Q1..FY2024-Q4",
      "FY2023:FY2023-Q1..FY2023-Q4",
      "FY2022:FY2022-Q1..FY2022-Q4",
      "all:FY2010-Q1..FY2026-Q4",
    ]);
  });

  test("fiscal years stop at the earliest data; all is the current quarter with no data", () => {
    const keys = periodChoices({ current: "FY2026-Q2", earliest: "FY2025-Q3" }).map((c) => c.key);
    expect(keys).toEqual(["last4", "last8", "last12", "FY2026", "FY2025", "all"]);
    expect(periodChoices({ current: "FY2026-Q2", earliest: null }).at(-1)).toMatchObject({ from: "FY2026-Q2", to: "FY2026-Q2" });
  });
});

describe("rows in a period", () => {
  test("keeps both ends, drops the rest and anything that is not a quarter", () => {
    const rows = ["FY2024-Q3", "FY2024-Q4", "FY2025-Q1", "FY2026-Q4", "FY2027-Q1", "junk"].map((quarter) => ({ quarter }));
    expect(rowsInPeriod(rows, { from: "FY2024-Q4", to: "FY2026-Q4" }).map((r) => r.quarter)).toEqual(["FY2024-Q4", "FY2025-Q1", "FY2026-Q4"]);
    expect(quarterInPeriod("FY2024-Q3", { from: "FY2024-Q4", to: "FY2026-Q4" })).toBe(false);
    expect(periodParams({ from: "FY2024-Q4", to: "FY2026-Q4" }, "FY2026-Q4")).toEqual({});
    expect(periodParams({ from: "FY2025-Q1", to: "FY2026-Q4" }, "FY2026-Q4")).toEqual({ from: "FY2025-Q1", to: "FY2026-Q4" });
  });

  test("a stacked breakdown drops series with no hours in the period", () => {
    const data = {
      series: [
        { key: "s0", label: "api", colour: "#000" },
        { key: "s1", label: "web", colour: "#111" },
      ],
      rows: [
        { quarter: "FY2020-Q1", total: 5, s0: 5, s1: 0 },
        { quarter: "FY2025-Q1", total: 2, s0: 0, s1: 2 },
      ],
      partsMayExceedTotal: false,
      note: null,
    };
    const cut = stackedInPeriod(data, { from: "FY2024-Q4", to: "FY2026-Q4" });
    expect(cut.rows.map((r) => r.quarter)).toEqual(["FY2025-Q1"]);
    expect(cut.series.map((s) => s.label)).toEqual(["web"]);
  });
});

describe("target marks", () => {
  test.each([
    [800, 9],
    [800, 68],
    [320, 68],
    [1200, 4],
  ])("on a %i px plot of %i quarters, neighbouring marks never touch", (width, count) => {
    const half = targetHalfWidth(width, count);
    expect(half).toBeLessThanOrEqual(30);
    expect(2 * half).toBeLessThan(width / count);
  });
});
