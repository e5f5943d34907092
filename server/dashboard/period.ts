import "server-only";
import { rankAllSources, type AllRankings } from "@/lib/charts/breakdown";
import { toLagMarkers } from "@/lib/charts/lag";
import { defaultPeriod, quarterInPeriod, rowsInPeriod } from "@/lib/charts/period";
import { stackedInPeriod } from "@/lib/charts/stacked-period";
import { quartersInRange } from "@/lib/metric/calendar";
import type { BreakdownDimension, StackedBreakdownData } from "@/lib/charts/breakdown";
import type { DashboardData } from "./data";
import type { DashboardModel } from "./model";

export type PeriodModel = Pick<DashboardModel, "shownQuarters" | "quarterly" | "stacked" | "markers" | "northStar" | "completeness">;

/**
 * The dashboard's per-quarter series cut to `period` (both ends inclusive). The model holds
 * every quarter from the first incident to now, computed once; a period is a view of it, so
 * switching periods never repeats the engine pass and the hours are the same figures.
 * Quarters before the first incident are not drawn (nothing happened), and lag markers are
 * placed again on the shorter axis.
 */
export function modelInPeriod(model: DashboardModel, period: { from: string; to: string }): PeriodModel {
  const quarterly = rowsInPeriod(model.quarterly, period);
  const shownQuarters = quarterly.map((q) => q.quarter);
  const axis = shownQuarters.length ? quartersInRange(shownQuarters[0], shownQuarters.at(-1)!, model.settings).map((q) => ({ quarter: q.id, startMs: q.start, endMs: q.end })) : [];
  return {
    shownQuarters,
    quarterly,
    stacked: Object.fromEntries(Object.entries(model.stacked).map(([k, v]) => [k, stackedInPeriod(v, period)])) as Record<BreakdownDimension, StackedBreakdownData>,
    markers: toLagMarkers(model.deliveries, axis, model.settings, model.asOf),
    northStar: rowsInPeriod(model.northStar, period),
    completeness: { ...model.completeness, rows: rowsInPeriod(model.completeness.rows, period) },
  };
}

// Rankings of a period other than the default, per computed dashboard and period: worked out
// once (they walk every incident, 60–300 ms at 100k) and dropped with the figures.
const rankings = new WeakMap<DashboardData, Map<string, AllRankings>>();

/**
 * The largest sources within `period` (its "all" is the whole period, "last 4" its last four
 * quarters…). The default period's come with the model, computed on the dashboard worker; any
 * other period's from the full figures kept in this process (`loadData`, called only then).
 */
export function rankingInPeriod(model: DashboardModel, period: { from: string; to: string }, current: string, loadData: () => DashboardData): AllRankings {
  const d = defaultPeriod(current);
  if (period.from === d.from && period.to === d.to) return model.ranking;
  const data = loadData();
  let byPeriod = rankings.get(data);
  if (!byPeriod) rankings.set(data, (byPeriod = new Map()));
  const key = `${period.from}..${period.to}`;
  let ranking = byPeriod.get(key);
  if (!ranking) {
    const quarters = data.analysis.quarters.filter((q) => q.status !== "future" && quarterInPeriod(q.quarter, period));
    byPeriod.set(key, (ranking = rankAllSources(data.incidents, data.analysis.incidents, quarters)));
  }
  return ranking;
}
