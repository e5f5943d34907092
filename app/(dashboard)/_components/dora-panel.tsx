import Link from "next/link";
import { getDb } from "@/db/client";
import { formatRate, formatRecovery } from "@/lib/format/dora";
import { formatShare } from "@/lib/format/share";
import { computeDoraCached } from "@/server/dora";

/**
 * The change figures beside the impact hours: the period's last quarter (so far, when it
 * is the current one) and the trend of its change fail rate, linking to the Changes page.
 */
export async function DoraPanel({ from, to, filter }: { from: string; to: string; filter?: { services: string[]; deploySystems: string[] } }) {
  const report = computeDoraCached(getDb(), { from, to }, undefined, filter);
  const filtered = !!filter && filter.services.length + filter.deploySystems.length > 0;
  const latest = report.quarters.at(-1)!;
  const recent = report.quarters.slice(-6);
  const href = `/changes?${new URLSearchParams({ from, to })}`;
  return (
    <section className="card" aria-labelledby="dora-panel-title" data-testid="dora-panel">
      <div className="card__header">
        <h2 id="dora-panel-title">
          Changes, {latest.quarter}
          {filtered ? <span className="badge badge--info" style={{ marginLeft: "0.5rem" }}>Filtered</span> : null}
        </h2>
        <Link href={href} className="small">
          All change figures →
        </Link>
      </div>
      <div className="grid grid--4">
        <div className="stat">
          <span className="stat__label">Change fail rate</span>
          <span className="stat__value" data-testid="dora-cfr">
            {formatRate(latest.changeFailRate)}
          </span>
          <span className="stat__sub">
            {latest.failedDeployments} of {latest.deployments} deployments
          </span>
        </div>
        <div className="stat">
          <span className="stat__label">Recovery (median)</span>
          <span className="stat__value">{formatRecovery(latest.recoveryMedianHours)}</span>
          <span className="stat__sub">p90 {formatRecovery(latest.recoveryP90Hours)}</span>
        </div>
        <div className="stat">
          <span className="stat__label">Rework rate</span>
          <span className="stat__value">{formatRate(latest.reworkRate)}</span>
          <span className="stat__sub">{latest.remediationDeploys} rollbacks and fixes</span>
        </div>
        <div className="stat">
          <span className="stat__label">Cause confirmed</span>
          <span className="stat__value">{latest.causeCoverage.counted ? formatShare(latest.causeCoverage.share) : "—"}</span>
          <span className="stat__sub">of {latest.causeCoverage.counted} counted incidents</span>
        </div>
      </div>
      <p className="small muted" style={{ marginTop: "0.75rem" }} data-testid="dora-trend-line">
        Change fail rate by quarter: {recent.map((q) => `${q.quarter} ${formatRate(q.changeFailRate)}`).join(" · ")}
      </p>
    </section>
  );
}
