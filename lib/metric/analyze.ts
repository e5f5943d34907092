/**
 * `analyze`: everything the dashboard, incident pages and reports need, from the
 * same core pass as `evaluate`.
 */
import type { Analysis, Completeness, IncidentAnalysis, ProvisionalReasons, QuarterAnalysis, QuarterShare } from "./analysis-types";
import { QuarterAccumulator } from "./breakdowns";
import { compileMediumRule } from "./classify";
import { runCore, type CoreRun } from "./core";
import { incidentResults, quarterResults, toIso } from "./evaluate";
import { addSplit, addUnion, firstQuarterEndingAfter, HOUR_MS } from "./intervals";
import type { EvaluationInput, EvaluationResult } from "./types";

/** The overlaps/contributions of an incident outside the range or not counted; frozen so a stray push throws. */
const NO_SHARES = Object.freeze([]) as unknown as QuarterShare[];

/** Medium-rule duration thresholds (minutes) reported by `blipSensitivity`. */
export const BLIP_THRESHOLDS_MINUTES = [5, 10, 20, 30] as const;

/**
 * Per-quarter hours (ms) if the medium rule's minDurationMinutes were `minutes`,
 * all else as in the policy. Only medium-class incidents can change verdict.
 */
export function hoursAtMinDuration(run: CoreRun, minutes: number): Float64Array {
  const { incidents, policy } = run.input;
  const selects = compileMediumRule({ ...policy.mediumRule, minDurationMinutes: minutes });
  const selected = run.counted.slice();
  for (let k = 0; k < incidents.length; k++) {
    const r = run.reasons[k];
    if (r === "medium_selected" || r === "medium_not_selected") {
      selected[k] = selects(incidents[k], run.ends[k] - run.starts[k]) ? 1 : 0;
    }
  }
  const acc = new Float64Array(run.quarters.length);
  if (policy.overlap === "union") addUnion(run.bounds, run.starts, run.ends, selected, acc);
  else for (let k = 0; k < selected.length; k++) if (selected[k]) addSplit(run.bounds, run.starts[k], run.ends[k], acc);
  return acc;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function provisionalReasons(run: CoreRun, i: number): ProvisionalReasons {
  const { asOf, settings } = run.input;
  const maturesAt = run.maturesAt[i];
  const ended = !Number.isNaN(maturesAt);
  const recent = ended && asOf < maturesAt;
  const untriagedHours = (run.upperMs[i] - run.hoursMs[i]) / HOUR_MS;
  const messages: string[] = [];
  if (run.status[i] === "provisional") {
    if (recent) messages.push(`Ended less than ${settings.maturityDays} days ago; matures ${toIso(maturesAt).slice(0, 10)}.`);
    const waiting = run.awaitingAnalysis[i];
    const ongoing = run.ongoing[i];
    if (waiting) messages.push(`${plural(waiting, "incident is", "incidents are")} awaiting impact analysis.`);
    if (ongoing) messages.push(`${plural(ongoing, "incident is", "incidents are")} still ongoing.`);
    if (untriagedHours > 0) {
      messages.push(`${plural(run.untriaged[i], "incident is", "incidents are")} untriaged (up to ${untriagedHours.toFixed(2)} more hours).`);
    }
  }
  return {
    recent,
    maturesAt: ended ? toIso(maturesAt) : null,
    awaitingAnalysis: run.awaitingAnalysis[i],
    ongoing: run.ongoing[i],
    untriaged: run.untriaged[i],
    untriagedHours,
    messages,
  };
}

/**
 * Analyzes `input` (same contract as `evaluate`) and returns, per quarter: the
 * evaluate figures plus breakdowns (service, deploy system, change type, severity
 * class, remediation), North Star ratios, data completeness, blip sensitivity and
 * the reasons a quarter is provisional; per incident: verdict, effective window,
 * and hours contributed to each quarter. `evaluation` equals `evaluate(input)`.
 *
 * Hours are exact (not rounded). Breakdown rows sum contributions, so multi-service
 * incidents (and, in union mode, overlapping incidents) make parts exceed the total;
 * each Breakdown says so. North Star ratios put incidents missing remediation /
 * mitigatedAt / fleetExposurePct in `noData`. Completeness counts duplicates never.
 */
export function analyze(input: EvaluationInput): Analysis {
  const run = runCore(input);
  const { incidents } = input;
  const unionMode = input.policy.overlap === "union";
  const acc = run.quarters.map(() => new QuarterAccumulator());
  const completeness: Completeness[] = run.quarters.map(() => ({ candidates: 0, triaged: 0, untriaged: 0, share: null }));
  const classes = incidents.map((inc) => run.classifier.severityClass(inc.severity));

  const { bounds } = run;
  const nq = run.quarters.length;
  const qids = run.quarters.map((q) => q.id);
  const incidentOut: IncidentAnalysis[] = new Array(incidents.length);
  // Hot loop over every incident: no closures or ISO strings per incident, one shared
  // empty list for the many that contribute nothing.
  for (let k = 0; k < incidents.length; k++) {
    const inc = incidents[k];
    const counted = run.counted[k] === 1;
    const s = run.starts[k];
    const e = run.ends[k];
    const candidate = run.reasons[k] !== "duplicate" && run.severitySelected[k] === 1;
    let overlaps: QuarterShare[] = NO_SHARES;
    if (nq > 0 && e > s && e > bounds[0] && s < bounds[nq]) {
      for (let i = firstQuarterEndingAfter(bounds, s); i < nq && bounds[i] < e; i++) {
        const a = s > bounds[i] ? s : bounds[i];
        const b = e < bounds[i + 1] ? e : bounds[i + 1];
        if (b <= a) continue;
        const hours = (b - a) / HOUR_MS;
        // Exact-size arrays: most incidents overlap one quarter, and [] + push reserves 17 slots.
        const share = { quarter: qids[i], hours };
        if (overlaps === NO_SHARES) overlaps = [share];
        else overlaps.push(share);
        if (counted) acc[i].addCounted(inc, classes[k], hours, s);
        if (candidate) {
          completeness[i].candidates++;
          if (inc.trigger === "unknown") completeness[i].untriaged++;
          else completeness[i].triaged++;
        }
      }
    }
    incidentOut[k] = {
      id: inc.id,
      counted,
      reason: run.reasons[k],
      severityClass: classes[k],
      startMs: s,
      endMs: e,
      ongoing: run.open[k] === 1,
      durationHours: (e - s) / HOUR_MS,
      inUpperBound: run.upper[k] === 1,
      overlaps,
      contributions: counted ? overlaps : NO_SHARES,
    };
  }

  const blips = BLIP_THRESHOLDS_MINUTES.map((m) => hoursAtMinDuration(run, m));
  const base = quarterResults(run);
  const quarters: QuarterAnalysis[] = base.map((q, i) => {
    const c = completeness[i];
    return {
      ...q,
      startMs: run.quarters[i].start,
      endMs: run.quarters[i].end,
      breakdowns: acc[i].breakdowns(unionMode),
      northStar: acc[i].northStar(),
      completeness: { ...c, share: c.candidates ? c.triaged / c.candidates : null },
      blipSensitivity: BLIP_THRESHOLDS_MINUTES.map((m, j) => ({ minDurationMinutes: m, hours: blips[j][i] / HOUR_MS })),
      provisional: provisionalReasons(run, i),
    };
  });
  let evaluation: EvaluationResult | undefined;
  return {
    asOf: toIso(input.asOf),
    overlap: unionMode ? "union" : "sum",
    quarters,
    incidents: incidentOut,
    // Built on first read: the dashboard never needs the 100k per-incident verdict objects.
    get evaluation() {
      evaluation ??= { quarters: base, incidents: incidentResults(run) };
      return evaluation;
    },
  };
}
