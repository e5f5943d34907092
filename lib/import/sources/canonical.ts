import { CANONICAL_COLUMNS } from "@/lib/import/row-reader";
import type { SourceMapping } from "./mapping";
import { hasAll } from "./mapping";

/**
 * The project's own format (IMPORT.md): columns are canonical names, so the
 * mapping is the identity and unknown columns are kept as custom fields. The
 * parser takes a fast path for it; this table documents it and drives detection.
 */
export const canonicalMapping: SourceMapping = {
  format: "canonical",
  label: "Canonical (CSV, JSON array or NDJSON)",
  defaultSource: "import",
  container: "csv",
  fields: Object.fromEntries(CANONICAL_COLUMNS.map((c) => [c, c])),
  detect: (keys) => hasAll(keys, ["id", "title", "severity", "started_at"]),
};
