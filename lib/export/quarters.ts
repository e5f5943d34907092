/**
 * The quarters export: one row per quarter, the same figures `GET /api/metrics/quarters`
 * returns: exact in JSON, so the two agree figure for figure; to 0.001 h in CSV.
 */
import type { QuarterResult } from "@/lib/metric/types";
import { toCsv, type CsvColumn, type CsvOptions } from "./csv";

export interface QuarterExportRow {
  quarter: string;
  /** ISO-8601 instants (UTC); `end` is exclusive. */
  start: string;
  end: string;
  hours: number;
  upperBoundHours: number;
  target: number | null;
  status: string;
  countedIncidents: number;
  countedIncidentIds: string[];
}

export function toQuarterExportRows(quarters: readonly QuarterResult[]): QuarterExportRow[] {
  return quarters.map((q) => ({
    quarter: q.quarter,
    start: q.start,
    end: q.end,
    hours: q.hours,
    upperBoundHours: q.upperBoundHours,
    target: q.target,
    status: q.status,
    countedIncidents: q.countedIncidentIds.length,
    countedIncidentIds: q.countedIncidentIds,
  }));
}

export const QUARTER_CSV_COLUMNS: CsvColumn<QuarterExportRow>[] = [
  { header: "quarter", value: (r) => r.quarter },
  { header: "start", value: (r) => r.start, kind: "instant" },
  { header: "end", value: (r) => r.end, kind: "instant" },
  { header: "hours", value: (r) => r.hours, kind: "hours" },
  { header: "upper_bound_hours", value: (r) => r.upperBoundHours, kind: "hours" },
  { header: "target", value: (r) => r.target },
  { header: "status", value: (r) => r.status },
  { header: "counted_incidents", value: (r) => r.countedIncidents },
];

export function quartersToCsv(rows: readonly QuarterExportRow[], options: CsvOptions = {}): string {
  return toCsv(QUARTER_CSV_COLUMNS, rows, options);
}

export function quartersToJson(rows: readonly QuarterExportRow[], meta: { asOf: string }): string {
  return JSON.stringify({ asOf: meta.asOf, quarters: rows }, null, 2) + "\n";
}
