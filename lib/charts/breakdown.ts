/**
 * Breakdowns: stacked series per quarter by one dimension, and a ranking of the
 * largest sources over a period. Pure.
 */
import type { Breakdown, IncidentAnalysis, QuarterAnalysis } from "@/lib/metric/analysis-types";
import type { EngineIncident } from "@/lib/metric/types";
import { roundHours } from "@/lib/format/hours";
import { OTHER_COLOUR, seriesColour } from "./palette";

export const BREAKDOWN_DIMENSIONS = ["service", "deploySystem", "changeType", "severityClass"] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<BreakdownDimension, string> = {
  service: "Service",
  deploySystem: "Deploy system",
  changeType: "Change type",
  severityClass: "Severity class",
};

export function isBreakdownDimension(v: unknown): v is BreakdownDimension {
  return typeof v === "string" && (BREAKDOWN_DIMENSIONS as readonly string[]).includes(v);
}

export const OTHER_KEY = "other";

export interface StackSeries {
  /** The dataKey in each row. */
  key: string;
  label: string;
  colour: string;
}

export interface StackedBreakdownData {
  series: StackSeries[];
  /** One row per quarter: `{ quarter, total, [series.key]: hours }`. */
  rows: Array<{ quarter: string; total: number } & Record<string, number | string>>;
  /** True when the stacked parts may exceed the quarter's total (multi-service incidents, union mode). */
  partsMayExceedTotal: boolean;
  note: string | null;
}

/**
 * Stacks each quarter's breakdown by `dimension`. The `topN` keys with the most hours
 * over all given quarters get their own series; the rest are summed into "other".
 * Series keys are prefixed (`s0`, `s1`…) so odd names can't collide with `quarter`/`total`.
 */
export function toStackedBreakdown(quarters: readonly QuarterAnalysis[], dimension: BreakdownDimension, topN = 6): StackedBreakdownData {
  const visible = quarters.filter((q) => q.status !== "future");
  const totals = new Map<string, number>();
  let note: string | null = null;
  let exceed = false;
  for (const q of visible) {
    const b: Breakdown = q.breakdowns[dimension];
    if (b.partsMayExceedTotal) exceed = true;
    note ??= b.note;
    for (const r of b.rows) totals.set(r.key, (totals.get(r.key) ?? 0) + r.hours);
  }
  const ranked = [...totals.entries()].filter(([, h]) => h > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = ranked.slice(0, topN).map(([k]) => k);
  const hasOther = ranked.length > topN;
  const series: StackSeries[] = top.map((k, i) => ({ key: `s${i}`, label: k, colour: seriesColour(i) }));
  if (hasOther) series.push({ key: OTHER_KEY, label: `Other (${ranked.length - topN})`, colour: OTHER_COLOUR });
  const index = new Map(top.map((k, i) => [k, `s${i}`]));
  const rows = visible.map((q) => {
    const row: { quarter: string; total: number } & Record<string, number | string> = { quarter: q.quarter, total: roundHours(q.hours) };
    for (const s of series) row[s.key] = 0;
    for (const r of q.breakdowns[dimension].rows) {
      const key = index.get(r.key) ?? OTHER_KEY;
      if (key === OTHER_KEY && !hasOther) continue;
      row[key] = roundHours((row[key] as number) + r.hours);
    }
    return row;
  });
  return { series, rows, partsMayExceedTotal: exceed, note };
}

export interface RankingRow {
  key: string;
  hours: number;
  /** Distinct counted incidents contributing in the period. */
  incidents: number;
  /** hours / the period's total hours (may sum past 1 for multi-valued dimensions). */
  share: number;
}

function valuesOf(inc: EngineIncident, cls: string, dimension: BreakdownDimension): string[] {
  const norm = (v: string | null | undefined) => (v?.trim() ? v.trim() : "unknown");
  switch (dimension) {
    case "service":
      return inc.services.length ? [...new Set(inc.services.map(norm))] : ["unknown"];
    case "deploySystem":
      return [norm(inc.deploySystem)];
    case "changeType":
      return [norm(inc.changeType)];
    case "severityClass":
      return [cls];
  }
}

/** valuesOf into a reused buffer, without a Set or array per incident (the ranking's hot loop). */
function keysOf(inc: EngineIncident, cls: string, dimension: BreakdownDimension, out: string[]): void {
  out.length = 0;
  switch (dimension) {
    case "service":
      if (inc.services.length === 0) out.push("unknown");
      for (const s of inc.services) {
        const key = s.trim() || "unknown";
        if (!out.includes(key)) out.push(key);
      }
      return;
    case "deploySystem":
      out.push(inc.deploySystem?.trim() || "unknown");
      return;
    case "changeType":
      out.push(inc.changeType?.trim() || "unknown");
      return;
    case "severityClass":
      out.push(cls);
  }
}

/**
 * The largest sources of counted hours over `quarters` (a set of quarter ids), by
 * `dimension`. `incidents` and `analyses` are parallel arrays (analyze() keeps input
 * order). Hours are the incidents' contributions to those quarters only.
 */
export function rankSources(
  incidents: readonly EngineIncident[],
  analyses: readonly IncidentAnalysis[],
  dimension: BreakdownDimension,
  quarters: ReadonlySet<string>,
  limit = 10,
): { rows: RankingRow[]; totalHours: number } {
  const acc = new Map<string, { hours: number; incidents: number }>();
  let total = 0;
  for (let k = 0; k < analyses.length; k++) {
    const a = analyses[k];
    if (!a.counted) continue;
    let hours = 0;
    for (const c of a.contributions) if (quarters.has(c.quarter)) hours += c.hours;
    if (hours <= 0) continue;
    total += hours;
    for (const key of valuesOf(incidents[k], a.severityClass, dimension)) {
      const row = acc.get(key);
      if (row) {
        row.hours += hours;
        row.incidents++;
      } else acc.set(key, { hours, incidents: 1 });
    }
  }
  const rows = [...acc.entries()]
    .map(([key, v]) => ({ key, hours: roundHours(v.hours), incidents: v.incidents, share: total ? v.hours / total : 0 }))
    .sort((a, b) => b.hours - a.hours || (a.key < b.key ? -1 : 1))
    .slice(0, limit);
  return { rows, totalHours: roundHours(total) };
}

export const RANKING_PERIODS = ["current", "last", "last4", "last8", "all"] as const;
export type RankingPeriod = (typeof RANKING_PERIODS)[number];
export const RANKING_PERIOD_LABELS: Record<RankingPeriod, string> = {
  current: "Current quarter",
  last: "Last ended quarter",
  last4: "Last 4 quarters",
  last8: "Last 8 quarters",
  all: "All quarters shown",
};

export function isRankingPeriod(v: unknown): v is RankingPeriod {
  return typeof v === "string" && (RANKING_PERIODS as readonly string[]).includes(v);
}

/** Quarter ids a ranking period covers. "last4"/"last8" include the current quarter. */
export function quartersForPeriod(quarters: readonly QuarterAnalysis[], period: RankingPeriod): Set<string> {
  const shown = quarters.filter((q) => q.status !== "future");
  const ended = shown.filter((q) => q.status === "final" || q.status === "provisional");
  switch (period) {
    case "current":
      return new Set(shown.filter((q) => q.status === "in_progress").map((q) => q.quarter));
    case "last":
      return new Set(ended.slice(-1).map((q) => q.quarter));
    case "last4":
      return new Set(shown.slice(-4).map((q) => q.quarter));
    case "last8":
      return new Set(shown.slice(-8).map((q) => q.quarter));
    case "all":
      return new Set(shown.map((q) => q.quarter));
  }
}

export type AllRankings = Record<BreakdownDimension, Record<RankingPeriod, { rows: RankingRow[]; totalHours: number; quarters: string[] }>>;

/**
 * Every dimension × period ranking in one pass over the incidents (the dashboard lets
 * people switch both without a round trip). Same figures as calling `rankSources` for
 * each pair.
 */
export function rankAllSources(incidents: readonly EngineIncident[], analyses: readonly IncidentAnalysis[], quarters: readonly QuarterAnalysis[], limit = 10): AllRankings {
  const periods = RANKING_PERIODS.map((p) => quartersForPeriod(quarters, p));
  const np = periods.length;
  // quarter id → bit mask of the periods containing it.
  const mask = new Map<string, number>();
  periods.forEach((set, pi) => {
    for (const q of set) mask.set(q, (mask.get(q) ?? 0) | (1 << pi));
  });
  // Per dimension: key → hours and incident count per period (one map lookup per key, not per period).
  const acc = BREAKDOWN_DIMENSIONS.map(() => new Map<string, { hours: Float64Array; incidents: Int32Array }>());
  const totals = new Float64Array(np);
  const per = new Float64Array(np);
  const keys: string[] = [];
  for (let k = 0; k < analyses.length; k++) {
    const a = analyses[k];
    if (!a.counted || a.contributions.length === 0) continue;
    per.fill(0);
    let any = false;
    for (const c of a.contributions) {
      const m = mask.get(c.quarter);
      if (!m) continue;
      for (let pi = 0; pi < np; pi++) {
        if (m & (1 << pi)) {
          per[pi] += c.hours;
          if (per[pi] > 0) any = true;
        }
      }
    }
    if (!any) continue;
    for (let pi = 0; pi < np; pi++) totals[pi] += per[pi];
    for (let di = 0; di < BREAKDOWN_DIMENSIONS.length; di++) {
      keysOf(incidents[k], a.severityClass, BREAKDOWN_DIMENSIONS[di], keys);
      const map = acc[di];
      for (const key of keys) {
        let row = map.get(key);
        if (!row) map.set(key, (row = { hours: new Float64Array(np), incidents: new Int32Array(np) }));
        for (let pi = 0; pi < np; pi++) {
          if (!(per[pi] > 0)) continue;
          row.hours[pi] += per[pi];
          row.incidents[pi]++;
        }
      }
    }
  }
  const out = {} as AllRankings;
  BREAKDOWN_DIMENSIONS.forEach((dim, di) => {
    out[dim] = {} as AllRankings[BreakdownDimension];
    RANKING_PERIODS.forEach((p, pi) => {
      const total = totals[pi];
      const rows: RankingRow[] = [];
      for (const [key, v] of acc[di]) {
        if (v.incidents[pi] > 0) rows.push({ key, hours: roundHours(v.hours[pi]), incidents: v.incidents[pi], share: total ? v.hours[pi] / total : 0 });
      }
      rows.sort((x, y) => y.hours - x.hours || (x.key < y.key ? -1 : 1));
      out[dim][p] = { rows: rows.slice(0, limit), totalHours: roundHours(total), quarters: [...periods[pi]] };
    });
  });
  return out;
}
