import { z } from "zod";
import { CANONICAL_COLUMNS, type CanonicalColumn } from "@/lib/import/row-reader";
import type { FieldRule, SourceMapping } from "./mapping";

/**
 * "Any other CSV": the user's own table, chosen in the mapping editor and saved
 * as a preset. `columns` maps each source column to a canonical column (several
 * source columns may feed one list column), to `custom` (kept as a custom field)
 * or to `ignore`; `values` normalises raw values per canonical column.
 */
export const importMappingSchema = z.object({
  columns: z.record(z.string().max(500), z.union([z.enum(CANONICAL_COLUMNS), z.literal("custom"), z.literal("ignore")])),
  values: z.partialRecord(z.enum(CANONICAL_COLUMNS), z.record(z.string().max(500), z.string().max(500))).default({}),
  /** date-fns patterns for times that are not ISO-8601, e.g. `MM/dd/yyyy HH:mm`. */
  dateFormats: z.array(z.string().min(1).max(50)).max(10).default([]),
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
  for (const [header, target] of Object.entries(m.columns)) {
    if (target === "ignore") ignore.push(header);
    else if (target !== "custom") {
      const prev = fields[target];
      fields[target] = prev ? [...(prev as string[]), header] : [header];
    }
  }
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
    detect: () => false,
  };
}
