/** The dashboard's headline figures, from the quarterly analysis. Pure. */
import type { QuarterAnalysis } from "@/lib/metric/analysis-types";
import type { QuarterStatus } from "@/lib/metric/types";

export interface HeadlineQuarter {
  quarter: string;
  hours: number;
  target: number | null;
  status: QuarterStatus;
  /** True when the figure is the frozen one of a closed quarter. */
  closed: boolean;
}

export interface FrozenFigure {
  quarter: string;
  hours: number;
  target: number | null;
}

export interface Headline {
  current: HeadlineQuarter | null;
  /** The most recent quarter that has ended (closed figure when it was closed). */
  lastEnded: HeadlineQuarter | null;
  peak: { quarter: string; hours: number } | null;
  /** (lastEnded − peak) / peak: −0.9 reads "down 90% from peak"; null without both. */
  changeFromPeak: number | null;
  /** e.g. "down 90% from peak (FY2025-Q1)". */
  changeFromPeakText: string | null;
}

/**
 * Peak = the ended quarter with the most hours (frozen figures where closed); the
 * in-progress quarter never counts as peak or as "last ended", since it is partial.
 */
export function toHeadline(quarters: readonly QuarterAnalysis[], closures: readonly FrozenFigure[] = []): Headline {
  const frozen = new Map(closures.map((c) => [c.quarter, c]));
  const figure = (q: QuarterAnalysis): HeadlineQuarter => {
    const f = frozen.get(q.quarter);
    return f
      ? { quarter: q.quarter, hours: f.hours, target: f.target, status: q.status, closed: true }
      : { quarter: q.quarter, hours: q.hours, target: q.target, status: q.status, closed: false };
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
