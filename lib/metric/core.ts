/**
 * The single pass behind `evaluate`, `analyze` and `compareHere`: classify every
 * incident once, split windows at quarter boundaries, accumulate per-quarter figures.
 *
 * Hot-loop rules: no Date/TZDate per incident (quarter boundaries are computed once
 * as ms), accumulate in integer milliseconds (exact; converted to hours at the end),
 * typed arrays for per-incident state.
 */
import { addLocalDays, quarterBounds, quartersInRange } from "./calendar";
import { compilePolicy, isCountedReason, type Classifier } from "./classify";
import { addUnion, effectiveWindow, firstQuarterEndingAfter, impactWindow } from "./intervals";
import type { CountReason, EvaluationInput, Quarter, QuarterStatus } from "./types";

/** Reasons only rules 5–8 give: with one of these, the severity rules' verdict is the reason itself. */
const SEVERITY_REASONS: ReadonlySet<CountReason> = new Set(["high_severity", "medium_selected", "medium_not_selected", "low_severity", "unmapped_severity"]);

export interface CoreRun {
  input: EvaluationInput;
  quarters: Quarter[];
  /** Quarter boundaries, length quarters.length + 1. */
  bounds: Float64Array;
  classifier: Classifier;
  /** Effective window per incident (index as in input.incidents), epoch ms; end ≥ start. */
  starts: Float64Array;
  ends: Float64Array;
  /** 1 when the effective window has no end (ongoing, measured to asOf). */
  open: Uint8Array;
  reasons: CountReason[];
  /** 1 when the incident counts. */
  counted: Uint8Array;
  /** 1 when it counts in upperBoundHours: counted, or untriaged and selected by rules 5–8. */
  upper: Uint8Array;
  /** 1 when rules 5–8 alone (severity and the medium rule, as if change-triggered) select it. */
  severitySelected: Uint8Array;
  /** Per quarter, in ms. */
  hoursMs: Float64Array;
  upperMs: Float64Array;
  /** Per quarter: counted incident ids whose window overlaps it, sorted. */
  countedIds: string[][];
  /** Per quarter: incidents in the upper-bound set overlapping it with analysis pending / no end. */
  awaitingAnalysis: Int32Array;
  ongoing: Int32Array;
  /** …and how many of those overlapping it are untriaged (in upper, not counted). */
  untriaged: Int32Array;
  /** Per quarter: when it stops being "recent" (end + maturityDays local days); NaN unless ended. */
  maturesAt: Float64Array;
  status: QuarterStatus[];
}

/** Runs the core pass. Throws QuarterIdError for a bad range. */
export function runCore(input: EvaluationInput): CoreRun {
  const { settings, policy, asOf, incidents } = input;
  const quarters = quartersInRange(input.range.from, input.range.to, settings);
  const bounds = quarterBounds(quarters);
  const nq = quarters.length;
  const lo = bounds[0];
  const hi = bounds[nq];
  const classifier = compilePolicy(policy);
  const n = incidents.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  const open = new Uint8Array(n);
  const counted = new Uint8Array(n);
  const upper = new Uint8Array(n);
  const severitySelected = new Uint8Array(n);
  const reasons: CountReason[] = new Array(n);
  const hoursMs = new Float64Array(nq);
  const upperMs = new Float64Array(nq);
  const awaitingAnalysis = new Int32Array(nq);
  const ongoing = new Int32Array(nq);
  const untriaged = new Int32Array(nq);
  const countedIds: string[][] = quarters.map(() => []);
  const sum = policy.overlap !== "union";

  for (let k = 0; k < n; k++) {
    const inc = incidents[k];
    const { start: s, end: e } = effectiveWindow(inc, asOf);
    starts[k] = s;
    ends[k] = e;
    const isOpen = impactWindow(inc).end == null;
    if (isOpen) open[k] = 1;
    const reason = classifier.reason(inc, e - s);
    reasons[k] = reason;
    const c = isCountedReason(reason);
    // Rules 5–8 already decided the reason unless an earlier rule (0–4) did.
    const bySeverity = SEVERITY_REASONS.has(reason) ? reason : classifier.severityReason(inc, e - s);
    const sev = isCountedReason(bySeverity);
    if (sev) severitySelected[k] = 1;
    const u = c || (reason === "untriaged" && sev);
    if (c) counted[k] = 1;
    if (!u) continue;
    upper[k] = 1;
    if (e <= s || e <= lo || s >= hi) continue;
    const pending = inc.analysisStatus === "pending";
    for (let i = firstQuarterEndingAfter(bounds, s); i < nq && bounds[i] < e; i++) {
      const a = s > bounds[i] ? s : bounds[i];
      const b = e < bounds[i + 1] ? e : bounds[i + 1];
      if (b <= a) continue;
      if (sum) {
        upperMs[i] += b - a;
        if (c) hoursMs[i] += b - a;
      }
      if (c) countedIds[i].push(inc.id);
      else untriaged[i]++;
      if (pending) awaitingAnalysis[i]++;
      if (isOpen) ongoing[i]++;
    }
  }

  if (!sum) {
    addUnion(bounds, starts, ends, counted, hoursMs);
    addUnion(bounds, starts, ends, upper, upperMs);
  }
  for (const ids of countedIds) ids.sort(compareIds);

  const maturesAt = new Float64Array(nq).fill(NaN);
  const status: QuarterStatus[] = quarters.map((q, i) => {
    if (q.start > asOf) return "future";
    if (asOf < q.end) return "in_progress";
    maturesAt[i] = addLocalDays(q.end, settings.maturityDays, settings.timezone);
    const recent = asOf < maturesAt[i];
    const flagged = awaitingAnalysis[i] > 0 || ongoing[i] > 0;
    return recent || flagged || upperMs[i] > hoursMs[i] ? "provisional" : "final";
  });

  return {
    input,
    quarters,
    bounds,
    classifier,
    starts,
    ends,
    open,
    reasons,
    counted,
    upper,
    severitySelected,
    hoursMs,
    upperMs,
    countedIds,
    awaitingAnalysis,
    ongoing,
    untriaged,
    maturesAt,
    status,
  };
}

/** Sorts ids by UTF-16 code units (plain `<`), the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The target set for a quarter, or null. Ignores inherited object keys. */
export function targetFor(targets: Record<string, number>, quarter: string): number | null {
  return Object.prototype.hasOwnProperty.call(targets, quarter) && typeof targets[quarter] === "number" ? targets[quarter] : null;
}
