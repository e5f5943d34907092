import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { incidentSummaries } from "@/db/queries/dashboard-reads";
import { loadDashboardCached, type DashboardData } from "@/server/dashboard/data";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { toDrillDown, type DrillDown } from "@/lib/charts/drilldown";
import type { QuarterAnalysis } from "@/lib/metric/analysis-types";
import { loadDashboardModel } from "@/server/dashboard/cache";
import { modelInPeriod, rankingInPeriod } from "@/server/dashboard/period";
import { periodParams, resolvePeriod } from "@/lib/charts/period";
import { ExportButton } from "@/app/_components/export-button";
import { PeriodControl } from "@/app/_components/period-control";
import { BreakdownPanel, RankingPanel, type RankingTables } from "./_components/breakdown-panel";
import styles from "./_components/dashboard.module.css";
import { DoraPanel } from "./_components/dora-panel";
import { DrillDownPanel } from "./_components/drilldown";
import { EmptyDashboard } from "./_components/empty-state";
import { DashboardFilters } from "./_components/filters";
import { DashboardHeadline } from "./_components/headline";
import { LagPanel } from "./_components/lag-panel";
import { dashboardHref, parseDashboardParams } from "./_components/params";
import { CompletenessPanel, NorthStarPanel } from "./_components/quality-panels";
import { QuarterlyPanel } from "./_components/quarterly-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// Drill-downs list incidents, so they come from the full figures kept in this process (computed
// at the model's instant), worked out once per computation and quarter asked for.
const drills = new WeakMap<DashboardData, Map<string, DrillDown>>();
function drillOf(data: DashboardData, quarter: QuarterAnalysis): DrillDown {
  let byQuarter = drills.get(data);
  if (!byQuarter) drills.set(data, (byQuarter = new Map()));
  let drill = byQuarter.get(quarter.quarter);
  if (!drill) byQuarter.set(quarter.quarter, (drill = toDrillDown(quarter.quarter, data.analysis.incidents, { engine: data.incidents, quarter, settings: data.settings, asOf: data.asOf })));
  return drill;
}

export default async function DashboardPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageRole("viewer");
  const params = parseDashboardParams(await searchParams);
  const db = getDb();
  const filter = { services: params.services, deploySystems: params.deploySystems };
  // The figures come from the dashboard worker (server/dashboard/cache.ts): while new ones are
  // computed after someone else's write, the previous ones are shown, marked as updating.
  const model = await loadDashboardModel(db, { filter, actorLabel: actor.label });
  if (model.totalIncidents === 0) {
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

  const { settings, asOf, headline, burnDown } = model;
  // The period (?from=&to=) is a view of the model's quarters: the last eight and the current one by default.
  const current = model.shownQuarters.at(-1)!;
  const period = resolvePeriod({ from: params.from, to: params.to }, { current, earliest: model.shownQuarters[0] ?? null });
  const ends = periodParams(period, current);
  const linkParams = { ...params, from: ends.from ?? null, to: ends.to ?? null };
  const view = modelInPeriod(model, period);
  // The largest sources follow the period; a period other than the default is ranked from the full figures kept in this process.
  const ranking = rankingInPeriod(model, period, current, () => loadDashboardCached(db, { filter, now: asOf })) as RankingTables;
  const periodHref = (r: { from: string; to: string }) => {
    const e = periodParams(r, current);
    return dashboardHref({ ...linkParams, quarter: null }, { from: e.from ?? null, to: e.to ?? null });
  };
  const { quarterly, stacked, markers } = view;
  const shown = view.shownQuarters;
  const hrefFor = Object.fromEntries(quarterly.map((q) => [q.quarter, dashboardHref(linkParams, { quarter: q.quarter })]));

  const full = params.quarter && shown.includes(params.quarter) ? loadDashboardCached(db, { filter, now: asOf }) : null;
  const selected = full ? full.analysis.quarters.find((q) => q.quarter === params.quarter) : undefined;
  const drill = full && selected ? drillOf(full, selected) : null;
  const summaries = drill ? incidentSummaries(db, [...drill.counted.slice(0, 300), ...drill.pending.slice(0, 300)].map((r) => r.id)) : new Map();
  const filtered = params.services.length + params.deploySystems.length > 0;
  const keep: Record<string, string> = {};
  if (params.dim !== "service") keep.dim = params.dim;
  if (params.rank !== "service") keep.rank = params.rank;
  if (params.period !== "last4") keep.period = params.period;
  const filterKeep = { ...keep, ...ends };
  const periodKeep: Record<string, string | string[]> = { ...keep };
  if (params.services.length) periodKeep.service = params.services;
  if (params.deploySystems.length) periodKeep.deploySystem = params.deploySystems;

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">
            Hours of customer impact from change-triggered incidents per fiscal quarter ({settings.timezone}), as of{" "}
            {new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: settings.timezone }).format(asOf)}.
            {model.updating ? (
              <>
                {" "}
                <span className="badge badge--info" data-testid="figures-updating">
                  Newer figures are being computed
                </span>
              </>
            ) : null}
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
        <DashboardFilters services={model.filterOptions.services} deploySystems={model.filterOptions.deploySystems} selected={params} keep={filterKeep} />
      </div>

      <div className={styles.periodRow}>
        <PeriodControl action="/" period={period} quarters={model.shownQuarters} keep={periodKeep} hrefFor={periodHref} />
        {/* The figures of the period shown; the export's own default (every quarter) matches GET /api/metrics/quarters. */}
        {filtered ? null : <ExportButton href="/api/export/quarters" params={{ from: period.from, to: period.to }} what={`quarterly figures, ${period.from} to ${period.to}`} />}
      </div>
      {period.error ? (
        <div className="alert alert--warning" role="alert" data-testid="period-error">
          Period ignored, showing the last eight quarters and the current one: {period.error}
        </div>
      ) : null}
      {quarterly.length === 0 ? (
        <div className="alert alert--info" role="status" data-testid="period-empty">
          No incidents fall in {period.from} to {period.to}; the data runs from {model.shownQuarters[0]} to {current}.
        </div>
      ) : null}

      {params.ignored.length ? (
        <div className="alert alert--warning" role="alert">
          {params.ignored.map((m) => (
            <div key={m}>{m}</div>
          ))}
        </div>
      ) : null}
      {params.quarter && !selected ? (
        <div className="alert alert--warning" role="alert">
          {params.quarter} is not in the period shown ({period.from} to {period.to}).{" "}
          <Link href={dashboardHref({ ...linkParams, quarter: null }, { from: params.quarter, to: params.quarter })}>Show {params.quarter}</Link>
        </div>
      ) : null}
      {filtered && model.incidentCount === 0 ? (
        <div className="alert alert--info" role="status">
          No incidents match these filters. <Link href="/">Clear the filters</Link>
        </div>
      ) : null}

      <DashboardHeadline headline={headline} burnDown={burnDown} timezone={settings.timezone} />

      <QuarterlyPanel data={quarterly} selected={selected?.quarter ?? null} hrefFor={hrefFor} />

      {drill && selected ? (
        <DrillDownPanel drill={drill} barHours={selected.hours} summaries={summaries} union={full?.analysis.overlap === "union"} closeHref={dashboardHref(linkParams, { quarter: null })} />
      ) : null}

      <div className={styles.section}>
        <DoraPanel from={period.from} to={period.to} filter={filter} />
      </div>

      <div className={`grid grid--2 ${styles.section}`}>
        <BreakdownPanel data={stacked} initial={params.dim} />
        <RankingPanel data={ranking} initialPeriod={params.period} initialDim={params.rank} />
      </div>

      <div className={styles.section}>
        <LagPanel points={quarterly.map((q) => ({ quarter: q.quarter, hours: q.hours, target: q.target }))} markers={markers} />
      </div>

      <div className={`grid grid--2 ${styles.section}`}>
        <NorthStarPanel rows={view.northStar} />
        <CompletenessPanel data={view.completeness} />
      </div>
    </>
  );
}
