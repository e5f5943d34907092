import Link from "next/link";
import { ReportChangesCard } from "./report-changes";
import type { ReactNode } from "react";
import { ExportButton } from "@/app/_components/export-button";
import type { Breakdown } from "@/lib/metric/analysis-types";
import { formatLocalDate, formatPercentChange } from "@/lib/export/format";
import { formatShare } from "@/lib/format/share";
import { reasonLabel } from "@/lib/metric/labels";
import { formatDelta, formatHours } from "@/lib/format/hours";
import { targetOutcome, targetText, type ReportModel } from "@/lib/export/report-model";
import styles from "../reports.module.css";
import { ReportChartSvg } from "./report-chart-svg";

function BreakdownCard({ title, b, unit }: { title: string; b: Breakdown; unit: string }) {
  return (
    <div>
      <h3>{title}</h3>
      {b.rows.length === 0 ? (
        <p className="muted small">No counted impact.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{unit}</th>
                <th scope="col" className="num">Hours</th>
                <th scope="col" className="num">Incidents</th>
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r) => (
                <tr key={r.key}>
                  <td>{r.key}</td>
                  <td className="num">{formatHours(r.hours)}</td>
                  <td className="num">{r.incidents}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {b.note ? <p className="small muted">{b.note}</p> : null}
    </div>
  );
}

/** The report's sections, rendered from a ReportModel (live or published: same markup). */
export function ReportBody({ model, live, afterChart }: { model: ReportModel; live: boolean; afterChart?: ReactNode }) {
  const f = model.figure;
  const outcome = targetOutcome(model);
  const prevPct = model.previous ? formatPercentChange(f.hours, model.previous.hours) : null;
  const peakPct = model.peak ? formatPercentChange(f.hours, model.peak.hours) : null;
  const c = model.completeness;
  const ns = model.northStar;
  return (
    <>
      <section className={`grid grid--4 ${styles.stats} ${styles.section}`} aria-label="Headline figures">
        <div className="card stat">
          <span className="stat__label">Hours of customer impact</span>
          <span className="stat__value" data-testid="report-hours">
            {formatHours(f.hours)}
          </span>
          <span className="stat__sub">
            {f.countedIncidents} counted incident{f.countedIncidents === 1 ? "" : "s"}
            {f.upperBoundHours > f.hours + 1e-9 ? `; up to ${formatHours(f.upperBoundHours)} with untriaged` : ""}
          </span>
        </div>
        <div className="card stat">
          <span className="stat__label">Target</span>
          <span className="stat__value">{formatHours(f.target)}</span>
          <span className={`stat__sub ${outcome === "met" ? styles.met : outcome === "missed" ? styles.missed : ""}`}>{targetText(model, formatHours)}</span>
        </div>
        <div className="card stat">
          <span className="stat__label">{model.previous ? `Against ${model.previous.quarter}` : "Against the previous quarter"}</span>
          <span className="stat__value">{model.previous ? formatDelta(f.hours - model.previous.hours) : "—"}</span>
          <span className="stat__sub">{model.previous ? `${formatHours(model.previous.hours)}${prevPct ? ` (${prevPct})` : ""}` : "No earlier quarter"}</span>
        </div>
        <div className="card stat">
          <span className="stat__label">{model.peak ? `Against the peak, ${model.peak.quarter}` : "Against the peak"}</span>
          <span className="stat__value">{peakPct ?? "—"}</span>
          <span className="stat__sub">{model.peak ? (model.peak.quarter === model.quarter ? "This quarter is the peak so far" : formatHours(model.peak.hours)) : "—"}</span>
        </div>
      </section>

      {f.provisionalMessages.length ? (
        <div className="alert alert--warning" role="note">
          <strong>Provisional.</strong> {f.provisionalMessages.join(" ")}
        </div>
      ) : null}

      <section className={`card ${styles.section}`} aria-labelledby="chart-h">
        <div className="card__header">
          <h2 id="chart-h">Quarterly hours</h2>
          <ExportButton href="/api/export/quarters" params={{ to: model.quarter }} what="quarterly figures" />
        </div>
        <ReportChartSvg series={model.series} quarter={model.quarter} />
      </section>

      {afterChart}

      <section className={`card ${styles.section}`} aria-labelledby="top-h">
        <div className="card__header">
          <h2 id="top-h">Top contributing incidents</h2>
          <ExportButton href="/api/export/incidents" params={{ quarter: model.quarter, counted: "yes" }} what={`counted incidents in ${model.quarter}`} />
        </div>
        {model.topIncidents.length === 0 ? (
          <p className="muted">No incident counts towards {model.quarter}.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="top-incidents">
              <thead>
                <tr>
                  <th scope="col">Incident</th>
                  <th scope="col">Title</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Why it counts</th>
                  <th scope="col" className="num">Hours</th>
                  <th scope="col" className="num">Share</th>
                </tr>
              </thead>
              <tbody>
                {model.topIncidents.map((i) => (
                  <tr key={i.id}>
                    <td className="nowrap">
                      <Link href={`/incidents/${i.id}`}>{i.sourceId}</Link>
                    </td>
                    <td>
                      {i.title} {i.reviewed ? null : <span className="badge badge--warning">tags unreviewed</span>}
                    </td>
                    <td>{i.severity}</td>
                    <td className="small">{reasonLabel(i.reason)}</td>
                    <td className="num">{formatHours(i.hours)}</td>
                    <td className="num">{formatShare(i.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="small muted">
          {f.countedIncidents} counted incident{f.countedIncidents === 1 ? "" : "s"} in all
          {live ? (
            <>
              {" "}
              · <Link href={`/incidents?quarter=${model.quarter}&counted=yes`}>see them all</Link>
            </>
          ) : null}
          .
        </p>
      </section>

      <section className={`card ${styles.section}`} aria-labelledby="src-h">
        <div className="card__header">
          <h2 id="src-h">Where the impact came from</h2>
        </div>
        <div className={styles.breakdowns}>
          <BreakdownCard title="By service" unit="Service" b={model.breakdowns.service} />
          <BreakdownCard title="By deploy system" unit="Deploy system" b={model.breakdowns.deploySystem} />
          <BreakdownCard title="By change type" unit="Change type" b={model.breakdowns.changeType} />
        </div>
      </section>

      {model.changes ? <ReportChangesCard changes={model.changes} /> : null}

      <div className={`grid grid--2 ${styles.section}`} style={{ marginTop: "1rem" }}>
        <section className="card" aria-labelledby="ns-h">
          <h2 id="ns-h">North Star</h2>
          <dl className="small">
            <dt>
              <strong>Fast remediation</strong>: counted incidents remediated within 10 min (automatic) or 20 min (manual)
            </dt>
            <dd>
              {formatShare(ns.fastRemediation.share)} ({ns.fastRemediation.numerator} of {ns.fastRemediation.denominator}; {ns.fastRemediation.noData} without data)
            </dd>
            <dt>
              <strong>Early detection</strong>: detected before 10% of the fleet was exposed
            </dt>
            <dd>
              {formatShare(ns.earlyDetection.share)} ({ns.earlyDetection.numerator} of {ns.earlyDetection.denominator}; {ns.earlyDetection.noData} without data)
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="dq-h">
          <h2 id="dq-h">Data completeness</h2>
          <p className="small">
            Triage: <strong>{formatShare(c.share)}</strong> of {c.candidates} candidate incident{c.candidates === 1 ? "" : "s"} triaged ({c.untriaged} untriaged
            {live && c.untriaged ? (
              <>
                {" "}
                · <Link href={`/incidents?quarter=${model.quarter}&trigger=unknown`}>triage them</Link>
              </>
            ) : null}
            ).
          </p>
          <p className="small">
            Unreviewed tags: <strong>{c.unreviewedCounted}</strong> of {f.countedIncidents} counted incident{f.countedIncidents === 1 ? "" : "s"}.
          </p>
          {c.unreviewed.length ? (
            <details className="small">
              <summary>Counted incidents with unreviewed tags</summary>
              <ul>
                {c.unreviewed.map((u) => (
                  <li key={u.id}>
                    <Link href={`/incidents/${u.id}`}>{u.sourceId}</Link> {u.title}
                  </li>
                ))}
              </ul>
              {c.unreviewedCounted > c.unreviewed.length ? <p>and {c.unreviewedCounted - c.unreviewed.length} more</p> : null}
            </details>
          ) : null}
        </section>
      </div>

      <section className={`card ${styles.section}`} style={{ marginTop: "1rem" }} aria-labelledby="proj-h">
        <div className="card__header">
          <h2 id="proj-h">Projects</h2>
          {live ? <Link href="/projects">All projects</Link> : null}
        </div>
        {model.projects.length === 0 ? (
          <p className="muted">No reliability projects recorded yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Status</th>
                  <th scope="col">Delivered</th>
                  <th scope="col">Phase in {model.quarter}</th>
                </tr>
              </thead>
              <tbody>
                {model.projects.map((p) => (
                  <tr key={p.slug}>
                    <td>{p.name}</td>
                    <td>
                      <span className={`badge ${p.status === "delivered" ? "badge--success" : p.status === "curtailed" ? "badge--neutral" : "badge--info"}`}>{p.status.replace("_", " ")}</span>
                    </td>
                    <td>{p.deliveredOn ?? "—"}</td>
                    <td>
                      {p.phase ?? "—"}
                      {p.detail ? <div className="small muted">{p.detail}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <p className={`small muted ${styles.footnote}`} data-testid="policy-version">
        Computed with counting policy version {model.policy.versionId}
        {model.policy.note ? ` (“${model.policy.note}”)` : ""}, overlap mode “{model.policy.overlap}”, as of {formatLocalDate(model.asOf, model.timezone)}. Hours are the
        customer-impact windows of counted change-triggered incidents clipped to the quarter. Breakdowns count a multi-service incident under each of its services.
      </p>
    </>
  );
}
