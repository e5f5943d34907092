"use client";

import { PercentChart } from "@/app/_components/charts/percent-chart";

/** Change fail rate and rework rate per quarter, as percentages; a quarter without deploys is a gap. */
export function DoraTrend({ rows }: { rows: { quarter: string; changeFailRate: number | null; reworkRate: number | null }[] }) {
  const pct = (v: number | null) => (v == null ? null : Math.round(v * 1000) / 10);
  return (
    <PercentChart
      label="Change fail rate and rework rate per quarter"
      testId="dora-trend"
      rows={rows.map((r) => ({ quarter: r.quarter, changeFailRate: pct(r.changeFailRate), reworkRate: pct(r.reworkRate) }))}
      series={[
        { key: "changeFailRate", label: "Change fail rate" },
        { key: "reworkRate", label: "Rework rate" },
      ]}
    />
  );
}
