"use client";

/**
 * Per-quarter percentages as lines (North Star shares, share triaged). A null value
 * is "no data" and leaves a gap; it is never drawn as zero. Render-only.
 */
import { CartesianGrid, LineChart, Line, Tooltip, XAxis, YAxis, Legend } from "recharts";
import { CHART_COLOURS, seriesColour } from "@/lib/charts/palette";

export interface PercentSeries {
  key: string;
  label: string;
}

export interface PercentChartProps {
  rows: Array<{ quarter: string } & Record<string, string | number | null>>;
  series: PercentSeries[];
  height?: number;
  label: string;
  testId?: string;
}

export function PercentChart({ rows, series, height = 240, label, testId }: PercentChartProps) {
  return (
    <div style={{ width: "100%", height }} data-testid={testId}>
      <LineChart responsive style={{ width: "100%", height }} data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} accessibilityLayer title={label}>
        <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
        <XAxis dataKey="quarter" tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} />
        <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} width={48} />
        <Tooltip formatter={(v) => (v == null ? "no data" : `${v}%`)} isAnimationActive={false} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, i) => (
          <Line key={s.key} dataKey={s.key} name={s.label} stroke={seriesColour(i === 1 ? 5 : i)} strokeWidth={2} dot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </div>
  );
}
