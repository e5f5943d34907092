/**
 * What-if: the current policy against a draft, side by side, from two core passes
 * over the same incidents and `asOf`.
 */
import type { QuarterShare } from "./analysis-types";
import { runCore, type CoreRun } from "./core";
import { HOUR_MS, forEachOverlap } from "./intervals";
import type { CountReason, EvaluationInput, Policy, QuarterStatus } from "./types";

export interface WhatIfFigures {
  hours: number;
  upperBoundHours: number;
  /** Counted incidents overlapping the quarter. */
  counted: number;
  status: QuarterStatus;
}

export interface WhatIfQuarter {
  quarter: string;
  current: WhatIfFigures;
  draft: WhatIfFigures;
  /** draft.hours − current.hours. */
  deltaHours: number;
}

export interface WhatIfVerdict {
  counted: boolean;
  reason: CountReason;
  /** Hours added to each quarter of the range (empty when not counted). */
  contributions: QuarterShare[];
}

export interface WhatIfChange {
  id: string;
  before: WhatIfVerdict;
  after: WhatIfVerdict;
}

export interface WhatIfResult {
  quarters: WhatIfQuarter[];
  /** Incidents whose reason (and so possibly counting and contribution) differs, input order. */
  changes: WhatIfChange[];
}

function figures(run: CoreRun, i: number): WhatIfFigures {
  return {
    hours: run.hoursMs[i] / HOUR_MS,
    upperBoundHours: run.upperMs[i] / HOUR_MS,
    counted: run.countedIds[i].length,
    status: run.status[i],
  };
}

function verdict(run: CoreRun, k: number): WhatIfVerdict {
  const contributions: QuarterShare[] = [];
  if (run.counted[k]) {
    forEachOverlap(run.bounds, run.starts[k], run.ends[k], (i, ms) => contributions.push({ quarter: run.quarters[i].id, hours: ms / HOUR_MS }));
  }
  return { counted: run.counted[k] === 1, reason: run.reasons[k], contributions };
}

/**
 * Compares `input.policy` (current) with `draftPolicy` over the same incidents,
 * settings, targets, range and `asOf`. Windows do not depend on the policy, so an
 * incident's contributions change exactly when its reason does; `changes` lists those.
 */
export function compareHere(input: EvaluationInput, draftPolicy: Policy): WhatIfResult {
  const current = runCore(input);
  const draft = runCore({ ...input, policy: draftPolicy });
  const quarters = current.quarters.map((q, i) => {
    const c = figures(current, i);
    const d = figures(draft, i);
    return { quarter: q.id, current: c, draft: d, deltaHours: d.hours - c.hours };
  });
  const changes: WhatIfChange[] = [];
  for (let k = 0; k < input.incidents.length; k++) {
    if (current.reasons[k] !== draft.reasons[k]) changes.push({ id: input.incidents[k].id, before: verdict(current, k), after: verdict(draft, k) });
  }
  return { quarters, changes };
}
