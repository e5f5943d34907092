import type { Policy } from "@/lib/metric/types";
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
  /**
   * Severity values of the valid rows that the policy given to buildPreview classes as
   * neither high, medium nor low, with how many rows carry each; most frequent first.
   * Null when no policy was given.
   */
  unmappedSeverities: UnmappedSeverity[] | null;
  /** The policy version those were checked against. */
  policyVersion: number | null;
}

export interface UnmappedSeverity {
  severity: string;
  count: number;
}

/**
 * The severities of `rows` that `policy` leaves unmapped (matched as the engine matches:
 * trimmed, case-insensitive), each with its number of rows, most frequent first, then by
 * name. Spellings that differ only in case or spaces are one entry (the first seen).
 */
export function unmappedSeverities(rows: readonly { incident: Pick<IncidentInput, "severity"> }[], policy: Pick<Policy, "severityClasses">): UnmappedSeverity[] {
  // As compilePolicy matches keys.
  const mapped = new Set(Object.keys(policy.severityClasses).map((k) => k.trim().toLowerCase()));
  const byKey = new Map<string, UnmappedSeverity>();
  for (const { incident } of rows) {
    const sev = incident.severity ?? "";
    const key = sev.trim().toLowerCase();
    if (mapped.has(key)) continue;
    const hit = byKey.get(key);
    if (hit) hit.count++;
    else byKey.set(key, { severity: sev.trim(), count: 1 });
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || a.severity.localeCompare(b.severity));
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
 * `limit`, in file order), then the first valid rows in file order; with `policy`, the
 * severities it leaves unmapped.
 */
export function buildPreview(
  parsed: ParseResult,
  errors: RowError[] = parsed.errors,
  limit = 100,
  policy: { id: number; policy: Pick<Policy, "severityClasses"> } | null = null,
): ImportPreview {
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
    unmappedSeverities: policy && !parsed.needsMapping ? unmappedSeverities(parsed.rows, policy.policy) : null,
    policyVersion: policy?.id ?? null,
  };
}

/** What the preview lets a user do with an unmapped severity: give it a class, or leave it unmapped (never counted). */
export const SEVERITY_CHOICES = ["high", "medium", "low", "ignore"] as const;
export type SeverityChoice = (typeof SEVERITY_CHOICES)[number];

/**
 * The policy with `choices` added to its severity classes. `ignore` adds nothing (the
 * severity stays unmapped, so it never counts and the data-completeness figures still
 * show it). A severity the policy maps by now (someone saved a version meanwhile) is
 * left as the policy has it and listed in `skipped`.
 */
export function withSeverityChoices<P extends Pick<Policy, "severityClasses">>(
  policy: P,
  choices: Record<string, SeverityChoice>,
): { policy: P; added: Record<string, Exclude<SeverityChoice, "ignore">>; skipped: string[] } {
  const mapped = new Set(Object.keys(policy.severityClasses).map((k) => k.trim().toLowerCase()));
  const added: Record<string, Exclude<SeverityChoice, "ignore">> = {};
  const skipped: string[] = [];
  for (const [raw, choice] of Object.entries(choices)) {
    const severity = raw.trim();
    if (!severity || choice === "ignore") continue;
    const key = severity.toLowerCase();
    if (mapped.has(key)) {
      skipped.push(severity);
      continue;
    }
    mapped.add(key);
    added[severity] = choice;
  }
  return { policy: { ...policy, severityClasses: { ...policy.severityClasses, ...added } }, added, skipped };
}
