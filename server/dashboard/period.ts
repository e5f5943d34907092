import "server-only";
import { toLagMarkers } from "@/lib/charts/lag";
import { rowsInPeriod } from "@/lib/charts/period";
import { stackedInPeriod } from "@/lib/charts/stacked-period";
import { quartersInRange } from "@/lib/metric/calendar";
import type { BreakdownDimension, StackedBreakdownData } from "@/lib/charts/breakdown";
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
