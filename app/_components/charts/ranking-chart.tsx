"use client";

/** Horizontal bars: the largest sources of hours over a period. Render-only; feed it `rankSources().rows`. */
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import type { RankingRow } from "@/lib/charts/breakdown";
import { formatHours } from "@/lib/format/hours";
import { CHART_COLOURS } from "@/lib/charts/palette";
import { maxOf, niceScale } from "@/lib/charts/ticks";

export function RankingChart({ rows, label = "Largest sources of hours" }: { rows: RankingRow[]; label?: string }) {
  const height = Math.max(120, rows.length * 30 + 40);
  const x = niceScale(maxOf(rows.map((r) => r.hours)));
  return (
    <div style={{ width: "100%", height }} data-testid="ranking-chart">
      <BarChart responsive layout="vertical" style={{ width: "100%", height }} data={rows} margin={{ top: 4, right: 24, bottom: 4, left: 4 }} accessibilityLayer title={label}>
        <CartesianGrid horizontal={false} stroke={CHART_COLOURS.grid} />
        <XAxis type="number" domain={[0, x.max]} ticks={x.ticks} interval={0} tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} />
        <YAxis type="category" dataKey="key" width={140} tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} />
        <Tooltip formatter={(v) => formatHours(Number(v))} isAnimationActive={false} />
        <Bar dataKey="hours" name="Hours" fill={CHART_COLOURS.final} maxBarSize={22} isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
