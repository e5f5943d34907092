import { describe, expect, test } from "vitest";
import { quarterById } from "@/lib/metric/calendar";
import type { Settings } from "@/lib/metric/types";
import { isLocalDate, lagWindow, localDateInstant, quarterPhase, type ProjectPhase } from "@/lib/projects/phase";

const UTC: Settings = { fiscalYearStartMonth: 1, timezone: "UTC", fiscalYearLabel: "end", maturityDays: 30 };
const APRIL_FY: Settings = { ...UTC, fiscalYearStartMonth: 4 };
const LA: Settings = { ...UTC, timezone: "America/Los_Angeles" };

function phases(settings: Settings, deliveredOn: string, lagMinMonths: number, lagMaxMonths: number, ids: string[]): Record<string, ProjectPhase> {
  const w = lagWindow({ deliveredOn, lagMinMonths, lagMaxMonths }, settings.timezone);
  return Object.fromEntries(ids.map((id) => [id, quarterPhase(quarterById(id, settings), w)]));
}

describe("quarterPhase", () => {
  test("delivery mid-quarter: the delivery quarter and those overlapping the lag window are lag", () => {
    expect(phases(UTC, "2024-05-15", 3, 6, ["FY2024-Q1", "FY2024-Q2", "FY2024-Q3", "FY2024-Q4", "FY2025-Q1"])).toEqual({
      "FY2024-Q1": "before",
      "FY2024-Q2": "lag", // contains the delivery: partly delivered, never "before"
      "FY2024-Q3": "lag",
      "FY2024-Q4": "lag", // contains 2024-11-15, the end of the lag window
      "FY2025-Q1": "after",
    });
  });

  test("lag of 0: only the quarter holding the delivery is lag", () => {
    expect(phases(UTC, "2024-05-15", 0, 0, ["FY2024-Q1", "FY2024-Q2", "FY2024-Q3"])).toEqual({
      "FY2024-Q1": "before",
      "FY2024-Q2": "lag",
      "FY2024-Q3": "after",
    });
  });

  test("lag of 0 delivered on a quarter's first day: no lag quarter at all", () => {
    expect(phases(UTC, "2024-04-01", 0, 0, ["FY2024-Q1", "FY2024-Q2"])).toEqual({ "FY2024-Q1": "before", "FY2024-Q2": "after" });
  });

  test("delivered on a quarter's first day with a lag: the quarter before is before (end = delivery)", () => {
    expect(phases(UTC, "2024-04-01", 3, 3, ["FY2024-Q1", "FY2024-Q2", "FY2024-Q3"])).toEqual({
      "FY2024-Q1": "before",
      "FY2024-Q2": "lag",
      "FY2024-Q3": "after", // starts 2024-07-01 = delivery + 3 months
    });
  });

  test("lag window spanning a fiscal year end, with an April fiscal year", () => {
    // FY2025 (label end, start month 4) runs 2024-04-01 … 2025-04-01.
    expect(phases(APRIL_FY, "2024-12-10", 2, 4, ["FY2025-Q2", "FY2025-Q3", "FY2025-Q4", "FY2026-Q1", "FY2026-Q2"])).toEqual({
      "FY2025-Q2": "before", // Jul–Oct 2024
      "FY2025-Q3": "lag", // Oct 2024–Jan 2025, holds the delivery
      "FY2025-Q4": "lag", // Jan–Apr 2025
      "FY2026-Q1": "lag", // Apr–Jul 2025, holds 2025-04-10
      "FY2026-Q2": "after",
    });
  });

  test("a lag window ending exactly on a new fiscal year makes its first quarter after", () => {
    expect(phases(APRIL_FY, "2024-10-01", 3, 6, ["FY2025-Q2", "FY2025-Q3", "FY2025-Q4", "FY2026-Q1"])).toEqual({
      "FY2025-Q2": "before",
      "FY2025-Q3": "lag",
      "FY2025-Q4": "lag",
      "FY2026-Q1": "after",
    });
  });

  test("calendar year end with a January fiscal year: lag crosses into the next FY", () => {
    expect(phases(UTC, "2024-11-20", 3, 6, ["FY2024-Q3", "FY2024-Q4", "FY2025-Q1", "FY2025-Q2", "FY2025-Q3"])).toEqual({
      "FY2024-Q3": "before",
      "FY2024-Q4": "lag",
      "FY2025-Q1": "lag",
      "FY2025-Q2": "lag", // holds 2025-05-20
      "FY2025-Q3": "after",
    });
  });

  test("non-UTC zone: delivery is local midnight, so a UTC reading would misplace it", () => {
    // 2024-04-01 00:00 in Los Angeles is 07:00Z, exactly when FY2024-Q1 ends there.
    expect(lagWindow({ deliveredOn: "2024-04-01", lagMinMonths: 3, lagMaxMonths: 6 }, "America/Los_Angeles").delivery).toBe(Date.parse("2024-04-01T07:00:00Z"));
    expect(phases(LA, "2024-04-01", 0, 0, ["FY2024-Q1", "FY2024-Q2"])).toEqual({ "FY2024-Q1": "before", "FY2024-Q2": "after" });
    // The evening before, local time: still inside FY2024-Q1, which becomes lag.
    expect(phases(LA, "2024-03-31", 0, 0, ["FY2024-Q1", "FY2024-Q2"])).toEqual({ "FY2024-Q1": "lag", "FY2024-Q2": "after" });
  });

  test("non-UTC zone across a DST change: the lag end is local midnight after the clocks moved", () => {
    const w = lagWindow({ deliveredOn: "2024-01-15", lagMinMonths: 1, lagMaxMonths: 3 }, "America/Los_Angeles");
    expect(w.delivery).toBe(Date.parse("2024-01-15T08:00:00Z")); // PST
    expect(w.lagStart).toBe(Date.parse("2024-02-15T08:00:00Z"));
    expect(w.lagEnd).toBe(Date.parse("2024-04-15T07:00:00Z")); // PDT
  });
});

describe("localDateInstant", () => {
  test("clamps to the last day of a shorter month", () => {
    expect(localDateInstant("2024-11-30", "UTC", 3)).toBe(Date.parse("2025-02-28T00:00:00Z"));
    expect(localDateInstant("2023-11-30", "UTC", 3)).toBe(Date.parse("2024-02-29T00:00:00Z"));
  });

  test("rejects malformed or impossible dates", () => {
    expect(() => localDateInstant("2024-02-30", "UTC")).toThrow(/not a date/);
    expect(isLocalDate("2024-13-01")).toBe(false);
    expect(isLocalDate("2024-1-01")).toBe(false);
    expect(isLocalDate("2024-02-29")).toBe(true);
  });

  test("rejects an unknown zone", () => {
    expect(() => localDateInstant("2024-01-01", "Mars/Olympus")).toThrow();
  });
});
