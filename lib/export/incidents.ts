/**
 * The incidents export: every source-owned and curated field of each incident, its
 * counting reason, and (with `quarter=`) its contribution to that quarter. Pure: the
 * query gathers rows (filtered as the incident list filters them), this file formats them.
 */
import { toCsv, type CsvColumn, type CsvOptions } from "./csv";
import { reasonLabel } from "@/lib/metric/labels";

/** One incident as exported. Instants are ISO-8601 UTC; lists stay lists (CSV joins them with `;`). */
export interface IncidentExportRow {
  id: number;
  source: string;
  sourceId: string;
  title: string;
  description: string | null;
  severity: string;
  status: string | null;
  startedAt: string;
  resolvedAt: string | null;
  url: string | null;
  sourceServices: string[];
  trigger: string;
  changeType: string | null;
  deploySystem: string | null;
  services: string[];
  affectedFeatures: string[];
  customerImpactPct: number | null;
  impactStart: string | null;
  impactEnd: string | null;
  detectedAt: string | null;
  mitigatedAt: string | null;
  remediation: string | null;
  fleetExposurePct: number | null;
  analysisStatus: string;
  override: string | null;
  overrideReason: string | null;
  duplicateOfId: number | null;
  linkedDeployId: number | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  projects: string[];
  customFields: Record<string, string>;
  isDemo: boolean;
  importBatchId: number | null;
  createdAt: string;
  updatedAt: string;
  /** From the engine, with the current policy. */
  counted: boolean;
  reason: string;
  /** Effective impact window (ISO) and its whole duration in hours. */
  effectiveStart: string;
  effectiveEnd: string;
  durationHours: number;
  /** With `quarter=`: the quarter and the hours this incident adds to it (0 when not counted). */
  quarter: string | null;
  contributionHours: number | null;
}

/** The incident as stored (before the engine's verdict). */
export type StoredIncidentExport = Omit<IncidentExportRow, "counted" | "reason" | "effectiveStart" | "effectiveEnd" | "durationHours" | "quarter" | "contributionHours">;

const INSTANT_FIELDS = new Set<string>(["startedAt", "resolvedAt", "impactStart", "impactEnd", "detectedAt", "mitigatedAt", "reviewedAt", "createdAt", "updatedAt"]);

export const INCIDENT_CSV_COLUMNS: CsvColumn<IncidentExportRow>[] = (
  [
    "id", "source", "sourceId", "title", "description", "severity", "status", "startedAt", "resolvedAt", "url", "sourceServices",
    "trigger", "changeType", "deploySystem", "services", "affectedFeatures", "customerImpactPct", "impactStart", "impactEnd",
    "detectedAt", "mitigatedAt", "remediation", "fleetExposurePct", "analysisStatus", "override", "overrideReason", "duplicateOfId",
    "linkedDeployId", "reviewedAt", "reviewedBy", "projects", "customFields", "isDemo", "importBatchId", "createdAt", "updatedAt",
    "counted", "reason",
  ] as const
)
  .map((k): CsvColumn<IncidentExportRow> => ({ header: k, value: (r) => r[k], kind: INSTANT_FIELDS.has(k) ? "instant" : undefined }))
  .concat([
    { header: "reasonText", value: (r) => reasonLabel(r.reason) },
    { header: "effectiveStart", value: (r) => r.effectiveStart, kind: "instant" },
    { header: "effectiveEnd", value: (r) => r.effectiveEnd, kind: "instant" },
    { header: "durationHours", value: (r) => r.durationHours, kind: "hours" },
    { header: "quarter", value: (r) => r.quarter },
    { header: "contributionHours", value: (r) => r.contributionHours, kind: "hours" },
  ]);

export function incidentsToCsv(rows: Iterable<IncidentExportRow>, options: CsvOptions = {}): string {
  return toCsv(INCIDENT_CSV_COLUMNS, rows, options);
}

export function incidentsToJson(rows: readonly IncidentExportRow[], meta: { asOf: string; quarter: string | null; filters: Record<string, unknown> }): string {
  const withReason = rows.map((r) => ({ ...r, reasonText: reasonLabel(r.reason) }));
  return JSON.stringify({ asOf: meta.asOf, quarter: meta.quarter, filters: meta.filters, count: rows.length, incidents: withReason }, null, 2) + "\n";
}
