import type { Metadata } from "next";
import Link from "next/link";
import { ExportButton } from "@/app/_components/export-button";
import { getDb } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { listReportQuarters } from "@/server/reports";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { formatLastDay, formatLocalDate } from "@/lib/export/format";
import { statusLabel } from "@/lib/metric/labels";
import { formatHours } from "@/lib/format/hours";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Reports" };

const STATUS_BADGE: Record<string, string> = { final: "badge--success", provisional: "badge--warning", in_progress: "badge--info", future: "badge--neutral" };

export default async function ReportsPage() {
  const actor = await requirePageRole("viewer");
  const db = getDb();
  const tz = getSettings(db).timezone;
  const rows = listReportQuarters(db);
  const empty = rows.every((r) => r.countedIncidents === 0 && r.upperBoundHours === 0 && r.published.length === 0);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Reports</h1>
          <p className="muted">One report per fiscal quarter: the figure against its target, what drove it, and the program lead&apos;s notes. Publishing freezes a report at a permanent link.</p>
        </div>
        <ExportButton href="/api/export/quarters" what="quarterly figures" />
      </div>
      {empty ? (
        <div className="card empty-state">
          <h2>No incidents yet</h2>
          <p>Reports are built from imported incidents. Import your incident history, tag which incidents were change-triggered, then come back for the quarter&apos;s report.</p>
          <div className="row">
            {can(actor.role, "import") ? (
              <Link className="button button--primary" href="/import">
                Import incidents
              </Link>
            ) : null}
            {rows[0] ? (
              <Link className="button" href={`/reports/${rows[0].quarter}`}>
                Open {rows[0].quarter} anyway
              </Link>
            ) : null}
          </div>
        </div>
      ) : (
        <div className="card">
          <div className="table-wrap">
            <table className="table" data-testid="reports-table">
              <caption>Newest first. Hours are live figures; a published report keeps the figure it was published with.</caption>
              <thead>
                <tr>
                  <th scope="col">Quarter</th>
                  <th scope="col">Period</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Hours</th>
                  <th scope="col" className="num">Target</th>
                  <th scope="col">Against target</th>
                  <th scope="col" className="num">Counted</th>
                  <th scope="col">Published</th>
                  <th scope="col">
                    <span className="sr-only">Links</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const latest = r.published.at(-1);
                  const met = r.target == null ? null : r.hours <= r.target;
                  return (
                    <tr key={r.quarter}>
                      <td>
                        <Link href={`/reports/${r.quarter}`} className="nowrap" style={{ fontWeight: 600 }}>
                          {r.quarter}
                        </Link>
                      </td>
                      <td className="nowrap small">
                        {formatLocalDate(r.start, tz)} – {formatLastDay(r.end, tz)}
                      </td>
                      <td>
                        <span className={`badge ${STATUS_BADGE[r.status] ?? "badge--neutral"}`}>{statusLabel(r.status)}</span>
                      </td>
                      <td className="num">
                        {formatHours(r.hours)}
                        {r.upperBoundHours > r.hours + 1e-9 ? <div className="small muted">up to {formatHours(r.upperBoundHours)}</div> : null}
                      </td>
                      <td className="num">{formatHours(r.target)}</td>
                      <td>
                        {met == null ? (
                          <span className="muted">No target</span>
                        ) : r.status === "in_progress" ? (
                          <span className={`badge ${met ? "badge--neutral" : "badge--danger"}`}>{met ? "Within so far" : "Already over"}</span>
                        ) : met ? (
                          <span className="badge badge--success">Met</span>
                        ) : (
                          <span className="badge badge--danger">Missed</span>
                        )}
                      </td>
                      <td className="num">{r.countedIncidents}</td>
                      <td>
                        {latest ? (
                          <>
                            <Link href={`/reports/${r.quarter}?version=${latest.version}`}>v{latest.version}</Link>{" "}
                            <span className="small muted">
                              {formatLocalDate(new Date(latest.publishedAt).toISOString(), tz)}, {formatHours(latest.hours)}
                            </span>
                          </>
                        ) : (
                          <span className="muted">Not published</span>
                        )}
                      </td>
                      <td className="nowrap">
                        <a href={`/api/reports/${r.quarter}.pdf`} className="small" download aria-label={`${r.quarter} report as PDF`}>
                          PDF
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
