import Link from "next/link";
import type { IncidentSummary } from "@/db/queries/dashboard-reads";
import { formatRecovery } from "@/lib/format/dora";
import { formatInstant } from "@/lib/incidents/format";
import type { DoraDeploy } from "@/lib/metric/dora";
import type { ChangeDrillDown } from "@/server/dora";

function name(d: DoraDeploy): string {
  return `${d.service}${d.system ? ` via ${d.system}` : ""}`;
}

/** The deploys behind one quarter's figures: each failed deployment and why, then its rollbacks and fixes. */
export function FailedDeploysTable({ drill, summaries, timezone, closeHref }: { drill: ChangeDrillDown; summaries: Map<string, IncidentSummary>; timezone: string; closeHref: string }) {
  return (
    <section className="card" aria-labelledby="drill-title" data-testid="dora-drilldown">
      <div className="card__header">
        <h2 id="drill-title">{drill.quarter}: failed deployments</h2>
        <Link href={closeHref} className="small">
          Close
        </Link>
      </div>
      {drill.failed.length === 0 ? (
        <p className="muted small">No deployment failed in {drill.quarter}: none caused a counted incident and none was rolled back.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Deploy</th>
                <th scope="col">Finished</th>
                <th scope="col">Why it failed</th>
                <th scope="col">Recovery</th>
              </tr>
            </thead>
            <tbody>
              {drill.failed.map((f) => (
                <tr key={f.deploy.id}>
                  <td>
                    <strong>{name(f.deploy)}</strong> <span className="muted small mono">#{f.deploy.id}</span>
                  </td>
                  <td>{formatInstant(f.deploy.finishedAt, timezone)}</td>
                  <td>
                    <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
                      {f.causedIncidentIds.map((id) => {
                        const s = summaries.get(id);
                        return (
                          <li key={id}>
                            Caused <Link href={`/incidents/${id}`}>{s ? `${s.sourceId} — ${s.title}` : `incident ${id}`}</Link>
                          </li>
                        );
                      })}
                      {f.rolledBackBy ? <li>Rolled back {formatInstant(f.rolledBackBy.finishedAt, timezone)}</li> : null}
                    </ul>
                  </td>
                  <td>{f.recoveryHours == null ? <span className="badge badge--warning">Not recovered yet</span> : formatRecovery(f.recoveryHours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        {drill.remediationTotal} rollback{drill.remediationTotal === 1 ? "" : "s"} and fixes in {drill.quarter}
        {drill.remediations.length
          ? `: ${drill.remediations
              .slice(0, 8)
              .map((d) => `${d.service} ${formatInstant(d.finishedAt, timezone)}`)
              .join("; ")}${drill.remediationTotal > 8 ? "; …" : ""}`
          : ""}
        .
      </p>
    </section>
  );
}
