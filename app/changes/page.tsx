import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { PeriodControl } from "@/app/_components/period-control";
import { ChartFrame } from "@/app/_components/charts/chart-frame";
import { periodParams } from "@/lib/charts/period";
import { formatShare } from "@/lib/format/share";
import { formatRate, formatRecovery, NO_DEPLOY_DATA } from "@/lib/format/dora";
import { formatInstant } from "@/lib/incidents/format";
import { requirePageRole } from "@/server/auth/guards";
import { loadChangesView } from "@/server/changes-view";
import type { DoraRanking } from "@/server/dora";
import { DoraTrend } from "./_components/dora-trend";
import { FailedDeploysTable } from "./_components/failed-deploys";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Changes" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function Ranking({ title, id, rows }: { title: string; id: string; rows: DoraRanking[] }) {
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card__header">
        <h2 id={id}>{title}</h2>
        <span className="muted small">Over the period, worst change fail rate first</span>
      </div>
      {rows.length === 0 ? (
        <p className="muted small">No deploy in the period names one.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid={`${id}-table`}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Deployments</th>
                <th scope="col">Failed</th>
                <th scope="col">Change fail rate</th>
                <th scope="col">Recovery (median)</th>
                <th scope="col">Rework rate</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 12).map((r) => (
                <tr key={r.key}>
                  <td>
                    <strong>{r.key}</strong>
                  </td>
                  <td>{r.figures.deployments}</td>
                  <td>{r.figures.failedDeployments}</td>
                  <td>{formatRate(r.figures.changeFailRate)}</td>
                  <td>{formatRecovery(r.figures.recoveryMedianHours)}</td>
                  <td>{formatRate(r.figures.reworkRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 12 ? <p className="muted small">{rows.length - 12} more not shown; `cli dora --json` lists them all.</p> : null}
    </section>
  );
}

export default async function ChangesPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageRole("viewer");
  const { now, settings, current, period, hasDeploys, report, drill, badQuarter, summaries } = loadChangesView(getDb(), await searchParams);
  const ends = periodParams(period, current);
  const href = (extra: Record<string, string>) => `/changes?${new URLSearchParams({ ...ends, ...extra })}`;
  const latest = report.quarters.at(-1)!;
  const totalDeploys = report.quarters.reduce((s, q) => s + q.deployments + q.remediationDeploys, 0);

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Changes</h1>
          <p className="muted">
            How often changes fail and how fast service recovers (the DORA figures), per fiscal quarter ({settings.timezone}), from deploy events and the causing
            and remediation deploys confirmed on incidents. As of {formatInstant(now, settings.timezone)}.
          </p>
          <p className="muted small">
            A deployment failed when it caused a counted incident or was rolled back within {report.settings.rollbackWindowHours} h; rollbacks and fixes linked to an
            incident are rework, not deployments. Recovery runs from the failing deploy to its rollback, fix or the incident&apos;s mitigation.
          </p>
        </div>
      </div>

      <PeriodControl action="/changes" period={period} quarters={report.quarters.map((q) => q.quarter)} keep={{}} hrefFor={(r) => `/changes?${new URLSearchParams(periodParams(r, current))}`} />
      {period.error ? (
        <div className="alert alert--warning" role="alert">
          {period.error}
        </div>
      ) : null}
      {badQuarter != null ? (
        <div className="alert alert--warning" role="alert">
          &quot;{badQuarter}&quot; is not a quarter in the period shown ({period.from} to {period.to}).
        </div>
      ) : null}

      {!hasDeploys ? (
        <section className="card" data-testid="changes-empty">
          <h2>No deploy data yet</h2>
          <p>
            The change figures count deploys: import deploy events from your deploy system on the <Link href="/import">Import</Link> page (CSV or JSON) or send
            them to <code>POST /api/deploys</code>. Until then every rate reads &quot;{NO_DEPLOY_DATA}&quot;, never 0%.
          </p>
        </section>
      ) : null}

      <section className="grid grid--4" aria-label={`${latest.quarter} so far`} data-testid="dora-tiles">
        <div className="card stat">
          <span className="stat__label">Deployments, {latest.quarter}</span>
          <span className="stat__value">{latest.deployments}</span>
          <span className="stat__sub">{latest.remediationDeploys} rollbacks and fixes besides</span>
        </div>
        <div className="card stat">
          <span className="stat__label">Change fail rate</span>
          <span className="stat__value" data-testid="tile-cfr">
            {formatRate(latest.changeFailRate)}
          </span>
          <span className="stat__sub">{latest.failedDeployments} failed deployments</span>
        </div>
        <div className="card stat">
          <span className="stat__label">Recovery time (median)</span>
          <span className="stat__value">{formatRecovery(latest.recoveryMedianHours)}</span>
          <span className="stat__sub">
            p90 {formatRecovery(latest.recoveryP90Hours)}
            {latest.unrecovered ? `; ${latest.unrecovered} not recovered yet` : ""}
          </span>
        </div>
        <div className="card stat">
          <span className="stat__label">Rework rate</span>
          <span className="stat__value">{formatRate(latest.reworkRate)}</span>
          <span className="stat__sub" data-testid="tile-coverage">
            {latest.causeCoverage.counted
              ? `${formatShare(latest.causeCoverage.share)} of ${latest.causeCoverage.counted} counted incidents have a confirmed causing deploy`
              : "No counted incident this quarter"}
          </span>
        </div>
      </section>

      <ChartFrame
        title="Per quarter"
        id="dora-quarters"
        description={`${totalDeploys} deploys in ${period.from} to ${period.to}. Choose a quarter for the deploys behind its figures.`}
        chart={<DoraTrend rows={report.quarters} />}
        table={
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Quarter</th>
                  <th scope="col">Deployments</th>
                  <th scope="col">Rollbacks and fixes</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Change fail rate</th>
                  <th scope="col">Recovery median / p90</th>
                  <th scope="col">Rework rate</th>
                  <th scope="col">Cause confirmed</th>
                </tr>
              </thead>
              <tbody>
                {report.quarters.map((q) => (
                  <tr key={q.quarter} aria-current={drill?.quarter === q.quarter ? "true" : undefined}>
                    <td>
                      <Link href={href({ quarter: q.quarter })}>{q.quarter}</Link>
                    </td>
                    <td>{q.deployments}</td>
                    <td>{q.remediationDeploys}</td>
                    <td>{q.failedDeployments}</td>
                    <td>{formatRate(q.changeFailRate)}</td>
                    <td>
                      {formatRecovery(q.recoveryMedianHours)} / {formatRecovery(q.recoveryP90Hours)}
                      {q.unrecovered ? <span className="muted small"> ({q.unrecovered} open)</span> : null}
                    </td>
                    <td>{formatRate(q.reworkRate)}</td>
                    <td>{q.causeCoverage.counted ? `${q.causeCoverage.withCause} of ${q.causeCoverage.counted}` : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        }
        defaultView="table"
      />

      {drill ? <FailedDeploysTable drill={drill} summaries={summaries} timezone={settings.timezone} closeHref={href({})} /> : null}

      <div className="grid grid--2">
        <Ranking title="By service" id="dora-by-service" rows={report.byService} />
        <Ranking title="By deploy system" id="dora-by-system" rows={report.bySystem} />
      </div>

      {report.ignoredLinks.length ? (
        <p className="muted small" role="note">
          {report.ignoredLinks.length} confirmed link{report.ignoredLinks.length === 1 ? "" : "s"} name an incident or deploy that no longer exists (or a deploy
          after now) and {report.ignoredLinks.length === 1 ? "is" : "are"} left out.
        </p>
      ) : null}
    </div>
  );
}
