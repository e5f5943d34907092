import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { csvHours, localDateTime, toCsv, type CsvColumn } from "@/lib/export/csv";
import { quartersToCsv } from "@/lib/export/quarters";

interface Row {
  title: string;
  startedAt: string;
  hours: number;
}
const COLUMNS: CsvColumn<Row>[] = [
  { header: "title", value: (r) => r.title },
  { header: "startedAt", value: (r) => r.startedAt, kind: "instant" },
  { header: "hours", value: (r) => r.hours, kind: "hours" },
];
const ROWS: Row[] = [
  { title: "Zürich login", startedAt: "2026-03-29T00:30:00.000Z", hours: 15.131684722222221 },
  { title: "=cmd", startedAt: "2026-07-01T12:00:00.000Z", hours: 2 },
];

describe("hours in CSV", () => {
  test.each([
    [15.131684722222221, 15.132],
    [0.0004, 0],
    [2, 2],
    [-1.23456, -1.235],
  ])("%d → %d", (h, expected) => expect(csvHours(h)).toBe(expected));
  test("non-numbers pass through", () => expect(csvHours(null)).toBeNull());

  test("plain CSV rounds hours, keeps UTC instants, no BOM", () => {
    const csv = toCsv(COLUMNS, ROWS);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv).not.toContain("\r\n");
    expect(csv.split("\n")[1]).toBe("Zürich login,2026-03-29T00:30:00.000Z,15.132");
  });
});

describe("spreadsheet-friendly CSV", () => {
  const csv = toCsv(COLUMNS, ROWS, { spreadsheet: { timezone: "Europe/Berlin" } });

  test("starts with a UTF-8 BOM and ends lines with CRLF", () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split("\r\n")).toHaveLength(4);
  });

  test("instants become local times (across a DST change), the header names the zone", () => {
    const rows = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(["title", "startedAt (Europe/Berlin)", "hours"]);
    // 00:30 UTC on the day Berlin moves to summer time is 01:30 CET; 12:00 UTC in July is 14:00 CEST.
    expect(rows.map((r) => r["startedAt (Europe/Berlin)"])).toEqual(["2026-03-29 01:30:00", "2026-07-01 14:00:00"]);
    expect(rows[0].hours).toBe("15.132");
    expect(rows[1].title).toBe("'=cmd");
  });

  test("localDateTime leaves empty and non-date values alone", () => {
    expect(localDateTime("", "UTC")).toBe("");
    expect(localDateTime(null, "UTC")).toBeNull();
    expect(localDateTime("not a date", "UTC")).toBe("not a date");
    expect(localDateTime("2026-01-01T00:00:00Z", "America/Los_Angeles")).toBe("2025-12-31 16:00:00");
  });

  test("the quarters export: rounded hours, local quarter bounds", () => {
    const out = quartersToCsv(
      [{ quarter: "FY2026-Q1", start: "2025-01-01T08:00:00.000Z", end: "2025-04-01T07:00:00.000Z", hours: 15.131684722222221, upperBoundHours: 20.00049, target: 10, status: "final", countedIncidents: 3, countedIncidentIds: ["a", "b", "c"] }],
      { spreadsheet: { timezone: "America/Los_Angeles" } },
    );
    expect(out.slice(1).split("\r\n")[1]).toBe("FY2026-Q1,2025-01-01 00:00:00,2025-04-01 00:00:00,15.132,20,10,final,3");
  });
});
