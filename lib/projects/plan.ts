/**
 * Target planning: an expected figure for each coming quarter, offered to the lead
 * as a suggested target with its reasoning. Never applied by itself.
 *
 * - Baseline: the mean hours of the last BASELINE_QUARTERS (4) complete quarters
 *   (ended at or before `asOf`); fewer when history is shorter, and no suggestion
 *   with fewer than MIN_BASELINE_QUARTERS (2).
 * - For a coming quarter T, each project that is not curtailed, has a delivery date
 *   and an expected effect > 0, and whose lag window ends at or before T starts is
 *   expected to remove its effect. Part of that effect may already be inside the
 *   baseline: the deduction is effect × (baseline quarters that started before the
 *   lag window ended) / (baseline quarters). A project whose lag ended before the
 *   baseline began deducts nothing (its effect is already in the baseline); one whose
 *   lag ends after the baseline deducts its whole effect.
 * - A project cannot remove more than its scope holds: when `scopeBaselineHours` (its
 *   in-scope average over the same baseline quarters) is given, the deduction is capped
 *   at it, and the reasoning says so.
 * - Suggested = max(0, baseline − deductions), rounded to 0.1 h.
 */
import type { ProjectDelivery } from "@/lib/validation/project";
import { inclusiveEndDate, lagWindow } from "./phase";

export const BASELINE_QUARTERS = 4;
export const MIN_BASELINE_QUARTERS = 2;

export interface PlanQuarterInput {
  quarter: string;
  start: number;
  end: number;
  hours: number;
}

export interface PlanProjectInput extends ProjectDelivery {
  expectedEffectHours: number | null;
  /** Mean in-scope hours over the baseline quarters; caps the deduction when given. */
  scopeBaselineHours?: number | null;
}

export interface PlanDeduction {
  slug: string;
  name: string;
  /** When the lag window ends, epoch ms. */
  lagEnd: number;
  expectedEffectHours: number;
  /** Share of the effect not yet in the baseline (0–1]. */
  share: number;
  hours: number;
  /** True when the deduction was capped at the project's in-scope baseline hours. */
  capped: boolean;
}

export interface TargetSuggestion {
  quarter: string;
  start: number;
  end: number;
  baselineHours: number;
  deductions: PlanDeduction[];
  suggestedHours: number;
  /** Sentences shown beside the figure. */
  reasoning: string[];
}

export interface TargetPlan {
  baseline: { quarters: string[]; hours: number[]; average: number } | null;
  suggestions: TargetSuggestion[];
  /** Projects left out of every deduction, with why. */
  excluded: { slug: string; name: string; reason: string }[];
  /** Set when no suggestion can be made. */
  message: string | null;
}

function round1(h: number): number {
  return Math.round(h * 10) / 10;
}

/**
 * Suggested targets for `coming` quarters (rules in the file comment). `history` holds
 * past and current quarters with their total hours; only complete ones are used.
 */
export function suggestTargets(
  history: readonly PlanQuarterInput[],
  coming: readonly { quarter: string; start: number; end: number }[],
  projects: readonly PlanProjectInput[],
  asOf: number,
  timezone: string,
): TargetPlan {
  const complete = [...history].filter((q) => q.end <= asOf).sort((a, b) => a.start - b.start);
  const base = complete.slice(-BASELINE_QUARTERS);
  const excluded: TargetPlan["excluded"] = [];
  const eligible: (PlanProjectInput & { lagEnd: number; effect: number })[] = [];
  for (const p of projects) {
    if (p.status === "curtailed") excluded.push({ slug: p.slug, name: p.name, reason: "curtailed" });
    else if (!p.deliveredOn) excluded.push({ slug: p.slug, name: p.name, reason: "no delivery date" });
    else if (p.expectedEffectHours == null || p.expectedEffectHours <= 0) excluded.push({ slug: p.slug, name: p.name, reason: "no expected effect" });
    else eligible.push({ ...p, lagEnd: lagWindow({ ...p, deliveredOn: p.deliveredOn }, timezone).lagEnd, effect: p.expectedEffectHours });
  }
  if (base.length < MIN_BASELINE_QUARTERS) {
    return {
      baseline: null,
      suggestions: [],
      excluded,
      message: `A suggestion needs at least ${MIN_BASELINE_QUARTERS} complete quarters of history; there ${base.length === 1 ? "is 1" : `are ${base.length}`}.`,
    };
  }
  const average = base.reduce((s, q) => s + q.hours, 0) / base.length;
  const baseline = { quarters: base.map((q) => q.quarter), hours: base.map((q) => q.hours), average };
  const baseLabel = base.length === 1 ? base[0].quarter : `${base[0].quarter}…${base[base.length - 1].quarter}`;

  const suggestions = coming.map((t): TargetSuggestion => {
    const deductions: PlanDeduction[] = [];
    for (const p of eligible) {
      if (p.lagEnd > t.start) continue;
      const notYet = base.filter((q) => q.start < p.lagEnd).length;
      if (!notYet) continue;
      const share = notYet / base.length;
      const cap = p.scopeBaselineHours == null ? Infinity : Math.max(0, p.scopeBaselineHours);
      const hours = Math.min(p.effect * share, cap);
      deductions.push({ slug: p.slug, name: p.name, lagEnd: p.lagEnd, expectedEffectHours: p.effect, share, hours, capped: hours < p.effect * share });
    }
    const total = deductions.reduce((s, d) => s + d.hours, 0);
    const suggestedHours = round1(Math.max(0, average - total));
    const reasoning = [`Baseline ${average.toFixed(1)} h: the average of ${base.length} complete quarters (${baseLabel}).`];
    for (const d of deductions) {
      const part = d.share < 1 ? ` × ${Math.round(d.share * base.length)}/${base.length} of the baseline before its lag window ended` : "";
      const cap = d.capped ? `, capped at ${d.hours.toFixed(1)} h, all its scope held over the baseline` : "";
      reasoning.push(`− ${d.hours.toFixed(1)} h for ${d.name}: ${d.expectedEffectHours} h a quarter expected${part}${cap} (lag window to ${inclusiveEndDate(d.lagEnd, timezone)}, inclusive).`);
    }
    if (!deductions.length) reasoning.push("No project's lag window ends before this quarter with effect still to come, so the baseline stands.");
    if (average - total < 0) reasoning.push("Deductions exceed the baseline; the suggestion is floored at 0 h.");
    return { quarter: t.quarter, start: t.start, end: t.end, baselineHours: average, deductions, suggestedHours, reasoning };
  });
  return { baseline, suggestions, excluded, message: null };
}
