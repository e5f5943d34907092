/** The incidents behind one quarter's bar, with each one's contribution and reason. Pure. */
import type { IncidentAnalysis, QuarterAnalysis } from "@/lib/metric/analysis-types";
import { addLocalDays } from "@/lib/metric/calendar";
import { toIso } from "@/lib/metric/evaluate";
import { REASON_LABELS, type HoldReason } from "@/lib/metric/labels";
import type { CountReason, EngineIncident, QuarterStatus } from "@/lib/metric/types";

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
  /**
   * Why this incident keeps the quarter provisional (empty when it doesn't): the engine's
   * rule is that an incident in the upper-bound set overlapping the quarter holds it while
   * it is untriaged, awaiting impact analysis, or still ongoing.
   */
  holds: HoldReason[];
}

/** When and how the quarter becomes final (lib/metric/core status rules). */
export interface Finality {
  status: QuarterStatus;
  /** Local midnight `maturityDays` after the quarter ends (ISO); the earliest it can be final. */
  maturesAt: string | null;
  maturityDays: number | null;
  /** The maturity period is still running at asOf. */
  maturing: boolean;
  /** Incidents (counted or pending) holding the quarter provisional. */
  holding: number;
  /** One sentence: why provisional and when it turns final, or since when it is final. */
  text: string;
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
  /** Present when the quarter's analysis and settings were given. */
  finality: Finality | null;
}

function row(inc: IncidentAnalysis, hours: number, engine: EngineIncident | undefined): DrillDownRow {
  const holds: HoldReason[] = [];
  if (inc.inUpperBound) {
    if (inc.reason === "untriaged") holds.push("untriaged");
    if (engine?.analysisStatus === "pending") holds.push("awaiting_analysis");
    if (inc.ongoing) holds.push("ongoing");
  }
  return {
    holds,
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

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * When `q` becomes final, by the engine's rule: an ended quarter is provisional until
 * `maturityDays` local days after it ends AND while any incident in its upper-bound set
 * is untriaged, awaiting impact analysis or ongoing. Dates are the local day in `timezone`.
 */
export function toFinality(q: QuarterAnalysis, holding: number, settings: { maturityDays: number; timezone: string }, asOf: number): Finality {
  const maturesMs = addLocalDays(q.endMs, settings.maturityDays, settings.timezone);
  const local = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: settings.timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);
  const matures = local(maturesMs);
  const setting = `the maturity setting, ${plural(settings.maturityDays, "day")} after the quarter ends`;
  const flagged = `the ${plural(holding, "incident")} flagged below`;
  let text: string;
  if (q.status === "in_progress") {
    text = `In progress until ${local(q.endMs - 1)} (inclusive); then provisional at least until ${matures} (${setting}).`;
  } else if (q.status === "final") {
    text = `Final: matured on ${matures} (${setting}) with every incident triaged, analysed and resolved.`;
  } else if (q.status === "future") {
    text = "Not started.";
  } else if (asOf < maturesMs) {
    text = holding
      ? `Provisional: becomes final on ${matures} (${setting}) if ${flagged} ${holding === 1 ? "is" : "are"} triaged, analysed and resolved by then; otherwise once ${holding === 1 ? "it is" : "they are"}.`
      : `Provisional: becomes final on ${matures} (${setting}).`;
  } else {
    text = holding
      ? `Provisional: matured on ${matures} (${setting}); becomes final once ${flagged} ${holding === 1 ? "is" : "are"} triaged, analysed and resolved.`
      : `Provisional: matured on ${matures} (${setting}); becomes final once every incident in it is triaged, analysed and resolved.`;
  }
  return { status: q.status, maturesAt: toIso(maturesMs), maturityDays: settings.maturityDays, maturing: asOf < maturesMs, holding, text };
}

/**
 * Splits the incidents overlapping `quarter` into those counted (their contributions
 * sum to the quarter's hours in `sum` mode) and the untriaged ones in the upper bound,
 * flagging on each row what holds the quarter provisional. With `context` (the engine
 * input incidents, parallel to `incidents`; the quarter's analysis; settings; asOf)
 * it also says when the quarter becomes final.
 */
export function toDrillDown(
  quarter: string,
  incidents: readonly IncidentAnalysis[],
  context?: { engine?: readonly EngineIncident[]; quarter?: QuarterAnalysis; settings?: { maturityDays: number; timezone: string }; asOf?: number },
): DrillDown {
  const engine = context?.engine;
  const counted: DrillDownRow[] = [];
  const pending: DrillDownRow[] = [];
  for (let k = 0; k < incidents.length; k++) {
    const inc = incidents[k];
    if (inc.counted) {
      const c = inc.contributions.find((x) => x.quarter === quarter);
      if (c && c.hours > 0) counted.push(row(inc, c.hours, engine?.[k]));
    } else if (inc.inUpperBound && inc.reason === "untriaged") {
      const o = inc.overlaps.find((x) => x.quarter === quarter);
      if (o && o.hours > 0) pending.push(row(inc, o.hours, engine?.[k]));
    }
  }
  const byHours = (a: DrillDownRow, b: DrillDownRow) => b.hours - a.hours || (a.id < b.id ? -1 : 1);
  counted.sort(byHours);
  pending.sort(byHours);
  const q = context?.quarter;
  const holding = counted.filter((r) => r.holds.length).length + pending.filter((r) => r.holds.length).length;
  return {
    finality: q && context?.settings && context.asOf != null ? toFinality(q, holding, context.settings, context.asOf) : null,
    quarter,
    counted,
    totalHours: counted.reduce((s, r) => s + r.hours, 0),
    pending,
    pendingHours: pending.reduce((s, r) => s + r.hours, 0),
  };
}
