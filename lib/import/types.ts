import type { IncidentInput } from "@/lib/validation/incident";

export const IMPORT_FORMATS = ["canonical", "statuspage", "pagerduty", "incidentio", "jira", "opsgenie", "generic"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type FormatChoice = ImportFormat | "auto";

export function isFormatChoice(v: string): v is FormatChoice {
  return v === "auto" || (IMPORT_FORMATS as readonly string[]).includes(v);
}

/** One rejected row. `row` is the spreadsheet row for CSV (header = 1), the item number (from 1) for JSON/NDJSON. */
export interface RowError {
  row: number;
  sourceId: string | null;
  /** The column as the file names it (not our canonical name). */
  column: string;
  reason: string;
}

export interface ParsedRow {
  row: number;
  incident: IncidentInput;
}

export interface ParseResult {
  format: ImportFormat;
  /** How the bytes were laid out. */
  container: "csv" | "json" | "ndjson";
  /** The import's source name (rows may still name their own `source`). */
  source: string;
  headers: string[];
  /** Up to 20 distinct raw values per column (CSV), for the mapping editor. */
  samples: Record<string, string[]>;
  /** Every record in the file, valid or not. */
  total: number;
  rows: ParsedRow[];
  errors: RowError[];
  /** Generic CSV given without a mapping: nothing was validated; the caller must map the columns. */
  needsMapping: boolean;
}
