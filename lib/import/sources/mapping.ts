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
  /**
   * One-hot columns per list column: a truthy cell (1, true, yes, x, y) adds the column's
   * HEADER to the list (`API=1` → service "API"); a falsy or empty one adds nothing.
   */
  flags?: Partial<Record<ListColumn, readonly string[]>>;
  /**
   * Values a list column drops, matched case- and space-insensitively before and after the
   * value map, on top of the built-in PLACEHOLDER_VALUES.
   */
  ignoreValues?: readonly string[];
  /** Does a header row (CSV) or an object's keys (JSON) look like this source? */
  detect(keys: readonly string[]): boolean;
}

export const LIST_COLUMNS = ["services", "affected_features", "projects"] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];
const LIST_SET = new Set<string>(LIST_COLUMNS);

/** Cells that switch a flag column on; anything else (0, false, no, empty) leaves it off. */
const TRUTHY = new Set(["1", "true", "yes", "y", "x"]);
export const isTruthyFlag = (cell: unknown): boolean => TRUTHY.has(String(cell ?? "").trim().toLowerCase());

/**
 * Built-in placeholders no list column keeps, whatever the source: "n/a", "none", "-" and
 * the like, and status-page filler such as "Visit www.githubstatus.com for more
 * information". Users add their own per mapping (`ignoreValues`).
 */
export const PLACEHOLDER_VALUES: readonly RegExp[] = [/^(n\/?a|none|null|nil|-+|—|\?+)$/i, /^(visit|see)\b.*\bfor more information\.?$/i];

const squash = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

/** A test for values a list column drops: the built-in placeholders plus `extra`. */
export function placeholderTest(extra: readonly string[] = []): (value: string) => boolean {
  const own = new Set(extra.map(squash));
  return (v) => own.has(squash(v)) || PLACEHOLDER_VALUES.some((re) => re.test(v.trim()));
}
const builtInPlaceholder = placeholderTest();

/** Values in first-seen order, without repeats (a value map may merge two into one). */
function distinct(values: string[]): string[] {
  return values.length < 2 ? values : [...new Set(values)];
}

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
  const dropped = mapping.ignoreValues?.length ? placeholderTest(mapping.ignoreValues) : builtInPlaceholder;
  const columns = Object.keys(mapping.fields) as CanonicalColumn[];
  if (mapping.flags) for (const c of Object.keys(mapping.flags) as ListColumn[]) if (!columns.includes(c)) columns.push(c);
  for (const column of columns) {
    const rule = mapping.fields[column];
    const isList = LIST_SET.has(column);
    const valueMap = mapping.values?.[column];
    const norm = valueMap ? (s: string) => normaliseValue(valueMap, s) : (s: string) => s;
    // A list keeps a value unless it, or what the value map makes of it, is a placeholder.
    const keep = (raw: string) => {
      if (!raw || dropped(raw)) return null;
      const v = norm(raw);
      return v && !dropped(v) ? v : null;
    };
    const flagged: string[] = [];
    const flagColumns = isList ? mapping.flags?.[column as ListColumn] : undefined;
    if (flagColumns) {
      for (const header of flagColumns) {
        if (!(header in rec)) continue;
        used.add(header);
        columnOf[column] ??= header;
        const v = isTruthyFlag(cellValues(rec[header])[0]) ? keep(header.trim()) : null;
        if (v) flagged.push(v);
      }
    }
    if (rule === undefined) {
      if (flagColumns?.some((h) => h in rec)) row[column] = distinct(flagged);
      continue;
    }
    if (typeof rule === "function") {
      const v = rule(rec);
      if (v == null) {
        if (flagged.length) row[column] = distinct(flagged);
      } else if (isList) {
        const list = (Array.isArray(v) ? v : [v]).map((x) => keep(String(x).trim())).filter((x): x is string => x !== null);
        row[column] = distinct([...list, ...flagged]);
      } else row[column] = Array.isArray(v) ? v.map(norm) : norm(v);
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
        for (const v of values) {
          for (const part of mapping.listSeparator ? v.split(mapping.listSeparator) : [v]) {
            const kept = keep(part.trim());
            if (kept) listed.push(kept);
          }
        }
      } else if (values.length && row[column] === undefined) {
        row[column] = norm(values[0]);
        columnOf[column] = name;
        used.add(name);
      }
    }
    if (isList && (names.some((n) => n in rec) || flagColumns?.some((h) => h in rec))) row[column] = distinct([...listed, ...flagged]);
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
