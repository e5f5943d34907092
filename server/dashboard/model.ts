import "server-only";
import type { Db } from "@/db/client";
import { auditHead, dataFingerprint } from "@/db/queries/dashboard-reads";
import { loadDashboard, type DashboardData } from "./data";
import type { IncidentFilter } from "@/db/queries/metric-input";
import { quarterFigures, type QuarterFigures } from "../metrics-snapshot";
import { BREAKDOWN_DIMENSIONS, rankAllSources, toStackedBreakdown, type AllRankings, type BreakdownDimension, type StackedBreakdownData } from "@/lib/charts/breakdown";
import { toBurnDown } from "@/lib/charts/burndown";
import { toHeadline } from "@/lib/charts/headline";
import { toLagMarkers } from "@/lib/charts/lag";
import { DEFAULT_PAST_QUARTERS } from "@/lib/charts/period";
import { toCompleteness, toNorthStarRows } from "@/lib/charts/quality";
import { toQuarterlyChartData } from "@/lib/charts/quarterly";
import type { Settings } from "@/lib/metric/types";

/**
 * Everything the dashboard page (without a drill-down) and the default metrics answer show,
 * worked out from one computed dashboard: a few hundred KB of plain data where DashboardData
 * holds every incident twice. This is what the dashboard worker posts back (cloning the whole
 * DashboardData of 100k incidents takes seconds), and what the page derives in-process when it
 * has the full data anyway. The rankings, burn-down and untriaged count walk every incident
 * (60–300 ms at 100k): once per computation, never per view.
 */
export interface DashboardModel {
  /** `dataFingerprint` when the figures were read. */
  fingerprint: string;
  /** The newest audit row id before the figures were read: a viewer with a newer one wrote since. */
  auditHead: number;
  /** The instant the figures are computed at (epoch ms); the page shows it. */
  asOf: number;
  settings: Settings;
  totalIncidents: number;
  /** Incidents after the filters. */
  incidentCount: number;
  filterOptions: DashboardData["filterOptions"];
  /** The quarters shown (not future), oldest first. */
  shownQuarters: string[];
  quarterly: ReturnType<typeof toQuarterlyChartData>;
  headline: ReturnType<typeof toHeadline>;
  burnDown: ReturnType<typeof toBurnDown> | null;
  stacked: Record<BreakdownDimension, StackedBreakdownData>;
  ranking: AllRankings;
  markers: ReturnType<typeof toLagMarkers>;
  /** The delivered projects behind `markers`, so a page showing fewer quarters places them on its own axis. */
  deliveries: DashboardData["projects"];
  northStar: ReturnType<typeof toNorthStarRows>;
  completeness: ReturnType<typeof toCompleteness>;
  /** The metrics API's default answer: its range and quarter figures (counts, not ids). */
  metrics: { range: { from: string; to: string }; quarters: QuarterFigures[] };
}

export function toDashboardModel(data: DashboardData, fingerprint: string, auditHead: number): DashboardModel {
  const { analysis, settings, asOf } = data;
  const shown = analysis.quarters.filter((q) => q.status !== "future");
  const currentQ = shown.find((q) => q.status === "in_progress");
  const quarterly = toQuarterlyChartData(shown, data.closures);
  const untriaged = analysis.incidents.reduce((n, i) => n + (i.reason === "untriaged" && i.inUpperBound ? 1 : 0), 0);
  const evaluated = analysis.evaluation.quarters;
  return {
    fingerprint,
    auditHead,
    asOf,
    settings,
    totalIncidents: data.totalIncidents,
    incidentCount: data.incidents.length,
    filterOptions: data.filterOptions,
    shownQuarters: shown.map((q) => q.quarter),
    quarterly,
    headline: toHeadline(shown, data.closures),
    burnDown: currentQ ? toBurnDown(currentQ, analysis.incidents, asOf, analysis.overlap) : null,
    stacked: Object.fromEntries(BREAKDOWN_DIMENSIONS.map((d) => [d, toStackedBreakdown(shown, d)])) as Record<BreakdownDimension, StackedBreakdownData>,
    // Over the default period (the last eight quarters and the current one), the one the page shows unless told otherwise.
    ranking: rankAllSources(data.incidents, analysis.incidents, shown.slice(-(DEFAULT_PAST_QUARTERS + 1))),
    markers: toLagMarkers(data.projects, shown, settings, asOf),
    deliveries: data.projects,
    northStar: toNorthStarRows(shown),
    completeness: toCompleteness(shown, untriaged),
    metrics: { range: { from: evaluated[0]?.quarter ?? "", to: evaluated.at(-1)?.quarter ?? "" }, quarters: quarterFigures(evaluated) },
  };
}

/** Reads the audit head, then the fingerprint, then the figures: a write committed in between only makes a viewer wait or recompute. */
export function computeDashboardModel(db: Db, filter: IncidentFilter, now: number): DashboardModel {
  const head = auditHead(db);
  const fingerprint = dataFingerprint(db);
  return toDashboardModel(loadDashboard(db, { asOf: now, filter }), fingerprint, head);
}
