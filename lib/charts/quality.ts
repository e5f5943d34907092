/** North Star and data-completeness rows per quarter. Pure. */
import type { QuarterAnalysis, Ratio } from "@/lib/metric/analysis-types";
import type { QuarterStatus } from "@/lib/metric/types";

export interface NorthStarRow {
  quarter: string;
  status: QuarterStatus;
  fastRemediation: Ratio;
  earlyDetection: Ratio;
  /** Shares as 0–100 for charts; null means "no data", never zero. */
  fastPct: number | null;
  earlyPct: number | null;
}

export function toNorthStarRows(quarters: readonly QuarterAnalysis[]): NorthStarRow[] {
  const pct = (r: Ratio) => (r.share == null ? null : Math.round(r.share * 1000) / 10);
  return quarters
    .filter((q) => q.status !== "future")
    .map((q) => ({
      quarter: q.quarter,
      status: q.status,
      fastRemediation: q.northStar.fastRemediation,
      earlyDetection: q.northStar.earlyDetection,
      fastPct: pct(q.northStar.fastRemediation),
      earlyPct: pct(q.northStar.earlyDetection),
    }));
}

export interface CompletenessRow {
  quarter: string;
  candidates: number;
  triaged: number;
  untriaged: number;
  /** 0–100, null with no candidates. */
  triagedPct: number | null;
}

export interface CompletenessSummary {
  rows: CompletenessRow[];
  /** Untriaged candidates over all shown quarters (an incident spanning two quarters counts once). */
  untriagedTotal: number;
}

/** `untriagedIncidents` is the count of distinct untriaged candidates (from the incident list). */
export function toCompleteness(quarters: readonly QuarterAnalysis[], untriagedIncidents: number): CompletenessSummary {
  const rows = quarters
    .filter((q) => q.status !== "future")
    .map((q) => ({
      quarter: q.quarter,
      candidates: q.completeness.candidates,
      triaged: q.completeness.triaged,
      untriaged: q.completeness.untriaged,
      triagedPct: q.completeness.share == null ? null : Math.round(q.completeness.share * 1000) / 10,
    }));
  return { rows, untriagedTotal: untriagedIncidents };
}

/** An incident left out of every figure because a stored time is out of bounds. */
export interface ExcludedRow {
  /** Internal incident id (links to /incidents/<id>). */
  id: string;
  /** Title, or the source and its id when the title is empty. */
  label: string;
  /** The sentence naming the field, the stored value and the bound. */
  reason: string;
}

export interface ExcludedSummary {
  /** How many incidents are left out in all (rows may hold fewer). */
  total: number;
  rows: ExcludedRow[];
}

/**
 * Incidents the engine left out because a time is out of bounds (before TIME_MIN, or
 * further ahead than TIME_MAX_FUTURE_HOURS), shaped for the completeness panel. `total`
 * may exceed the rows passed in: only the first few are listed.
 */
export function toExcludedSummary(
  excluded: { total: number; rows: readonly { id: string; title: string; source: string; sourceId: string; reason: string }[] },
): ExcludedSummary {
  return {
    total: Math.max(excluded.total, excluded.rows.length),
    rows: excluded.rows.map((r) => ({
      id: r.id,
      label: r.title.trim() || (r.source || r.sourceId ? `${r.source} ${r.sourceId}`.trim() : `incident ${r.id}`),
      reason: r.reason,
    })),
  };
}
