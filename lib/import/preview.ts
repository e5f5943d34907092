import type { IncidentInput } from "@/lib/validation/incident";
import type { ParseResult, RowError } from "./types";
import { FORMAT_LABELS } from "./sources/index";

/** One row as the preview table shows it (ISO instants, lists joined). */
export interface PreviewRow {
  row: number;
  sourceId: string | null;
  source: string | null;
  title: string | null;
  severity: string | null;
  startedAt: string | null;
  resolvedAt: string | null;
  services: string;
  trigger: string | null;
  errors: { column: string; reason: string }[];
}

export interface ImportPreview {
  format: ParseResult["format"];
  formatLabel: string;
  container: ParseResult["container"];
  source: string;
  headers: string[];
  samples: Record<string, string[]>;
  total: number;
  valid: number;
  needsMapping: boolean;
  errors: RowError[];
  /** The first rows, valid or not, in file order, each with its errors inline. */
  rows: PreviewRow[];
}

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

function toPreviewRow(row: number, i: IncidentInput): PreviewRow {
  return {
    row,
    sourceId: i.sourceId,
    source: i.source,
    title: i.title,
    severity: i.severity,
    startedAt: iso(i.startedAt),
    resolvedAt: iso(i.resolvedAt),
    services: i.sourceServices.join(", "),
    trigger: i.curated.trigger ?? null,
    errors: [],
  };
}

/**
 * The preview the import page shows: invalid rows first (every one of them up to
 * `limit`, in file order), then the first valid rows in file order.
 */
export function buildPreview(parsed: ParseResult, errors: RowError[] = parsed.errors, limit = 100): ImportPreview {
  const byRow = new Map<number, PreviewRow>();
  for (const e of errors) {
    let r = byRow.get(e.row);
    if (!r) {
      const valid = parsed.rows.find((x) => x.row === e.row);
      r = valid
        ? toPreviewRow(e.row, valid.incident)
        : { row: e.row, sourceId: e.sourceId, source: null, title: null, severity: null, startedAt: null, resolvedAt: null, services: "", trigger: null, errors: [] };
      // Full: skip this row, but keep attaching errors to rows already listed.
      if (byRow.size >= limit) continue;
      byRow.set(e.row, r);
    }
    r.errors.push({ column: e.column, reason: e.reason });
  }
  for (const p of parsed.rows) {
    if (byRow.size >= limit) break;
    if (!byRow.has(p.row)) byRow.set(p.row, toPreviewRow(p.row, p.incident));
  }
  const rows = [...byRow.values()].sort((a, b) => Number(b.errors.length > 0) - Number(a.errors.length > 0) || a.row - b.row);
  const badRows = new Set(errors.map((e) => e.row));
  return {
    format: parsed.format,
    formatLabel: FORMAT_LABELS[parsed.format],
    container: parsed.container,
    source: parsed.source,
    headers: parsed.headers,
    samples: parsed.samples,
    total: parsed.total,
    valid: parsed.total - badRows.size,
    needsMapping: parsed.needsMapping,
    errors,
    rows,
  };
}
