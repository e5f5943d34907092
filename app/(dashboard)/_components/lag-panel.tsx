import Link from "next/link";
import { ChartFrame } from "@/app/_components/charts/chart-frame";
import { LagTrendChart, type LagTrendPoint } from "@/app/_components/charts/lag-trend-chart";
import { formatHours } from "@/lib/format/hours";
import type { LagMarker } from "@/lib/charts/lag";
import styles from "./dashboard.module.css";

/** Quarterly trend with project deliveries and their lag windows, plus the numbered project list. */
export function LagPanel({ points, markers }: { points: LagTrendPoint[]; markers: LagMarker[] }) {
  const list = markers.length ? (
    <ol className={styles.projectList} data-testid="lag-projects">
      {markers.map((m) => (
        <li key={m.slug}>
          <Link href={`/projects/${m.slug}`}>{m.name}</Link>
          {m.status === "curtailed" ? <span className="badge badge--neutral"> curtailed</span> : null}: delivered {m.deliveredOn}; effect
          expected {m.lagStartDate} to {m.lagEndDate}
          {m.lagFrom ? ` (${m.lagFrom === m.lagTo ? m.lagFrom : `${m.lagFrom}–${m.lagTo}`})` : ""}.
        </li>
      ))}
    </ol>
  ) : (
    <p className="small muted" style={{ marginTop: "0.5rem" }}>
      No project has been delivered yet. Record deliveries under <Link href="/projects">Projects</Link> to see their lag windows here.
    </p>
  );
  const table = (
    <table className="table" data-testid="lag-table">
      <caption>Quarterly hours and the deliveries whose lag window covers each quarter.</caption>
      <thead>
        <tr>
          <th scope="col">Quarter</th>
          <th scope="col" className="num">
            Hours
          </th>
          <th scope="col" className="num">
            Target
          </th>
          <th scope="col">Delivered</th>
          <th scope="col">In lag window</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p, i) => {
          const inWindow = markers.filter((m) => m.lagStartPos != null && m.lagEndPos != null && m.lagStartPos < i + 0.5 && m.lagEndPos > i - 0.5);
          const delivered = markers.filter((m) => m.deliveryQuarter === p.quarter);
          return (
            <tr key={p.quarter}>
              <th scope="row">{p.quarter}</th>
              <td className="num">{formatHours(p.hours)}</td>
              <td className="num">{p.target == null ? "—" : formatHours(p.target)}</td>
              <td>{delivered.map((m) => m.name).join(", ") || "—"}</td>
              <td>{inWindow.map((m) => m.name).join(", ") || "—"}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="lag-trend"
      title="Trend with project deliveries"
      description="A project's effect shows up months after delivery (its lag window, shaded). A flat quarter inside the window is not yet a failure."
      chart={<LagTrendChart points={points} markers={markers} />}
      table={table}
      footer={list}
    />
  );
}
