import type { CanonicalColumn, CanonicalRow } from "@/lib/import/row-reader";
import type { ImportFormat } from "../types";

/** One source record: a JSON object, or a CSV row keyed by header (a repeated header gives an array). */
export type SourceRecord = Record<string, unknown>;

/**
 * Where a canonical column comes from: a column name, alternatives (first non-empty
 * wins; for list columns every one contributes), or a function for the odd case.
 */
export type FieldRule = string | readonly string[] | ((r: SourceRecord) => string | string[] | null | undefined);

export interface SourceMapping {
  format: ImportFormat;
  label: string;
  /** The import's source name when the user names none. */
  defaultSource: string;
  container: "csv" | "json";
  /** Canonical column ← source. The readable table each source file is about. */
  fields: Partial<Record<CanonicalColumn, FieldRule>>;
  /** How one cell of a list column splits (repeated columns are already separate). */
  listSeparator?: RegExp;
  /** date-fns patterns for times that are not ISO-8601 (read in the stated time zone). */
  dateFormats?: readonly string[];
  /** Raw value → normalised value per canonical column (`Sev 2` → `SEV2`); unlisted values pass through. */
  values?: Partial<Record<CanonicalColumn, Record<string, string>>>;
  /** Source columns that are neither mapped nor worth keeping as custom fields. */
  ignore?: readonly string[];
  /** Does a header row (CSV) or an object's keys (JSON) look like this source? */
  detect(keys: readonly string[]): boolean;
}

const LIST_COLUMNS = new Set<string>(["services", "affected_features", "projects"]);

function cellValues(v: unknown): string[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v.flatMap(cellValues);
  if (typeof v === "object") return [JSON.stringify(v)];
  return [String(v)];
}

/**
 * Applies a mapping to one record: the canonical row to validate, the unmapped
 * columns kept as custom fields, and for each canonical column the source column
 * an error should name.
 */
export function applyMapping(
  mapping: SourceMapping,
  rec: SourceRecord,
): { row: CanonicalRow; custom: Record<string, string>; columnOf: Partial<Record<string, string>> } {
  const row: CanonicalRow = {};
  const columnOf: Partial<Record<string, string>> = {};
  const used = new Set<string>(mapping.ignore ?? []);
  for (const [column, rule] of Object.entries(mapping.fields) as [CanonicalColumn, FieldRule][]) {
    const isList = LIST_COLUMNS.has(column);
    const valueMap = mapping.values?.[column];
    const norm = valueMap ? (s: string) => normaliseValue(valueMap, s) : (s: string) => s;
    if (typeof rule === "function") {
      const v = rule(rec);
      if (v != null) row[column] = Array.isArray(v) ? v.map(norm) : norm(v);
      continue;
    }
    const names = typeof rule === "string" ? [rule] : rule;
    const listed: string[] = [];
    for (const name of names) {
      if (!(name in rec)) continue;
      // A list column takes every alternative; a scalar only the one it read, so the others stay custom fields.
      if (isList) used.add(name);
      columnOf[column] ??= name;
      const values = cellValues(rec[name]).map((s) => s.trim()).filter(Boolean);
      if (isList) {
        for (const v of values) listed.push(...(mapping.listSeparator ? v.split(mapping.listSeparator) : [v]).map(norm));
      } else if (values.length && row[column] === undefined) {
        row[column] = norm(values[0]);
        columnOf[column] = name;
        used.add(name);
      }
    }
    if (isList && names.some((n) => n in rec)) row[column] = listed;
    else if (row[column] === undefined && names.some((n) => n in rec)) {
      row[column] = "";
      for (const n of names) if (n in rec) used.add(n);
    }
  }
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (used.has(k)) continue;
    const s = cellValues(v).map((x) => x.trim()).filter(Boolean).join("; ");
    if (s) custom[k] = s;
  }
  return { row, custom, columnOf };
}

export const hasAll = (keys: readonly string[], wanted: readonly string[]) => wanted.every((w) => keys.includes(w));

/** Exact match first, then case- and space-insensitive; unlisted values pass through unchanged. */
export function normaliseValue(map: Record<string, string>, raw: string): string {
  const s = raw.trim();
  if (Object.prototype.hasOwnProperty.call(map, s)) return map[s];
  const key = s.toLowerCase().replace(/\s+/g, " ");
  for (const [k, v] of Object.entries(map)) if (k.trim().toLowerCase().replace(/\s+/g, " ") === key) return v;
  return s;
}
