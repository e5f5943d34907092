/**
 * The incidents export: every source-owned and curated field of each incident, its
 * counting reason, and (with `quarter=`) its contribution to that quarter. Pure: the
 * query gathers rows (filtered as the incident list filters them), this file formats them.
 */
import { toCsv, type CsvColumn, type CsvOptions } from "./csv";
import { CURATED_INSTANT_FIELDS, SOURCE_FIELDS, STORED_CURATED_FIELDS, type SourceField, type StoredCuratedField } from "@/lib/incidents/fields";
import { reasonLabel } from "@/lib/metric/labels";
import type { CurationValues } from "@/lib/validation/curation";
import type { IncidentInput } from "@/lib/validation/incident";

/** The stored bookkeeping around the field lists: identity, duplicate and review, attribution, origin and stamps. */
interface StoredBookkeeping {
  id: number;
  source: string;
  sourceId: string;
  duplicateOfId: number | null;
  reviewedAt: number | null;
  reviewedBy: string | null;
  isDemo: boolean;
  importBatchId: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The exported fields holding instants: epoch ms when stored, ISO-8601 UTC strings in an export. */
export const EXPORT_INSTANT_FIELDS = ["startedAt", "resolvedAt", ...CURATED_INSTANT_FIELDS, "reviewedAt", "createdAt", "updatedAt"] as const;
type ExportInstantField = (typeof EXPORT_INSTANT_FIELDS)[number];
type Exported<T> = { [K in keyof T]: K extends ExportInstantField ? (null extends T[K] ? string | null : string) : T[K] };

/**
 * The incident as stored (before the engine's verdict): every source field, every stored
 * curated field, the save's attribution and deploy link, and the bookkeeping. Instants are
 * ISO-8601 UTC; lists stay lists (CSV joins them with `;`).
 */
export type StoredIncidentExport = Exported<
  Pick<IncidentInput, SourceField> & Pick<CurationValues, StoredCuratedField | "projects" | "linkedDeployId"> & StoredBookkeeping
>;

/**
 * The stored incident's fields in export order: identity, the source fields (their custom
 * fields last), the curated fields, duplicate, deploy link and review, attribution, then
 * bookkeeping. A field added to a list in lib/incidents/fields.ts joins the exports here.
 */
export const STORED_EXPORT_FIELDS = [
  "id", "source", "sourceId", ...SOURCE_FIELDS.filter((f) => f !== "customFields"),
  ...STORED_CURATED_FIELDS, "duplicateOfId", "linkedDeployId", "reviewedAt", "reviewedBy",
  "projects", "customFields", "isDemo", "importBatchId", "createdAt", "updatedAt",
] as const satisfies readonly (keyof StoredIncidentExport)[];

/** One incident as exported: the stored fields, the engine's verdict and its window. */
export interface IncidentExportRow extends StoredIncidentExport {
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
  /** Confirmed causing and remediation deploys (deploy event ids; the change figures read them). */
  causeDeployIds: number[];
  remediationDeployIds: number[];
}

const INSTANT_FIELDS = new Set<string>(EXPORT_INSTANT_FIELDS);

export const INCIDENT_CSV_COLUMNS: CsvColumn<IncidentExportRow>[] = [...STORED_EXPORT_FIELDS, "counted" as const, "reason" as const]
  .map((k): CsvColumn<IncidentExportRow> => ({ header: k, value: (r) => r[k], kind: INSTANT_FIELDS.has(k) ? "instant" : undefined }))
  .concat([
    { header: "reasonText", value: (r) => reasonLabel(r.reason) },
    { header: "effectiveStart", value: (r) => r.effectiveStart, kind: "instant" },
    { header: "effectiveEnd", value: (r) => r.effectiveEnd, kind: "instant" },
    { header: "durationHours", value: (r) => r.durationHours, kind: "hours" },
    { header: "quarter", value: (r) => r.quarter },
    { header: "contributionHours", value: (r) => r.contributionHours, kind: "hours" },
    { header: "causeDeployIds", value: (r) => r.causeDeployIds },
    { header: "remediationDeployIds", value: (r) => r.remediationDeployIds },
  ]);

export function incidentsToCsv(rows: Iterable<IncidentExportRow>, options: CsvOptions = {}): string {
  return toCsv(INCIDENT_CSV_COLUMNS, rows, options);
}

export function incidentsToJson(rows: readonly IncidentExportRow[], meta: { asOf: string; quarter: string | null; filters: Record<string, unknown> }): string {
  const withReason = rows.map((r) => ({ ...r, reasonText: reasonLabel(r.reason) }));
  return JSON.stringify({ asOf: meta.asOf, quarter: meta.quarter, filters: meta.filters, count: rows.length, incidents: withReason }, null, 2) + "\n";
}
