import { describe, expect, test } from "vitest";
import {
  DEFAULT_SETTINGS,
  nextQuarter,
  prevQuarter,
  QuarterIdError,
  quarterById,
  quarterForInstant,
  quartersInRange,
  type Settings,
} from "@/lib/metric";

const iso = (ms: number) => new Date(ms).toISOString();
const s = (over: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...over });

describe("quarterById", () => {
  test.each([
    // [settings, id, start, end]
    [s({}), "FY2024-Q1", "2024-01-01T00:00:00.000Z", "2024-04-01T00:00:00.000Z"],
    [s({ fiscalYearLabel: "start" }), "FY2024-Q1", "2024-01-01T00:00:00.000Z", "2024-04-01T00:00:00.000Z"],
    [s({ fiscalYearStartMonth: 2 }), "FY2025-Q1", "2024-02-01T00:00:00.000Z", "2024-05-01T00:00:00.000Z"],
    [s({ fiscalYearStartMonth: 2 }), "FY2025-Q4", "2024-11-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z"],
    [s({ fiscalYearStartMonth: 2, fiscalYearLabel: "start" }), "FY2024-Q1", "2024-02-01T00:00:00.000Z", "2024-05-01T00:00:00.000Z"],
    [s({ fiscalYearStartMonth: 7 }), "FY2025-Q1", "2024-07-01T00:00:00.000Z", "2024-10-01T00:00:00.000Z"],
    [s({ fiscalYearStartMonth: 7, fiscalYearLabel: "start" }), "FY2024-Q3", "2025-01-01T00:00:00.000Z", "2025-04-01T00:00:00.000Z"],
    [s({ fiscalYearStartMonth: 11 }), "FY2025-Q1", "2024-11-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z"],
    [s({ fiscalYearStartMonth: 11, fiscalYearLabel: "start" }), "FY2024-Q2", "2025-02-01T00:00:00.000Z", "2025-05-01T00:00:00.000Z"],
    // New York: EST (-5) in winter, EDT (-4) from the second Sunday of March.
    [s({ timezone: "America/New_York" }), "FY2024-Q1", "2024-01-01T05:00:00.000Z", "2024-04-01T04:00:00.000Z"],
    [s({ timezone: "America/New_York" }), "FY2024-Q4", "2024-10-01T04:00:00.000Z", "2025-01-01T05:00:00.000Z"],
    // London: GMT until the last Sunday of March, then BST (+1).
    [s({ timezone: "Europe/London" }), "FY2024-Q2", "2024-03-31T23:00:00.000Z", "2024-06-30T23:00:00.000Z"],
    [s({ timezone: "Europe/London", fiscalYearStartMonth: 11 }), "FY2025-Q1", "2024-11-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z"],
    [s({ timezone: "Asia/Kolkata" }), "FY2024-Q1", "2023-12-31T18:30:00.000Z", "2024-03-31T18:30:00.000Z"],
  ])("%o %s", (settings, id, start, end) => {
    const q = quarterById(id, settings);
    expect([iso(q.start), iso(q.end)]).toEqual([start, end]);
    expect(q.id).toBe(id);
  });

  test.each(["FY24-Q1", "FY2024-Q0", "FY2024-Q5", "2024-Q1", "fy2024-q1", "", "FY1900-Q1"])("refuses %j with a clear error", (id) => {
    expect(() => quarterById(id, DEFAULT_SETTINGS)).toThrow(QuarterIdError);
    expect(() => quarterById(id, DEFAULT_SETTINGS)).toThrow(/quarter/);
  });
});

describe("quarterForInstant: half-open boundaries across DST", () => {
  test.each([
    ["UTC", 1, "end", "2024-04-01T00:00:00.000Z", "FY2024-Q2"],
    ["UTC", 1, "end", "2024-03-31T23:59:59.999Z", "FY2024-Q1"],
    ["America/New_York", 1, "end", "2024-04-01T03:59:59.999Z", "FY2024-Q1"],
    ["America/New_York", 1, "end", "2024-04-01T04:00:00.000Z", "FY2024-Q2"],
    ["America/New_York", 1, "end", "2025-01-01T04:59:59.999Z", "FY2024-Q4"],
    ["Europe/London", 1, "end", "2024-03-31T23:00:00.000Z", "FY2024-Q2"],
    ["Europe/London", 1, "end", "2024-03-31T22:59:59.999Z", "FY2024-Q1"],
    ["Europe/London", 11, "start", "2024-11-01T00:00:00.000Z", "FY2024-Q1"],
    ["Europe/London", 11, "end", "2024-10-31T23:59:59.999Z", "FY2024-Q4"],
    ["America/New_York", 7, "end", "2024-07-01T04:00:00.000Z", "FY2025-Q1"],
    ["America/New_York", 2, "start", "2024-02-01T05:00:00.000Z", "FY2024-Q1"],
  ] as const)("%s start %i label %s: %s → %s", (timezone, fiscalYearStartMonth, fiscalYearLabel, at, id) => {
    expect(quarterForInstant(Date.parse(at), { ...DEFAULT_SETTINGS, timezone, fiscalYearStartMonth, fiscalYearLabel }).id).toBe(id);
  });
});

describe("ranges and stepping", () => {
  test("next/prev cross fiscal years", () => {
    expect(nextQuarter("FY2024-Q4", DEFAULT_SETTINGS).id).toBe("FY2025-Q1");
    expect(prevQuarter("FY2024-Q1", DEFAULT_SETTINGS).id).toBe("FY2023-Q4");
  });
  test("quartersInRange is inclusive and tiles", () => {
    const qs = quartersInRange("FY2023-Q3", "FY2024-Q2", { ...DEFAULT_SETTINGS, timezone: "America/New_York" });
    expect(qs.map((q) => q.id)).toEqual(["FY2023-Q3", "FY2023-Q4", "FY2024-Q1", "FY2024-Q2"]);
    for (let i = 1; i < qs.length; i++) expect(qs[i].start).toBe(qs[i - 1].end);
  });
  test("a reversed range is refused", () => {
    expect(() => quartersInRange("FY2024-Q2", "FY2024-Q1", DEFAULT_SETTINGS)).toThrow(/after/);
  });
});
