"use client";

/**
 * Stacked bars per quarter by one dimension (service, deploy system…). Render-only:
 * feed it `toStackedBreakdown()` from lib/charts/breakdown. A line marks each
 * quarter's total, so parts that exceed it (multi-service incidents) are visible.
 */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import type { StackedBreakdownData } from "@/lib/charts/breakdown";
import { formatHours } from "@/lib/format/hours";
import { CHART_COLOURS } from "@/lib/charts/palette";
import { maxOf, niceScale } from "@/lib/charts/ticks";

export interface StackedBreakdownChartProps {
  data: StackedBreakdownData;
  height?: number;
  label?: string;
}

export function StackedBreakdownChart({ data, height = 320, label = "Hours by breakdown per quarter" }: StackedBreakdownChartProps) {
  // Parts can add up to more than the total (an incident in two services), so the axis covers both.
  const y = niceScale(maxOf(data.rows.flatMap((r) => [Number(r.total) || 0, data.series.reduce((sum, s) => sum + (Number(r[s.key]) || 0), 0)])));
  return (
    <div style={{ width: "100%", height }} data-testid="breakdown-chart">
      <ComposedChart responsive style={{ width: "100%", height }} data={data.rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer title={label}>
        <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
        <XAxis dataKey="quarter" tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} />
        <YAxis domain={[0, y.max]} ticks={y.ticks} interval={0} tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} width={52} />
        <Tooltip formatter={(v) => formatHours(Number(v))} isAnimationActive={false} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {data.series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId="b" fill={s.colour} stroke="#ffffff" strokeWidth={0.5} maxBarSize={56} isAnimationActive={false} />
        ))}
        <Line dataKey="total" name="Quarter total" stroke={CHART_COLOURS.target} strokeDasharray="4 3" dot={{ r: 3 }} isAnimationActive={false} />
      </ComposedChart>
    </div>
  );
}
