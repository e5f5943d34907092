import { z } from "zod";
import { CANONICAL_COLUMNS, type CanonicalColumn } from "@/lib/import/row-reader";
import { isTruthyFlag, type FieldRule, type ListColumn, type SourceMapping } from "./mapping";

/** A one-hot column: a truthy cell adds the column's header to this list field. */
export const FLAG_TARGETS = ["flag:services", "flag:affected_features"] as const;
export type FlagTarget = (typeof FLAG_TARGETS)[number];
/** What a source column can be mapped to. */
export const MAPPING_TARGETS = ["ignore", "custom", ...CANONICAL_COLUMNS, ...FLAG_TARGETS] as const;
export type MappingTarget = (typeof MAPPING_TARGETS)[number];

/**
 * "Any other CSV": the user's own table, chosen in the mapping editor and saved
 * as a preset. `columns` maps each source column to a canonical column (several
 * source columns may feed one list column), to `custom` (kept as a custom field)
 * to `ignore`, or to `flag:services` / `flag:affected_features` (a one-hot column whose
 * truthy cells add its header to that list); `values` normalises raw values per canonical
 * column (for list columns: renames and merges single values); `ignoreValues` are list
 * values to drop (placeholders), on top of the built-in ones in mapping.ts.
 */
export const importMappingSchema = z.object({
  columns: z.record(z.string().max(500), z.enum(MAPPING_TARGETS, { error: `must be one of ignore, custom, a field name or ${FLAG_TARGETS.join(" / ")}` })),
  values: z.partialRecord(z.enum(CANONICAL_COLUMNS), z.record(z.string().max(500), z.string().max(500))).default({}),
  /** date-fns patterns for times that are not ISO-8601, e.g. `MM/dd/yyyy HH:mm`. */
  dateFormats: z.array(z.string().min(1).max(50)).max(10).default([]),
  /** List values (services, features, projects) to drop, e.g. a status page's "Visit … for more information". */
  ignoreValues: z.array(z.string().trim().min(1).max(500)).max(500).default([]),
  /** How a list cell (services, features, projects) splits. */
  listSeparator: z.string().min(1).max(5).default(";"),
  /** Time zone for times without an offset, when the preset knows it. */
  timezone: z.string().max(100).nullable().optional(),
  /** Default source name for imports with this preset. */
  source: z.string().max(100).nullable().optional(),
});
export type ImportMapping = z.infer<typeof importMappingSchema>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

const REQUIRED: CanonicalColumn[] = ["id", "title", "severity", "started_at"];

/** Required canonical columns that no source column is mapped to. */
export function missingRequired(mapping: ImportMapping): CanonicalColumn[] {
  const mapped = new Set(Object.values(mapping.columns));
  return REQUIRED.filter((c) => !mapped.has(c));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function genericMapping(m: ImportMapping): SourceMapping {
  const fields: Partial<Record<CanonicalColumn, FieldRule>> = {};
  const ignore: string[] = [];
  const flags: Partial<Record<ListColumn, string[]>> = {};
  for (const [header, target] of Object.entries(m.columns)) {
    if (target === "ignore") ignore.push(header);
    else if (target === "flag:services" || target === "flag:affected_features") {
      const list = target === "flag:services" ? "services" : "affected_features";
      (flags[list] ??= []).push(header);
    } else if (target !== "custom") {
      const prev = fields[target];
      fields[target] = prev ? [...(prev as string[]), header] : [header];
    }
  }
  // A list fed only by flags still needs its field listed, so the row reader reads it.
  for (const list of Object.keys(flags) as ListColumn[]) fields[list] ??= [];
  return {
    format: "generic",
    label: "Other CSV (column mapping)",
    defaultSource: m.source || "csv",
    container: "csv",
    fields,
    values: m.values,
    listSeparator: new RegExp(`\\s*${escapeRegExp(m.listSeparator)}\\s*`),
    dateFormats: m.dateFormats,
    ignore,
    flags,
    ignoreValues: m.ignoreValues,
    detect: () => false,
  };
}

const FLAG_CELLS = new Set(["0", "1", "true", "false", "yes", "no", "y", "n", "x"]);

/** Header spellings per field, most telling first; matched after lower-casing and squashing punctuation to `_`. */
const HEADER_GUESSES: readonly [CanonicalColumn, readonly string[]][] = [
  ["id", ["incident_id", "id", "key", "incident_key", "incident_number", "ticket", "ticket_id", "issue_key", "number"]],
  ["title", ["title", "name", "summary", "headline", "subject", "incident_title", "incident_name"]],
  ["severity", ["severity", "sev", "priority", "severity_level", "sev_level", "urgency", "impact"]],
  ["started_at", ["started_at", "created", "started", "start", "created_at", "start_time", "started_time", "opened", "opened_at", "begin", "start_date", "date"]],
  ["resolved_at", ["resolved_at", "resolved", "ended", "end", "ended_at", "end_time", "closed", "closed_at", "resolution_date", "end_date"]],
  ["services", ["services", "service", "components", "component", "affected_services", "affected_components", "systems", "system"]],
  ["affected_features", ["features", "feature", "affected_features"]],
  ["url", ["url", "link", "permalink", "incident_url", "shortlink", "href"]],
  ["description", ["description", "details", "body"]],
  ["status", ["status", "state"]],
];

const squashHeader = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/\([^)]*\)/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");

/**
 * The editor's first mapping for a file: a header that is a canonical name maps to itself;
 * then the usual spellings (`incident_id`/`id`/`key` → id, `created`/`started`/`start` →
 * start, …), each field at most once; two or more columns holding only 0/1 (true/false,
 * yes/no, x) become service flag columns. Everything else is kept as a custom field.
 * `guessed` names the headers mapped by a guess (not by an exact canonical name).
 */
export function guessMapping(headers: readonly string[], samples: Record<string, readonly string[]> = {}): { mapping: ImportMappingInput; guessed: Record<string, MappingTarget> } {
  const columns: Record<string, MappingTarget> = {};
  const guessed: Record<string, MappingTarget> = {};
  const taken = new Set<string>();
  for (const h of headers) {
    const norm = h.trim().toLowerCase().replace(/[\s-]+/g, "_");
    if ((CANONICAL_COLUMNS as readonly string[]).includes(norm) && !taken.has(norm)) {
      columns[h] = norm as MappingTarget;
      taken.add(norm);
    }
  }
  const squashed = new Map(headers.map((h) => [h, squashHeader(h)]));
  for (const [field, spellings] of HEADER_GUESSES) {
    if (taken.has(field)) continue;
    for (const spelling of spellings) {
      const h = headers.find((x) => columns[x] === undefined && squashed.get(x) === spelling);
      if (h) {
        columns[h] = guessed[h] = field;
        taken.add(field);
        break;
      }
    }
  }
  const flagLike = headers.filter((h) => {
    const vals = samples[h] ?? [];
    return columns[h] === undefined && vals.length > 0 && vals.every((v) => FLAG_CELLS.has(v.trim().toLowerCase())) && vals.some(isTruthyFlag);
  });
  if (flagLike.length >= 2) for (const h of flagLike) columns[h] = guessed[h] = "flag:services";
  for (const h of headers) columns[h] ??= "custom";
  return { mapping: { columns, values: {}, dateFormats: [], listSeparator: ";", ignoreValues: [], timezone: null, source: null }, guessed };
}
