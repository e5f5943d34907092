/**
 * Shapes the engine's per-quarter analysis into the quarterly chart's rows.
 * Pure: plain data in, plain data out (unit-tested in tests/unit/charts).
 */
import type { QuarterAnalysis } from "@/lib/metric/analysis-types";
import type { QuarterStatus } from "@/lib/metric/types";
import { roundHours } from "@/lib/format/hours";
import { maxOf, niceScale, type NiceScale } from "./ticks";

export interface QuarterlyDatum {
  /** Quarter id, e.g. FY2025-Q3 (the x-axis category). */
  quarter: string;
  /** Counted hours (exact to 1e-3). */
  hours: number;
  /** Extra hours if every untriaged incident were change-triggered (upper bound − hours, ≥ 0). */
  band: number;
  upperBound: number;
  target: number | null;
  status: QuarterStatus;
  /** Why the quarter is provisional (empty otherwise); for the tooltip and the table. */
  reasons: string[];
  /** Counted incidents overlapping the quarter. */
  counted: number;
  /** Untriaged candidates still open in the quarter. */
  untriaged: number;
  overTarget: boolean;
  /** The frozen figure when the quarter was closed (e.g. its report published), else null; `hours` is always today's. */
  reported?: number | null;
}

/**
 * One row per quarter, in order; future quarters are dropped (nothing to draw).
 * `closures` are the frozen figures of closed quarters, carried beside today's.
 */
export function toQuarterlyChartData(quarters: readonly QuarterAnalysis[], closures: readonly { quarter: string; hours: number }[] = []): QuarterlyDatum[] {
  const frozen = new Map(closures.map((c) => [c.quarter, c.hours]));
  return quarters
    .filter((q) => q.status !== "future")
    .map((q) => {
      const hours = roundHours(q.hours);
      const upperBound = roundHours(Math.max(q.upperBoundHours, q.hours));
      const reasons = [...q.provisional.messages];
      if (q.status === "in_progress") reasons.unshift("The quarter is still in progress; hours so far.");
      return {
        quarter: q.quarter,
        hours,
        band: roundHours(Math.max(0, upperBound - hours)),
        upperBound,
        target: q.target,
        status: q.status,
        reasons,
        counted: q.countedIncidentIds.length,
        untriaged: q.provisional.untriaged,
        overTarget: q.target != null && q.hours > q.target,
        reported: frozen.has(q.quarter) ? roundHours(frozen.get(q.quarter)!) : null,
      };
    });
}

/**
 * The y-axis the chart must show (bars, bands and targets, so marks are never clipped),
 * ending on a round tick: 60 rather than 51, 100 rather than 98.
 */
export function quarterlyScale(data: readonly QuarterlyDatum[]): NiceScale {
  return niceScale(maxOf(data.flatMap((d) => [d.upperBound, d.hours, d.target])));
}

/** The y-axis maximum: the last of `quarterlyScale()`'s ticks (1 with nothing to show). */
export function quarterlyDomainMax(data: readonly QuarterlyDatum[]): number {
  return quarterlyScale(data).max;
}

/**
 * Half the width of a target mark, in px, on a plot `plotWidth` px wide holding `count`
 * quarters: 30 px at most, and 35% of a quarter's slot, so the marks (with their 3 px white
 * edge) of neighbouring quarters always leave a gap. 30 px when the width is not known yet.
 */
export function targetHalfWidth(plotWidth: number, count: number): number {
  if (!(plotWidth > 0) || !(count > 0)) return 30;
  return Math.max(2, Math.min(30, (plotWidth / count) * 0.35 - 3));
}
