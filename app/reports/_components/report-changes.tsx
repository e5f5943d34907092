import { formatRate, formatRecovery } from "@/lib/format/dora";
import { formatShare } from "@/lib/format/share";
import type { ReportChanges } from "@/lib/export/report-model";
import styles from "../reports.module.css";

/** The quarter's change figures (DORA) in the report, with the services whose changes failed most. */
export function ReportChangesCard({ changes: c }: { changes: ReportChanges }) {
  const none = c.deployments + c.remediationDeploys === 0;
  return (
    <section className={`card ${styles.section}`} style={{ marginTop: "1rem" }} aria-labelledby="changes-h" data-testid="report-changes">
      <div className="card__header">
        <h2 id="changes-h">Changes</h2>
        <span className="muted small">
          {c.causeCoverage.counted
            ? `${formatShare(c.causeCoverage.share)} of ${c.causeCoverage.counted} counted incidents have a confirmed causing deploy`
            : "No counted incident"}
        </span>
      </div>
      {none ? (
        <p className="muted small">No deploy data for this quarter: the change figures need deploy events.</p>
      ) : (
        <>
          <dl className="grid grid--4 small">
            <div>
              <dt>Deployments</dt>
              <dd className="stat__value">{c.deployments}</dd>
            </div>
            <div>
              <dt>Change fail rate</dt>
              <dd className="stat__value">{formatRate(c.changeFailRate)}</dd>
              <dd className="muted">{c.failedDeployments} failed</dd>
            </div>
            <div>
              <dt>Recovery (median / p90)</dt>
              <dd className="stat__value">{formatRecovery(c.recoveryMedianHours)}</dd>
              <dd className="muted">
                p90 {formatRecovery(c.recoveryP90Hours)}
                {c.unrecovered ? `; ${c.unrecovered} not recovered` : ""}
              </dd>
            </div>
            <div>
              <dt>Rework rate</dt>
              <dd className="stat__value">{formatRate(c.reworkRate)}</dd>
              <dd className="muted">{c.remediationDeploys} rollbacks and fixes</dd>
            </div>
          </dl>
          {c.worstServices.length ? (
            <p className="small">
              Highest change fail rate:{" "}
              {c.worstServices.map((w) => `${w.service} ${formatRate(w.changeFailRate)} (${w.failedDeployments} of ${w.deployments})`).join(" · ")}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
