import Link from "next/link";
import type { IncidentSummary } from "@/db/queries/dashboard-reads";
import { type DrillDown, type DrillDownRow } from "@/lib/charts/drilldown";
import { HOLD_LABELS } from "@/lib/metric/labels";
import { formatHours } from "@/lib/format/hours";
import styles from "./dashboard.module.css";

const MAX_ROWS = 300;

function Rows({ rows, summaries, testId }: { rows: DrillDownRow[]; summaries: Map<string, IncidentSummary>; testId: string }) {
  const shown = rows.slice(0, MAX_ROWS);
  const rest = rows.slice(MAX_ROWS);
  const restHours = rest.reduce((s, r) => s + r.hours, 0);
  return (
    <tbody data-testid={testId}>
      {shown.map((r) => {
        const s = summaries.get(r.id);
        return (
          <tr key={r.id} data-incident={r.id} data-holds={r.holds.join(" ") || undefined}>
            <td className="nowrap">
              <Link href={`/incidents/${r.id}`}>{s ? s.sourceId : `#${r.id}`}</Link>
            </td>
            <td>{s?.title ?? "—"}</td>
            <td className="nowrap">{s?.severity ?? "—"}</td>
            <td>
              {r.reasonLabel}
              {r.holds.length ? (
                <div>
                  <span className="badge badge--warning" data-testid="holds-provisional" title="This incident keeps the quarter provisional">
                    holds provisional: {r.holds.map((h) => HOLD_LABELS[h]).join(", ")}
                  </span>
                </div>
              ) : null}
            </td>
            <td className="num nowrap">
              {formatHours(r.durationHours)}
              {r.ongoing ? " (ongoing)" : ""}
            </td>
            <td className="num nowrap" data-hours={r.hours}>
              {formatHours(r.hours)}
            </td>
          </tr>
        );
      })}
      {rest.length ? (
        <tr>
          <td colSpan={5} className="muted">
            …and {rest.length} more incidents (largest first above).
          </td>
          <td className="num" data-hours={restHours}>
            {formatHours(restHours)}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

function Head() {
  return (
    <thead>
      <tr>
        <th scope="col">Incident</th>
        <th scope="col">Title</th>
        <th scope="col">Severity</th>
        <th scope="col">Why</th>
        <th scope="col" className="num">
          Impact window
        </th>
        <th scope="col" className="num">
          Hours in quarter
        </th>
      </tr>
    </thead>
  );
}

/** The incidents behind one quarter's bar; contributions add up to the bar in sum mode. */
export function DrillDownPanel({
  drill,
  barHours,
  summaries,
  union,
  closeHref,
}: {
  drill: DrillDown;
  barHours: number;
  summaries: Map<string, IncidentSummary>;
  union: boolean;
  closeHref: string;
}) {
  return (
    <section id="drilldown" className={`card ${styles.drill} ${styles.section}`} aria-labelledby="drill-title" data-testid="drilldown" tabIndex={-1}>
      <div className="card__header">
        <div>
          <h2 id="drill-title">Incidents behind {drill.quarter}</h2>
          <p className="muted small" style={{ margin: 0 }}>
            {drill.counted.length} counted incident{drill.counted.length === 1 ? "" : "s"} contributing{" "}
            <strong data-testid="drill-total" data-hours={drill.totalHours}>
              {formatHours(drill.totalHours)}
            </strong>{" "}
            {union
              ? `(overlap mode is union: shared hours count once in the bar, ${formatHours(barHours)}, but appear in each incident here).`
              : `= the bar (${formatHours(barHours)}). An incident spanning quarters adds only its hours inside this one.`}
          </p>
        </div>
        <Link href={closeHref} scroll={false} className="button button--small">
          Close
        </Link>
      </div>
      {drill.finality ? (
        <p className={`small ${drill.finality.status === "provisional" ? "alert alert--warning" : "muted"}`} data-testid="drill-finality" data-status={drill.finality.status}>
          {drill.finality.text} <Link href="/settings/general">Maturity setting</Link>
        </p>
      ) : null}
      {drill.counted.length === 0 ? (
        <p className="muted">No incident counts in {drill.quarter}.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="drill-table">
            <Head />
            <Rows rows={drill.counted} summaries={summaries} testId="drill-rows" />
            <tfoot>
              <tr>
                <td colSpan={5}>Total</td>
                <td className="num">{formatHours(drill.totalHours)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {drill.pending.length ? (
        <details style={{ marginTop: "1rem" }}>
          <summary>
            {drill.pending.length} untriaged incident{drill.pending.length === 1 ? "" : "s"} would add up to {formatHours(drill.pendingHours)} if
            change-triggered (the hatched band)
          </summary>
          <div className="table-wrap">
            <table className="table">
              <Head />
              <Rows rows={drill.pending} summaries={summaries} testId="drill-pending" />
            </table>
          </div>
          <p className="small">
            <Link href="/incidents/triage">Triage them in the queue</Link>
          </p>
        </details>
      ) : null}
    </section>
  );
}
