/**
 * What a governance change (a new policy version, a target for an ended quarter) does to
 * figures people have already read: per quarter, hours and target before → after, the
 * met/missed verdict before → after, and the closed or published report it touches. Pure.
 */
import type { QuarterStatus } from "@/lib/metric/types";

/** Hours that differ by less than this are the same figure at display precision. */
export const SAME_HOURS = 0.005;

/** A closed quarter: its frozen figure and how many report versions were published. */
export interface ClosedQuarter {
  quarter: string;
  reportedHours: number;
  reportedTarget: number | null;
  publishedVersions: number;
}

export type Verdict = "met" | "missed" | null;

/** As a report reads it (lib/export/report-model `targetOutcome`): met at or under the target; null without one. */
export function targetVerdict(hours: number, target: number | null): Verdict {
  if (target == null) return null;
  return hours <= target ? "met" : "missed";
}

export interface ChangeRow {
  quarter: string;
  status: QuarterStatus;
  hoursBefore: number;
  hoursAfter: number;
  targetBefore: number | null;
  targetAfter: number | null;
  verdictBefore: Verdict;
  verdictAfter: Verdict;
  /** The verdict changes (met ↔ missed, or appears/disappears). */
  flips: boolean;
  closed: ClosedQuarter | null;
}

function row(quarter: string, status: QuarterStatus, hb: number, ha: number, tb: number | null, ta: number | null, closed: ClosedQuarter | null): ChangeRow {
  const vb = targetVerdict(hb, tb);
  const va = targetVerdict(ha, ta);
  return { quarter, status, hoursBefore: hb, hoursAfter: ha, targetBefore: tb, targetAfter: ta, verdictBefore: vb, verdictAfter: va, flips: vb !== va, closed };
}

/**
 * Quarters a new policy restates: every ended or in-progress quarter whose hours move by
 * SAME_HOURS or more, in time order, with its target (unchanged) and closed report.
 */
export function policyChangeRows(
  quarters: readonly { quarter: string; current: { hours: number; status: QuarterStatus }; draft: { hours: number } }[],
  targets: Readonly<Record<string, number>>,
  closed: readonly ClosedQuarter[],
): ChangeRow[] {
  const byQuarter = new Map(closed.map((c) => [c.quarter, c]));
  return quarters
    .filter((q) => q.current.status !== "future" && Math.abs(q.draft.hours - q.current.hours) >= SAME_HOURS)
    .map((q) => row(q.quarter, q.current.status, q.current.hours, q.draft.hours, targets[q.quarter] ?? null, targets[q.quarter] ?? null, byQuarter.get(q.quarter) ?? null));
}

/** One quarter's target change: same hours, target before → after. */
export function targetChangeRow(q: { quarter: string; status: QuarterStatus; hours: number }, before: number | null, after: number | null, closed: ClosedQuarter | null): ChangeRow {
  return row(q.quarter, q.status, q.hours, q.hours, before, after, closed);
}

/** True when a target change needs a reason and a confirmation: the quarter has ended, so people have read its verdict. */
export function targetChangeIsGoverned(status: QuarterStatus): boolean {
  return status === "provisional" || status === "final";
}
