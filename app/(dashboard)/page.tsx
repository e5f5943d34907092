import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { incidentSummaries, loadDashboardCached, type DashboardData } from "@/db/queries/dashboard";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/lib/auth/server";
import { BREAKDOWN_DIMENSIONS, rankAllSources, toStackedBreakdown, type BreakdownDimension, type StackedBreakdownData } from "@/lib/charts/breakdown";
import { toBurnDown } from "@/lib/charts/burndown";
import { toDrillDown } from "@/lib/charts/drilldown";
import { toHeadline } from "@/lib/charts/headline";
import { toLagMarkers } from "@/lib/charts/lag";
import { toCompleteness, toNorthStarRows } from "@/lib/charts/quality";
import { toQuarterlyChartData } from "@/lib/charts/quarterly";
import { BreakdownPanel, RankingPanel, type RankingTables } from "../_dashboard/breakdown-panel";
import styles from "../_dashboard/dashboard.module.css";
import { DrillDownPanel } from "../_dashboard/drilldown";
import { EmptyDashboard } from "../_dashboard/empty-state";
import { DashboardFilters } from "../_dashboard/filters";
import { DashboardHeadline } from "../_dashboard/headline";
import { LagPanel } from "../_dashboard/lag-panel";
import { dashboardHref, parseDashboardParams } from "../_dashboard/params";
import { CompletenessPanel, NorthStarPanel } from "../_dashboard/quality-panels";
import { QuarterlyPanel } from "../_dashboard/quarterly-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * What the page derives from one computed dashboard, kept beside it: the rankings, burn-down
 * and untriaged count walk every incident (60–300 ms at 100k), and the cached figures are
 * shared by every view until the next commit, so they are worked out once per computation,
 * not once per request. Drill-downs are kept per quarter asked for.
 */
function deriveView(data: DashboardData) {
  const { analysis, settings, asOf } = data;
  const shown = analysis.quarters.filter((q) => q.status !== "future");
  const currentQ = shown.find((q) => q.status === "in_progress");
  return {
    shown,
    quarterly: toQuarterlyChartData(shown),
    headline: toHeadline(shown, data.closures),
    burnDown: currentQ ? toBurnDown(currentQ, analysis.incidents, asOf, analysis.overlap) : null,
    stacked: Object.fromEntries(BREAKDOWN_DIMENSIONS.map((d) => [d, toStackedBreakdown(shown, d)])) as Record<BreakdownDimension, StackedBreakdownData>,
    ranking: rankAllSources(data.incidents, analysis.incidents, shown) as RankingTables,
    markers: toLagMarkers(data.projects, shown, settings, asOf),
    untriaged: analysis.incidents.reduce((n, i) => n + (i.reason === "untriaged" && i.inUpperBound ? 1 : 0), 0),
    drills: new Map<string, ReturnType<typeof toDrillDown>>(),
  };
}
const views = new WeakMap<DashboardData, ReturnType<typeof deriveView>>();
function viewOf(data: DashboardData) {
  let view = views.get(data);
  if (!view) views.set(data, (view = deriveView(data)));
  return view;
}

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageRole("viewer");
  const params = parseDashboardParams(await searchParams);
  const db = getDb();
  const data = loadDashboardCached(db, { filter: { services: params.services, deploySystems: params.deploySystems } });

  if (data.totalIncidents === 0) {
    return (
      <>
        <div className="page-header">
          <div>
            <h1>Dashboard</h1>
          </div>
        </div>
        <EmptyDashboard canImport={can(actor.role, "import")} />
      </>
    );
  }

  const { analysis, settings, asOf } = data;
  const view = viewOf(data);
  const { shown, quarterly, headline, burnDown, stacked, ranking, markers, untriaged } = view;
  const hrefFor = Object.fromEntries(quarterly.map((q) => [q.quarter, dashboardHref(params, { quarter: q.quarter })]));

  const selected = params.quarter ? shown.find((q) => q.quarter === params.quarter) : undefined;
  let drill = selected ? (view.drills.get(selected.quarter) ?? null) : null;
  if (selected && !drill) view.drills.set(selected.quarter, (drill = toDrillDown(selected.quarter, analysis.incidents, { engine: data.incidents, quarter: selected, settings, asOf })));
  const summaries = drill ? incidentSummaries(db, [...drill.counted.slice(0, 300), ...drill.pending.slice(0, 300)].map((r) => r.id)) : new Map();
  const filtered = params.services.length + params.deploySystems.length > 0;
  const keep: Record<string, string> = {};
  if (params.dim !== "service") keep.dim = params.dim;
  if (params.rank !== "service") keep.rank = params.rank;
  if (params.period !== "last4") keep.period = params.period;

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">
            Hours of customer impact from change-triggered incidents per fiscal quarter ({settings.timezone}), as of{" "}
            {new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: settings.timezone }).format(asOf)}.
            {filtered ? (
              <>
                {" "}
                <span className="badge badge--info" data-testid="filter-badge">
                  Filtered: {[...params.services, ...params.deploySystems].join(", ")}
                </span>
              </>
            ) : null}
          </p>
        </div>
        <DashboardFilters services={data.filterOptions.services} deploySystems={data.filterOptions.deploySystems} selected={params} keep={keep} />
      </div>

      {params.ignored.length ? (
        <div className="alert alert--warning" role="alert">
          {params.ignored.map((m) => (
            <div key={m}>{m}</div>
          ))}
        </div>
      ) : null}
      {params.quarter && !selected ? (
        <div className="alert alert--warning" role="alert">
          {params.quarter} is not among the quarters shown ({shown[0]?.quarter} to {shown.at(-1)?.quarter}).
        </div>
      ) : null}
      {filtered && data.incidents.length === 0 ? (
        <div className="alert alert--info" role="status">
          No incidents match these filters. <Link href="/">Clear the filters</Link>
        </div>
      ) : null}

      <DashboardHeadline headline={headline} burnDown={burnDown} timezone={settings.timezone} />

      <QuarterlyPanel data={quarterly} selected={selected?.quarter ?? null} hrefFor={hrefFor} />

      {drill && selected ? (
        <DrillDownPanel drill={drill} barHours={selected.hours} summaries={summaries} union={analysis.overlap === "union"} closeHref={dashboardHref(params, { quarter: null })} />
      ) : null}

      <div className={`grid grid--2 ${styles.section}`}>
        <BreakdownPanel data={stacked} initial={params.dim} />
        <RankingPanel data={ranking} initialPeriod={params.period} initialDim={params.rank} />
      </div>

      <div className={styles.section}>
        <LagPanel points={quarterly.map((q) => ({ quarter: q.quarter, hours: q.hours, target: q.target }))} markers={markers} />
      </div>

      <div className={`grid grid--2 ${styles.section}`}>
        <NorthStarPanel rows={toNorthStarRows(shown)} />
        <CompletenessPanel data={toCompleteness(shown, untriaged)} />
      </div>
    </>
  );
}
