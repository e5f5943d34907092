/** The dashboard's headline figures, from the quarterly analysis. Pure. */
import type { QuarterAnalysis } from "@/lib/metric/analysis-types";
import type { QuarterStatus } from "@/lib/metric/types";

export interface HeadlineQuarter {
  quarter: string;
  /** Today's figure: the same one the quarterly chart and table show. */
  hours: number;
  target: number | null;
  status: QuarterStatus;
  /** True when the quarter was closed (its figure frozen, e.g. by publishing its report). */
  closed: boolean;
  /** The frozen figure of a closed quarter (null when open): shown as "reported X, now Y", never instead of today's. */
  reported: number | null;
}

export interface FrozenFigure {
  quarter: string;
  hours: number;
  target: number | null;
}

export interface Headline {
  current: HeadlineQuarter | null;
  /** The most recent quarter that has ended (today's figure; `reported` when it was closed). */
  lastEnded: HeadlineQuarter | null;
  peak: { quarter: string; hours: number } | null;
  /** (lastEnded − peak) / peak: −0.9 reads "down 90% from peak"; null without both. */
  changeFromPeak: number | null;
  /** e.g. "down 90% from peak (FY2025-Q1)". */
  changeFromPeakText: string | null;
}

/** Hours equal at display precision (0.01 h): a restatement smaller than that is not one. */
const SAME_HOURS = 0.005;

/**
 * How a closed quarter's figure reads wherever it appears: "reported 15.1 h, now 11.3 h"
 * once today's figure has moved from the frozen one, as the report page says; null when
 * the quarter is not closed.
 */
export function closedFigureText(reported: number | null, now: number, fmt: (h: number) => string): string | null {
  if (reported == null) return null;
  return Math.abs(now - reported) < SAME_HOURS ? `closed at ${fmt(reported)}, unchanged since` : `reported ${fmt(reported)}, now ${fmt(now)}`;
}

/** "−12%", "+8%", or "0%" (never "−0%"): a change from peak as a signed whole percentage. */
export function formatSignedPercent(change: number): string {
  const pct = Math.round(Math.abs(change) * 100);
  return pct === 0 ? "0%" : `${change < 0 ? "−" : "+"}${pct}%`;
}

/**
 * Peak = the ended quarter with the most hours; the in-progress quarter never counts as
 * peak or as "last ended", since it is partial. Every figure is today's, as on the chart:
 * a closed quarter carries its frozen figure beside it (`reported`), so the page never
 * shows two figures for one quarter without saying which is which.
 */
export function toHeadline(quarters: readonly QuarterAnalysis[], closures: readonly FrozenFigure[] = []): Headline {
  const frozen = new Map(closures.map((c) => [c.quarter, c]));
  const figure = (q: QuarterAnalysis): HeadlineQuarter => {
    const f = frozen.get(q.quarter);
    return { quarter: q.quarter, hours: q.hours, target: q.target, status: q.status, closed: !!f, reported: f ? f.hours : null };
  };
  const cur = quarters.find((q) => q.status === "in_progress");
  const ended = quarters.filter((q) => q.status === "final" || q.status === "provisional").map(figure);
  const lastEnded = ended.at(-1) ?? null;
  let peak: { quarter: string; hours: number } | null = null;
  for (const q of ended) if (!peak || q.hours > peak.hours) peak = { quarter: q.quarter, hours: q.hours };
  let change: number | null = null;
  let text: string | null = null;
  if (peak && lastEnded && peak.hours > 0) {
    change = (lastEnded.hours - peak.hours) / peak.hours;
    const pct = Math.round(Math.abs(change) * 100);
    text = lastEnded.quarter === peak.quarter ? `at its peak (${peak.quarter})` : pct === 0 ? `level with the peak (${peak.quarter})` : `${change < 0 ? "down" : "up"} ${pct}% from peak (${peak.quarter})`;
  }
  return { current: cur ? figure(cur) : null, lastEnded, peak, changeFromPeak: change, changeFromPeakText: text };
}
