import { formatHours } from "@/lib/format/hours";
import { STATUS_LABELS } from "@/lib/metric/labels";
import type { ChangeRow, Verdict } from "@/lib/governance/change-preview";
import styles from "./change-preview.module.css";

const verdictText = (v: Verdict) => (v == null ? "no target" : v);

/** Quarters a change restates, before → after, with verdict flips and the closed or published reports it touches. */
export function ChangePreview({ rows, caption }: { rows: ChangeRow[]; caption: string }) {
  if (rows.length === 0) return <p className="small muted" data-testid="change-preview-empty">No quarter&apos;s figure or verdict changes.</p>;
  const flips = rows.filter((r) => r.flips).length;
  const reports = rows.filter((r) => r.closed).length;
  return (
    <div className="table-wrap" data-testid="change-preview">
      <table className="table">
        <caption>
          {caption} {rows.length} quarter{rows.length === 1 ? "" : "s"} change{rows.length === 1 ? "s" : ""}
          {flips ? `; ${flips} verdict${flips === 1 ? "" : "s"} flip` : ""}
          {reports ? `; ${reports} closed or published report${reports === 1 ? "" : "s"} will read differently from today's figures` : ""}.
        </caption>
        <thead>
          <tr>
            <th scope="col">Quarter</th>
            <th scope="col" className="num">
              Hours
            </th>
            <th scope="col" className="num">
              Target
            </th>
            <th scope="col">Verdict</th>
            <th scope="col">Report</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.quarter} data-quarter={r.quarter} data-flips={r.flips || undefined} className={r.flips ? styles.flip : undefined}>
              <th scope="row">
                {r.quarter} <span className="small muted">{STATUS_LABELS[r.status].toLowerCase()}</span>
              </th>
              <td className="num nowrap">
                {Math.abs(r.hoursAfter - r.hoursBefore) < 0.005 ? formatHours(r.hoursBefore) : `${formatHours(r.hoursBefore)} → ${formatHours(r.hoursAfter)}`}
              </td>
              <td className="num nowrap">{r.targetBefore === r.targetAfter ? formatHours(r.targetBefore) : `${formatHours(r.targetBefore)} → ${formatHours(r.targetAfter)}`}</td>
              <td className="nowrap" data-testid="verdict-change">
                {r.flips ? (
                  <strong>
                    {verdictText(r.verdictBefore)} → {verdictText(r.verdictAfter)}
                  </strong>
                ) : (
                  verdictText(r.verdictAfter)
                )}
              </td>
              <td className="small">
                {r.closed ? (
                  <>
                    {r.closed.publishedVersions ? `published (${r.closed.publishedVersions} version${r.closed.publishedVersions === 1 ? "" : "s"})` : "closed"} at{" "}
                    {formatHours(r.closed.reportedHours)}
                    {r.closed.reportedTarget != null ? ` against ${formatHours(r.closed.reportedTarget)}` : ""}: stays frozen, shown as restated
                  </>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
