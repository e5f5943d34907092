/**
 * The quarters export: one row per quarter, the same figures `GET /api/metrics/quarters`
 * returns: exact in JSON, so the two agree figure for figure; to 0.001 h in CSV. With the
 * change figures (`GET /api/dora/quarters`), each row also carries them (`changes`; the
 * CSV's columns after `counted_incidents`), rates as fractions and null as an empty cell.
 */
import type { DoraQuarter } from "@/lib/metric/dora";
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
  /** The quarter's change figures, when the export carries them. */
  changes?: QuarterChanges;
}

export type QuarterChanges = Omit<DoraQuarter, "quarter" | "start" | "end" | "failedDeployIds">;

/** A quarter's change figures without its identity (the export row and the report carry that already). */
export function quarterChanges(q: DoraQuarter): QuarterChanges {
  return {
    deployments: q.deployments,
    remediationDeploys: q.remediationDeploys,
    failedDeployments: q.failedDeployments,
    changeFailRate: q.changeFailRate,
    recoveryMedianHours: q.recoveryMedianHours,
    recoveryP90Hours: q.recoveryP90Hours,
    unrecovered: q.unrecovered,
    reworkRate: q.reworkRate,
  };
}

/** Export rows for `quarters`; with `changes` (the same range's change figures), each row carries its quarter's. */
export function toQuarterExportRows(quarters: readonly QuarterResult[], changes?: readonly DoraQuarter[]): QuarterExportRow[] {
  const byQuarter = new Map((changes ?? []).map((c) => [c.quarter, c]));
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
    ...(changes ? { changes: byQuarter.has(q.quarter) ? quarterChanges(byQuarter.get(q.quarter)!) : undefined } : {}),
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

const change = (read: (c: QuarterChanges) => number | null) => (r: QuarterExportRow) => (r.changes ? read(r.changes) : null);

/** The change-figure columns, written when the rows carry them. */
export const QUARTER_CHANGE_CSV_COLUMNS: CsvColumn<QuarterExportRow>[] = [
  { header: "deployments", value: change((c) => c.deployments) },
  { header: "remediation_deploys", value: change((c) => c.remediationDeploys) },
  { header: "failed_deployments", value: change((c) => c.failedDeployments) },
  { header: "change_fail_rate", value: change((c) => c.changeFailRate) },
  { header: "recovery_median_hours", value: change((c) => c.recoveryMedianHours), kind: "hours" },
  { header: "recovery_p90_hours", value: change((c) => c.recoveryP90Hours), kind: "hours" },
  { header: "unrecovered", value: change((c) => c.unrecovered) },
  { header: "rework_rate", value: change((c) => c.reworkRate) },
];

export function quartersToCsv(rows: readonly QuarterExportRow[], options: CsvOptions = {}): string {
  const withChanges = rows.some((r) => r.changes !== undefined);
  return toCsv(withChanges ? [...QUARTER_CSV_COLUMNS, ...QUARTER_CHANGE_CSV_COLUMNS] : QUARTER_CSV_COLUMNS, rows, options);
}

export function quartersToJson(rows: readonly QuarterExportRow[], meta: { asOf: string }): string {
  return JSON.stringify({ asOf: meta.asOf, quarters: rows }, null, 2) + "\n";
}
