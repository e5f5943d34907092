/**
 * The report's quarterly bar chart, shaped once and drawn twice: as inline SVG on the
 * page (prints exactly as shown) and with @react-pdf's Svg primitives in the PDF, so
 * the two look alike. Pure: data in, coordinates out.
 */
import { niceScale } from "@/lib/charts/ticks";
import type { ReportSeriesPoint } from "./report-model";

export interface ReportChartDatum {
  quarter: string;
  hours: number;
  /** upperBound − hours: impact still waiting on triage (never negative). */
  pending: number;
  target: number | null;
  /** The report's own quarter. */
  current: boolean;
  provisional: boolean;
}

/** Series → chart rows; the last point is the report's quarter. */
export function toReportChartData(series: readonly ReportSeriesPoint[], quarter: string): ReportChartDatum[] {
  return series.map((p) => ({
    quarter: p.quarter,
    hours: p.hours,
    pending: Math.max(0, p.upperBoundHours - p.hours),
    target: p.target,
    current: p.quarter === quarter,
    provisional: p.status === "provisional" || p.status === "in_progress",
  }));
}

/** A "nice" axis maximum and tick step for values up to `max` (0 → 0..1); shared with the app's charts. */
export { niceScale };

export interface ChartRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Which series the chart draws, so its legend lists nothing that is not there. */
export function reportChartLegend(data: readonly ReportChartDatum[]): { pending: boolean; target: boolean } {
  return { pending: data.some((d) => d.pending > 0), target: data.some((d) => d.target != null) };
}

export interface ReportChartLayout {
  width: number;
  height: number;
  plot: ChartRect;
  gridLines: { y: number; label: string }[];
  bars: {
    quarter: string;
    label: string;
    labelX: number;
    valueLabel: string;
    valueY: number;
    hours: ChartRect;
    pending: ChartRect | null;
    target: { x1: number; x2: number; y: number } | null;
    current: boolean;
    provisional: boolean;
  }[];
}

const fmtTick = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Coordinates (y grows downwards) for a chart of `width` × `height` units. */
export function layoutReportChart(data: readonly ReportChartDatum[], width: number, height: number): ReportChartLayout {
  const margin = { top: 18, right: 8, bottom: 26, left: 44 };
  const plot: ChartRect = { x: margin.left, y: margin.top, width: width - margin.left - margin.right, height: height - margin.top - margin.bottom };
  const maxValue = Math.max(0, ...data.map((d) => Math.max(d.hours + d.pending, d.target ?? 0)));
  const scale = niceScale(maxValue);
  const yOf = (v: number) => plot.y + plot.height - (v / scale.max) * plot.height;
  const slot = data.length ? plot.width / data.length : plot.width;
  const barW = Math.min(56, slot * 0.6);
  return {
    width,
    height,
    plot,
    gridLines: scale.ticks.map((t) => ({ y: yOf(t), label: fmtTick(t) })),
    bars: data.map((d, i) => {
      const cx = plot.x + slot * i + slot / 2;
      const x = cx - barW / 2;
      const yHours = yOf(d.hours);
      const yTop = yOf(d.hours + d.pending);
      const yTarget = d.target == null ? null : yOf(d.target);
      // Lift the value label above a target line that would strike through it.
      const valueY = yTarget != null && yTarget <= yTop + 2 && yTarget > yTop - 16 ? yTarget - 4 : yTop - 4;
      return {
        quarter: d.quarter,
        label: d.quarter.replace(/^FY\d\d/, "FY"),
        labelX: cx,
        valueLabel: (Math.round(d.hours * 10) / 10).toFixed(1),
        valueY,
        hours: { x, y: yHours, width: barW, height: plot.y + plot.height - yHours },
        pending: d.pending > 0 ? { x, y: yTop, width: barW, height: yHours - yTop } : null,
        target: yTarget == null ? null : { x1: cx - slot * 0.45, x2: cx + slot * 0.45, y: yTarget },
        current: d.current,
        provisional: d.provisional,
      };
    }),
  };
}

/** Okabe–Ito colours, as on the dashboard. */
export const CHART_COLORS = {
  hours: "#0072b2",
  current: "#d55e00",
  pending: "#e69f00",
  target: "#1c2430",
  grid: "#d9dde3",
  text: "#5a6472",
} as const;
