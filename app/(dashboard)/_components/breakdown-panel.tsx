"use client";

import { useState } from "react";
import { ChartFrame } from "@/app/_components/charts/chart-frame";
import { RankingChart } from "@/app/_components/charts/ranking-chart";
import { StackedBreakdownChart } from "@/app/_components/charts/stacked-breakdown-chart";
import {
  BREAKDOWN_DIMENSIONS,
  DIMENSION_LABELS,
  RANKING_PERIODS,
  RANKING_PERIOD_LABELS,
  type BreakdownDimension,
  type RankingPeriod,
  type RankingRow,
  type StackedBreakdownData,
} from "@/lib/charts/breakdown";
import { formatHours } from "@/lib/format/hours";
import styles from "./dashboard.module.css";
import { replaceParam } from "./url-state";

function DimensionSwitch({ value, onChange, label }: { value: BreakdownDimension; onChange: (d: BreakdownDimension) => void; label: string }) {
  return (
    <div className={styles.dimSwitch} role="group" aria-label={label}>
      {BREAKDOWN_DIMENSIONS.map((d) => (
        <button key={d} type="button" aria-pressed={value === d} onClick={() => onChange(d)}>
          {DIMENSION_LABELS[d]}
        </button>
      ))}
    </div>
  );
}

/** Stacked breakdown per quarter, switchable by dimension; the choice is kept in the URL (`dim`). */
export function BreakdownPanel({ data, initial }: { data: Record<BreakdownDimension, StackedBreakdownData>; initial: BreakdownDimension }) {
  const [dim, setDim] = useState(initial);
  const current = data[dim];
  const change = (d: BreakdownDimension) => {
    setDim(d);
    replaceParam("dim", d, "service");
  };
  const table = (
    <table className="table" data-testid="breakdown-table">
      <caption>Hours per quarter by {DIMENSION_LABELS[dim].toLowerCase()}.</caption>
      <thead>
        <tr>
          <th scope="col">Quarter</th>
          {current.series.map((s) => (
            <th key={s.key} scope="col" className="num">
              {s.label}
            </th>
          ))}
          <th scope="col" className="num">
            Quarter total
          </th>
        </tr>
      </thead>
      <tbody>
        {current.rows.map((r) => (
          <tr key={r.quarter}>
            <th scope="row">{r.quarter}</th>
            {current.series.map((s) => (
              <td key={s.key} className="num">
                {formatHours(r[s.key] as number, false)}
              </td>
            ))}
            <td className="num">{formatHours(r.total, false)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="breakdown"
      title="Breakdown"
      description={`Counted hours per quarter by ${DIMENSION_LABELS[dim].toLowerCase()}; the dashed line is the quarter's total.`}
      actions={<DimensionSwitch value={dim} onChange={change} label="Break down by" />}
      chart={current.rows.length ? <StackedBreakdownChart data={current} label={`Hours by ${DIMENSION_LABELS[dim]}`} /> : <p className="muted">Nothing counted yet.</p>}
      table={table}
      footer={current.partsMayExceedTotal && current.note ? <p className="small muted" style={{ marginTop: "0.5rem" }} data-testid="breakdown-note">{current.note}</p> : null}
    />
  );
}

export type RankingTables = Record<BreakdownDimension, Record<RankingPeriod, { rows: RankingRow[]; totalHours: number; quarters: string[] }>>;

/** The largest sources over a chosen period (`period` and `rank` in the URL). */
export function RankingPanel({ data, initialPeriod, initialDim }: { data: RankingTables; initialPeriod: RankingPeriod; initialDim: BreakdownDimension }) {
  const [period, setPeriod] = useState(initialPeriod);
  const [dim, setDim] = useState(initialDim);
  const current = data[dim][period];
  const table = (
    <table className="table" data-testid="ranking-table">
      <caption>
        Largest sources by {DIMENSION_LABELS[dim].toLowerCase()}, {RANKING_PERIOD_LABELS[period].toLowerCase()}
        {current.quarters.length ? ` (${current.quarters[0]}${current.quarters.length > 1 ? `–${current.quarters.at(-1)}` : ""})` : ""}.
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{DIMENSION_LABELS[dim]}</th>
          <th scope="col" className="num">
            Hours
          </th>
          <th scope="col" className="num">
            Share
          </th>
          <th scope="col" className="num">
            Incidents
          </th>
        </tr>
      </thead>
      <tbody>
        {current.rows.map((r, i) => (
          <tr key={r.key}>
            <td>{i + 1}</td>
            <th scope="row">{r.key}</th>
            <td className="num">{formatHours(r.hours)}</td>
            <td className="num">{Math.round(r.share * 100)}%</td>
            <td className="num">{r.incidents}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="ranking"
      title="Largest sources"
      description={`${formatHours(current.totalHours)} counted in the period.${dim === "service" ? " Multi-service incidents count for each service." : ""}`}
      actions={
        <>
          <label className="sr-only" htmlFor="rank-dim">
            Rank by
          </label>
          <select
            id="rank-dim"
            value={dim}
            onChange={(e) => {
              setDim(e.target.value as BreakdownDimension);
              replaceParam("rank", e.target.value, "service");
            }}
          >
            {BREAKDOWN_DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                by {DIMENSION_LABELS[d].toLowerCase()}
              </option>
            ))}
          </select>
          <label className="sr-only" htmlFor="rank-period">
            Period
          </label>
          <select
            id="rank-period"
            value={period}
            onChange={(e) => {
              setPeriod(e.target.value as RankingPeriod);
              replaceParam("period", e.target.value, "last4");
            }}
          >
            {RANKING_PERIODS.map((p) => (
              <option key={p} value={p}>
                {RANKING_PERIOD_LABELS[p]}
              </option>
            ))}
          </select>
        </>
      }
      chart={current.rows.length ? <RankingChart rows={current.rows} /> : <p className="muted">Nothing counted in this period.</p>}
      table={table}
    />
  );
}
