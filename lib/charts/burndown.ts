/**
 * The current quarter as a budget: hours spent so far against the target spread
 * evenly over the quarter, with a run-rate forecast to its end. Pure.
 */
import type { IncidentAnalysis, QuarterAnalysis } from "@/lib/metric/analysis-types";
import { HOUR_MS } from "@/lib/metric/intervals";
import { roundHours } from "@/lib/format/hours";

const DAY_MS = 86_400_000;

export interface BurnDownPoint {
  /** Epoch ms of the sample. */
  t: number;
  /** Cumulative counted hours up to t (only up to asOf). */
  actual: number | null;
  /** Target × elapsed share of the quarter: the budget spent evenly (null without a target). */
  budget: number | null;
  /** Run-rate forecast from asOf to the quarter's end (null before asOf). */
  forecast: number | null;
}

export interface BurnDown {
  quarter: string;
  startMs: number;
  endMs: number;
  hoursSoFar: number;
  target: number | null;
  /** 0–1 share of the quarter elapsed at asOf. */
  elapsedShare: number;
  /** hoursSoFar / elapsed time × the whole quarter. */
  forecastHours: number;
  /** Target hours still unspent (negative when over). */
  remainingHours: number | null;
  /** Budget that an even spend would have used by now. */
  budgetSoFar: number | null;
  /** Fewer than 14 days in: the forecast rests on very little. */
  earlyForecast: boolean;
  points: BurnDownPoint[];
}

/** Cumulative measure of `intervals` (ms pairs) before each sample time, summed or merged. */
function cumulative(intervals: Array<[number, number]>, samples: number[], union: boolean): number[] {
  let iv = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  if (union) {
    const merged: Array<[number, number]> = [];
    for (const [s, e] of iv) {
      const lastIv = merged[merged.length - 1];
      if (lastIv && s <= lastIv[1]) lastIv[1] = Math.max(lastIv[1], e);
      else merged.push([s, e]);
    }
    iv = merged;
  }
  return samples.map((t) => {
    let ms = 0;
    for (const [s, e] of iv) {
      if (s >= t) break;
      ms += Math.min(e, t) - s;
    }
    return ms / HOUR_MS;
  });
}

/**
 * Burn-down for `quarter` (normally the in-progress one) at `asOf`. `incidents` is the
 * analysis's incident list; only counted ones overlapping the quarter matter. Samples
 * daily plus the exact asOf, so the last actual point equals the quarter's hours.
 */
export function toBurnDown(quarter: QuarterAnalysis, incidents: readonly IncidentAnalysis[], asOf: number, overlap: "sum" | "union"): BurnDown {
  const { startMs, endMs } = quarter;
  const now = Math.min(Math.max(asOf, startMs), endMs);
  const intervals: Array<[number, number]> = [];
  for (const inc of incidents) {
    if (!inc.counted || !inc.contributions.some((c) => c.quarter === quarter.quarter)) continue;
    intervals.push([Math.max(inc.startMs, startMs), Math.min(inc.endMs, now)]);
  }
  const samples: number[] = [];
  for (let t = startMs; t < endMs; t += DAY_MS) samples.push(t);
  samples.push(endMs);
  if (!samples.includes(now)) samples.push(now);
  samples.sort((a, b) => a - b);
  const past = samples.filter((t) => t <= now);
  const actual = cumulative(intervals, past, overlap === "union");
  const hoursSoFar = quarter.hours;
  const span = endMs - startMs;
  const elapsed = now - startMs;
  const elapsedShare = span > 0 ? elapsed / span : 1;
  const rate = elapsed > 0 ? hoursSoFar / elapsed : 0;
  const forecastHours = elapsed > 0 ? hoursSoFar + rate * (endMs - now) : 0;
  const target = quarter.target;
  const points: BurnDownPoint[] = samples.map((t) => {
    const i = past.indexOf(t);
    return {
      t,
      actual: i >= 0 ? roundHours(t === now ? hoursSoFar : actual[i]) : null,
      budget: target == null ? null : roundHours((target * (t - startMs)) / span),
      forecast: t >= now ? roundHours(hoursSoFar + rate * (t - now)) : null,
    };
  });
  return {
    quarter: quarter.quarter,
    startMs,
    endMs,
    hoursSoFar,
    target,
    elapsedShare,
    forecastHours,
    remainingHours: target == null ? null : target - hoursSoFar,
    budgetSoFar: target == null ? null : target * elapsedShare,
    earlyForecast: elapsed < 14 * DAY_MS,
    points,
  };
}
