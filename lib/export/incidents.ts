/**
 * The incidents export: every source-owned and curated field of each incident, its
 * counting reason, and (with `quarter=`) its contribution to that quarter. Pure: the
 * query gathers rows, this file filters and formats them.
 */
import { z } from "zod";
import { quarterIdSchema } from "@/lib/validation/metric";
import { toCsv, type CsvColumn } from "./csv";
import { reasonLabel } from "./format";

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

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)));

const bool = z
  .enum(["true", "false", "yes", "no", "1", "0"], { message: "must be true or false" })
  .optional()
  .transform((v) => (v === undefined ? undefined : v === "true" || v === "yes" || v === "1"));

/**
 * Query-string filters of the incidents export (the incident list's filters plus
 * `quarter`). Lists accept repeats or commas: `severity=SEV1,SEV2`. Unknown keys are refused.
 */
export const incidentExportQuerySchema = z.strictObject({
  quarter: quarterIdSchema.optional(),
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
  severity: list,
  trigger: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(["change", "other", "unknown"], { message: "must be change, other or unknown" }))),
  service: list,
  deploySystem: list,
  changeType: list,
  source: list,
  analysisStatus: z.enum(["pending", "final"], { message: "must be pending or final" }).optional(),
  counted: bool,
  reviewed: bool,
  asOf: z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant, e.g. 2024-12-31T00:00:00Z" }).optional(),
});

export type IncidentExportQuery = z.output<typeof incidentExportQuerySchema>;

/** URLSearchParams → plain object; repeated keys become arrays. */
export function searchParamsToObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));

/** A predicate for the filters that don't need the engine (all but `counted` and `quarter`). */
export function incidentMatcher(f: IncidentExportQuery): (row: StoredIncidentExport) => boolean {
  const sev = lower(f.severity);
  const trig = new Set<string>(f.trigger);
  const svc = lower(f.service);
  const ds = lower(f.deploySystem);
  const ct = lower(f.changeType);
  const src = lower(f.source);
  const text = f.q?.toLowerCase() || null;
  return (r) => {
    if (sev.size && !sev.has(r.severity.toLowerCase())) return false;
    if (trig.size && !trig.has(r.trigger)) return false;
    if (svc.size && !r.services.some((s) => svc.has(s.toLowerCase()))) return false;
    if (ds.size && (r.deploySystem == null || !ds.has(r.deploySystem.toLowerCase()))) return false;
    if (ct.size && (r.changeType == null || !ct.has(r.changeType.toLowerCase()))) return false;
    if (src.size && !src.has(r.source.toLowerCase())) return false;
    if (f.analysisStatus && r.analysisStatus !== f.analysisStatus) return false;
    if (f.reviewed !== undefined && (r.reviewedAt != null) !== f.reviewed) return false;
    if (text && !`${r.sourceId}\n${r.title}\n${r.description ?? ""}`.toLowerCase().includes(text)) return false;
    return true;
  };
}

export const INCIDENT_CSV_COLUMNS: CsvColumn<IncidentExportRow>[] = (
  [
    "id", "source", "sourceId", "title", "description", "severity", "status", "startedAt", "resolvedAt", "url", "sourceServices",
    "trigger", "changeType", "deploySystem", "services", "affectedFeatures", "customerImpactPct", "impactStart", "impactEnd",
    "detectedAt", "mitigatedAt", "remediation", "fleetExposurePct", "analysisStatus", "override", "overrideReason", "duplicateOfId",
    "linkedDeployId", "reviewedAt", "reviewedBy", "projects", "customFields", "isDemo", "importBatchId", "createdAt", "updatedAt",
    "counted", "reason",
  ] as const
)
  .map((k): CsvColumn<IncidentExportRow> => ({ header: k, value: (r) => r[k] }))
  .concat([
    { header: "reasonText", value: (r) => reasonLabel(r.reason) },
    { header: "effectiveStart", value: (r) => r.effectiveStart },
    { header: "effectiveEnd", value: (r) => r.effectiveEnd },
    { header: "durationHours", value: (r) => r.durationHours },
    { header: "quarter", value: (r) => r.quarter },
    { header: "contributionHours", value: (r) => r.contributionHours },
  ]);

export function incidentsToCsv(rows: Iterable<IncidentExportRow>): string {
  return toCsv(INCIDENT_CSV_COLUMNS, rows);
}

export function incidentsToJson(rows: readonly IncidentExportRow[], meta: { asOf: string; quarter: string | null; filters: Record<string, unknown> }): string {
  const withReason = rows.map((r) => ({ ...r, reasonText: reasonLabel(r.reason) }));
  return JSON.stringify({ asOf: meta.asOf, quarter: meta.quarter, filters: meta.filters, count: rows.length, incidents: withReason }, null, 2) + "\n";
}
