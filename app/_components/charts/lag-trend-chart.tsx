"use client";

/**
 * The lag-aware trend: quarterly hours as a line, each project delivery as a marker,
 * and its expected lag window (default 3–6 months after delivery) shaded, so a flat
 * quarter right after a delivery is not read as failure too early.
 *
 * Render-only. `points` are one per quarter in order (x = index); `markers` come from
 * `toLagMarkers()` in lib/charts/lag, placed to the day on the same axis. Reused by the
 * projects screen (pass just that project's marker).
 */
import { CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { formatHours } from "@/lib/format/hours";
import type { LagMarker } from "@/lib/charts/lag";
import { CHART_COLOURS } from "@/lib/charts/palette";
import { maxOf, niceScale } from "@/lib/charts/ticks";
import { Swatch } from "./chart-patterns";
import styles from "./charts.module.css";

export interface LagTrendPoint {
  quarter: string;
  hours: number;
  target: number | null;
}

export interface LagTrendChartProps {
  points: LagTrendPoint[];
  markers: LagMarker[];
  height?: number;
  label?: string;
}

function TrendTooltip({ active, payload }: TooltipContentProps) {
  const p = active && payload?.length ? (payload[0].payload as LagTrendPoint & { x: number }) : null;
  if (!p) return null;
  return (
    <div className={styles.tooltip}>
      <strong>{p.quarter}</strong>
      <dl>
        <dt>Hours</dt>
        <dd>{formatHours(p.hours)}</dd>
        <dt>Target</dt>
        <dd>{p.target == null ? "none set" : formatHours(p.target)}</dd>
      </dl>
    </div>
  );
}

/** A dot only where there were hours: a long archive's empty quarters stay a flat line, not a row of markers. */
function HoursDot(props: { cx?: number; cy?: number; value?: unknown; index?: number }) {
  const { cx, cy, value, index } = props;
  if (cx == null || cy == null || !(Number(value) > 0)) return <g key={`dot-${index}`} />;
  return <circle key={`dot-${index}`} cx={cx} cy={cy} r={4} fill="#ffffff" stroke={CHART_COLOURS.final} strokeWidth={2} className="ds-hours-dot" />;
}

export function LagTrendChart({ points, markers, height = 320, label = "Quarterly hours with project deliveries and their lag windows" }: LagTrendChartProps) {
  const data = points.map((p, x) => ({ ...p, x }));
  const n = points.length;
  const y = niceScale(maxOf(points.flatMap((p) => [p.hours, p.target])));
  const anyTarget = points.some((p) => p.target != null);
  return (
    <div data-testid="lag-trend-chart">
      <div style={{ width: "100%", height }}>
        <ComposedChart responsive style={{ width: "100%", height }} data={data} margin={{ top: 24, right: 16, bottom: 4, left: 4 }} accessibilityLayer title={label}>
          <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
          <XAxis
            dataKey="x"
            type="number"
            domain={[-0.5, Math.max(0.5, n - 0.5)]}
            ticks={data.map((d) => d.x)}
            tickFormatter={(x: number) => points[x]?.quarter ?? ""}
            tick={{ fontSize: 12, fill: CHART_COLOURS.axis }}
            allowDecimals={false}
          />
          <YAxis domain={[0, y.max]} ticks={y.ticks} interval={0} tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} width={52} />
          {markers.map((m) =>
            m.lagStartPos != null && m.lagEndPos != null ? (
              <ReferenceArea key={`lag-${m.slug}`} x1={m.lagStartPos} x2={m.lagEndPos} fill={CHART_COLOURS.lag} fillOpacity={0.14} stroke="none" ifOverflow="hidden" className="ds-lag-window" />
            ) : null,
          )}
          {markers.map((m, i) =>
            m.deliveryPos != null ? (
              <ReferenceLine
                key={`del-${m.slug}`}
                x={m.deliveryPos}
                stroke={m.status === "curtailed" ? CHART_COLOURS.curtailed : CHART_COLOURS.delivery}
                strokeWidth={2}
                strokeDasharray={m.status === "curtailed" ? "2 3" : undefined}
                label={{ value: `${i + 1}`, position: "top", fontSize: 12, fontWeight: 700, fill: "#1c2430" }}
                className="ds-delivery-marker"
              />
            ) : null,
          )}
          <Tooltip content={TrendTooltip} isAnimationActive={false} />
          <Line dataKey="target" name="Target" stroke={CHART_COLOURS.target} strokeDasharray="4 3" dot={false} connectNulls={false} isAnimationActive={false} />
          <Line dataKey="hours" name="Hours" stroke={CHART_COLOURS.final} strokeWidth={2.5} dot={HoursDot} isAnimationActive={false} />
        </ComposedChart>
      </div>
      <ul className={`legend ${styles.legendList}`} aria-label="Legend">
        <li>
          <Swatch kind="delivery" />
          Delivery (numbered below)
        </li>
        <li>
          <Swatch kind="lag" />
          Expected lag window: effect not yet due
        </li>
        {anyTarget ? (
          <li>
            <Swatch kind="budget" />
            Target
          </li>
        ) : null}
      </ul>
    </div>
  );
}
