/** The incidents behind one quarter's bar, with each one's contribution and reason. Pure. */
import type { IncidentAnalysis } from "@/lib/metric/analysis-types";
import { toIso } from "@/lib/metric/evaluate";
import type { CountReason } from "@/lib/metric/types";

export const REASON_LABELS: Record<CountReason, string> = {
  duplicate: "Duplicate of another incident",
  override_exclude: "Excluded by an engineer's override",
  override_include: "Included by an engineer's override",
  not_change_triggered: "Not change-triggered",
  untriaged: "Untriaged: trigger not yet known",
  high_severity: "High severity, change-triggered",
  medium_selected: "Medium severity, selected by the medium rule",
  medium_not_selected: "Medium severity, not selected by the medium rule",
  low_severity: "Low severity",
  unmapped_severity: "Severity not in the policy's map",
};

export interface DrillDownRow {
  id: string;
  reason: CountReason;
  reasonLabel: string;
  /** Hours this incident adds to the quarter. */
  hours: number;
  /** Whole effective window, hours. */
  durationHours: number;
  start: string;
  end: string;
  ongoing: boolean;
}

export interface DrillDown {
  quarter: string;
  /** Counted incidents, largest contribution first. */
  counted: DrillDownRow[];
  /** Sum of `counted` hours: the bar's height in sum mode. */
  totalHours: number;
  /** Untriaged incidents that would count if change-triggered (the band above the bar). */
  pending: DrillDownRow[];
  pendingHours: number;
}

function row(inc: IncidentAnalysis, hours: number): DrillDownRow {
  return {
    id: inc.id,
    reason: inc.reason,
    reasonLabel: REASON_LABELS[inc.reason],
    hours,
    durationHours: inc.durationHours,
    start: toIso(inc.startMs),
    end: toIso(inc.endMs),
    ongoing: inc.ongoing,
  };
}

/**
 * Splits the incidents overlapping `quarter` into those counted (their contributions
 * sum to the quarter's hours in `sum` mode) and the untriaged ones in the upper bound.
 */
export function toDrillDown(quarter: string, incidents: readonly IncidentAnalysis[]): DrillDown {
  const counted: DrillDownRow[] = [];
  const pending: DrillDownRow[] = [];
  for (const inc of incidents) {
    if (inc.counted) {
      const c = inc.contributions.find((x) => x.quarter === quarter);
      if (c && c.hours > 0) counted.push(row(inc, c.hours));
    } else if (inc.inUpperBound && inc.reason === "untriaged") {
      const o = inc.overlaps.find((x) => x.quarter === quarter);
      if (o && o.hours > 0) pending.push(row(inc, o.hours));
    }
  }
  const byHours = (a: DrillDownRow, b: DrillDownRow) => b.hours - a.hours || (a.id < b.id ? -1 : 1);
  counted.sort(byHours);
  pending.sort(byHours);
  return {
    quarter,
    counted,
    totalHours: counted.reduce((s, r) => s + r.hours, 0),
    pending,
    pendingHours: pending.reduce((s, r) => s + r.hours, 0),
  };
}
