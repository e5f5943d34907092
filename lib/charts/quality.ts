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
