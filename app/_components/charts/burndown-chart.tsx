"use client";

/**
 * The current quarter's budget burn-down: cumulative hours so far, the target spent
 * evenly over the quarter, and a run-rate forecast to quarter end. Render-only; feed
 * it `toBurnDown()` from lib/charts/burndown.
 */
import { CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { BurnDown } from "@/lib/charts/burndown";
import { formatHours } from "@/lib/format/hours";
import { CHART_COLOURS } from "@/lib/charts/palette";
import { maxOf, niceScale } from "@/lib/charts/ticks";
import { Swatch } from "./chart-patterns";
import styles from "./charts.module.css";

export interface BurnDownChartProps {
  data: BurnDown;
  /** IANA zone for the date axis. */
  timezone: string;
  height?: number;
}

export function BurnDownChart({ data, timezone, height = 130 }: BurnDownChartProps) {
  const fmt = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: timezone });
  const span = data.endMs - data.startMs;
  const ticks = [0, 1, 2].map((k) => data.startMs + (span * k) / 3);
  const y = niceScale(maxOf([data.target, ...data.points.flatMap((p) => [p.actual, p.budget, p.forecast])]), 3);
  return (
    <div data-testid="burndown-chart">
      <div style={{ width: "100%", height }}>
        <ComposedChart responsive style={{ width: "100%", height }} data={data.points} margin={{ top: 6, right: 8, bottom: 0, left: 0 }} accessibilityLayer title={`${data.quarter} hours so far against the target`}>
          <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
          <XAxis dataKey="t" type="number" domain={[data.startMs, data.endMs]} scale="time" ticks={ticks} tickFormatter={(t: number) => fmt.format(t)} tick={{ fontSize: 11, fill: CHART_COLOURS.axis }} />
          <YAxis domain={[0, y.max]} ticks={y.ticks} interval={0} tick={{ fontSize: 11, fill: CHART_COLOURS.axis }} width={40} />
          <Tooltip labelFormatter={(t) => fmt.format(Number(t))} formatter={(v) => formatHours(Number(v))} isAnimationActive={false} />
          {data.target != null ? <ReferenceLine y={data.target} stroke={CHART_COLOURS.target} strokeWidth={2} /> : null}
          <Line dataKey="budget" name="Even spend of target" stroke={CHART_COLOURS.budget} strokeDasharray="4 3" dot={false} isAnimationActive={false} />
          <Line dataKey="forecast" name="Forecast" stroke={CHART_COLOURS.forecast} strokeDasharray="4 3" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="actual" name="Hours so far" stroke={CHART_COLOURS.final} strokeWidth={2.5} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </div>
      <ul className={`legend small ${styles.legendList}`} aria-label="Legend">
        <li>
          <Swatch kind="final" />
          So far
        </li>
        <li>
          <Swatch kind="forecast" />
          Forecast
        </li>
        <li>
          <Swatch kind="budget" />
          Even spend{data.target != null ? " / target" : ""}
        </li>
      </ul>
    </div>
  );
}
