/**
 * A project's realised effect: in-scope impact hours per quarter, each quarter's
 * phase, the before/after averages and a verdict.
 *
 * - Only complete quarters (ended at or before `asOf`) enter an average; the
 *   in-progress and future quarters are shown but never averaged. Provisional
 *   quarters have ended and do count (flagged `provisional` for the reader).
 * - "Before" is the average of up to AVERAGE_QUARTERS complete `before` quarters
 *   nearest the delivery; "after" the average of up to AVERAGE_QUARTERS complete
 *   `after` quarters nearest the end of the lag window. Nearest-first keeps old
 *   history and later, unrelated changes from diluting the comparison.
 * - Realised effect = average before − average after (hours per quarter; positive
 *   means impact fell), compared with the expected effect.
 * - Verdict:
 *   - `not_delivered`: no delivery date, or delivery is after `asOf`;
 *   - `too_early`: the lag window has not fully passed at `asOf`, or there is no
 *     complete `after` quarter yet;
 *   - `no_baseline`: no complete `before` quarter to compare with;
 *   - `met`: realised reaches the expected effect (expected > 0) within
 *     MET_TOLERANCE_SHARE, i.e. `percentOfExpected()` is 100 or more: the page
 *     never says "100% of expected" beside "short of expected";
 *   - `partial`: a drop (see below) short of the expected effect, or any drop when
 *     no expected effect is set;
 *   - `no_drop`: realised is below DROP_SHARE of the before average (or ≤ 0).
 */
import { lagWindow, quarterPhase, type LagWindow, type ProjectPhase } from "./phase";

/** How many complete quarters on each side of the lag window the averages use. */
export const AVERAGE_QUARTERS = 4;
/** A fall smaller than this share of the before average is noise, not a drop. */
export const DROP_SHARE = 0.15;
/**
 * Realised within this share of the expected effect meets it: 7.98 h of 8.00 h
 * expected (99.75%) is met, 7.95 h (99.4%) is not. Half a percentage point is what
 * the whole-percent figure shown beside the verdict rounds away.
 */
export const MET_TOLERANCE_SHARE = 0.005;

/**
 * Realised as a whole percentage of expected (hours per quarter, both positive when
 * impact fell), the one figure every page shows; null without a positive expected
 * effect or a realised one. Rounded half up, so it reads 100 exactly when
 * `meetsExpected` holds.
 */
export function percentOfExpected(realised: number | null, expected: number | null): number | null {
  if (realised == null || expected == null || !(expected > 0)) return null;
  // Rounded to 1e-9 first so 0.995 × 100 = 99.49999… still reads 100.
  return Math.floor(Math.round((realised / expected) * 100 * 1e9) / 1e9 + 0.5);
}

/** True when `realised` reaches `expected` (> 0) within MET_TOLERANCE_SHARE. */
export function meetsExpected(realised: number, expected: number): boolean {
  // The same 1e-9 rounding as percentOfExpected, so the two never disagree.
  return expected > 0 && Math.round((realised / expected) * 1e9) / 1e9 >= 1 - MET_TOLERANCE_SHARE;
}

export type ImpactVerdict = "not_delivered" | "too_early" | "no_baseline" | "met" | "partial" | "no_drop";

export interface ImpactProjectInput {
  deliveredOn: string | null;
  lagMinMonths: number;
  lagMaxMonths: number;
  expectedEffectHours: number | null;
}

export interface QuarterHoursInput {
  quarter: string;
  /** Boundaries, epoch ms. */
  start: number;
  end: number;
  /** In-scope counted hours. */
  hours: number;
  /** The quarter's metric status (`future`, `in_progress`, `provisional`, `final`). */
  status: string;
}

export interface ImpactQuarter {
  quarter: string;
  start: number;
  end: number;
  hours: number;
  status: string;
  phase: ProjectPhase;
  /** Ended at or before asOf. */
  complete: boolean;
  /** Which average the quarter entered, if any. */
  usedIn: "before" | "after" | null;
}

export interface PhaseAverage {
  /** Mean hours per quarter, or null with no quarter. */
  average: number | null;
  quarters: string[];
}

export interface ProjectImpact {
  window: LagWindow | null;
  quarters: ImpactQuarter[];
  before: PhaseAverage;
  after: PhaseAverage;
  expectedEffectHours: number | null;
  /** before − after, hours per quarter; null unless both averages exist and the lag has passed. */
  realisedEffectHours: number | null;
  verdict: ImpactVerdict;
  /** One sentence a lead can read. */
  summary: string;
}

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function fmt(h: number): string {
  return `${h.toFixed(1)} h`;
}

/**
 * Phases, averages and verdict for one project over `quarters` (any order; returned
 * in time order). `timezone` places the delivery date; `asOf` is "now", epoch ms.
 * With no delivery date every quarter is `before` (nothing has been delivered yet).
 */
export function projectImpact(project: ImpactProjectInput, quarters: QuarterHoursInput[], asOf: number, timezone: string): ProjectImpact {
  const window = project.deliveredOn ? lagWindow({ ...project, deliveredOn: project.deliveredOn }, timezone) : null;
  const sorted = [...quarters].sort((a, b) => a.start - b.start);
  const rows: ImpactQuarter[] = sorted.map((q) => ({
    quarter: q.quarter,
    start: q.start,
    end: q.end,
    hours: q.hours,
    status: q.status,
    phase: window ? quarterPhase(q, window) : "before",
    complete: q.end <= asOf,
    usedIn: null,
  }));
  const beforeRows = rows.filter((r) => r.complete && r.phase === "before").slice(-AVERAGE_QUARTERS);
  const afterRows = rows.filter((r) => r.complete && r.phase === "after").slice(0, AVERAGE_QUARTERS);
  for (const r of beforeRows) r.usedIn = "before";
  for (const r of afterRows) r.usedIn = "after";
  const before: PhaseAverage = { average: mean(beforeRows.map((r) => r.hours)), quarters: beforeRows.map((r) => r.quarter) };
  const after: PhaseAverage = { average: mean(afterRows.map((r) => r.hours)), quarters: afterRows.map((r) => r.quarter) };
  const expected = project.expectedEffectHours;
  const base = { window, quarters: rows, before, after, expectedEffectHours: expected };

  if (!window || window.delivery > asOf) {
    return { ...base, realisedEffectHours: null, verdict: "not_delivered", summary: window ? "Not delivered yet." : "No delivery date yet." };
  }
  if (window.lagEnd > asOf || after.average === null) {
    const until = window.lagEnd > asOf ? "the lag window has not passed yet" : "no complete quarter after the lag window yet";
    return { ...base, realisedEffectHours: null, verdict: "too_early", summary: `Too early to tell: ${until}.` };
  }
  if (before.average === null) {
    return { ...base, realisedEffectHours: null, verdict: "no_baseline", summary: "No complete quarter before delivery to compare with." };
  }
  const realised = before.average - after.average;
  const drop = realised > 0 && realised >= DROP_SHARE * before.average;
  let verdict: ImpactVerdict;
  if (!drop) verdict = "no_drop";
  else if (expected !== null && meetsExpected(realised, expected)) verdict = "met";
  else verdict = "partial";
  const vs = expected !== null ? ` against ${fmt(expected)} expected` : "";
  const summary =
    verdict === "no_drop"
      ? `No drop: ${fmt(before.average)} a quarter before, ${fmt(after.average)} after${vs}.`
      : `Impact fell by ${fmt(realised)} a quarter (${fmt(before.average)} → ${fmt(after.average)})${vs}.`;
  return { ...base, realisedEffectHours: realised, verdict, summary };
}
