/**
 * Restatement: a closed quarter's frozen figure against what the data says now.
 */
import type { Analysis } from "./analysis-types";

/** One counted incident's frozen contribution at closing time. */
export interface FrozenContribution {
  incidentId: string;
  hours: number;
  reason: string;
}

/** What closing a quarter froze. */
export interface ClosureSnapshot {
  quarter: string;
  hours: number;
  contributions: FrozenContribution[];
}

export interface MovedIncident {
  id: string;
  /** Hours it contributed at closing / now (0 when not counted). */
  before: number;
  after: number;
  /** Reason at closing (null when it was not counted then) / now (null when the incident no longer exists). */
  reasonBefore: string | null;
  reasonAfter: string | null;
}

export interface Restatement {
  quarter: string;
  /** The frozen figure. */
  reported: number;
  /** The figure today. */
  now: number;
  /** now − reported. */
  delta: number;
  /** Incidents whose contribution to the quarter changed, largest change first. */
  moved: MovedIncident[];
}

const EPS = 1e-9;

/**
 * Compares a closure snapshot with the current analysis (whose range must include
 * the snapshot's quarter; throws otherwise). An incident "moved" when its
 * contribution to the quarter changed by more than 1e-9 h: it started or stopped
 * counting, or its window changed.
 */
export function computeRestatement(snapshot: ClosureSnapshot, analysis: Analysis): Restatement {
  const q = analysis.quarters.find((x) => x.quarter === snapshot.quarter);
  if (!q) throw new Error(`the analysis does not cover ${snapshot.quarter}`);
  const before = new Map<string, FrozenContribution>();
  for (const c of snapshot.contributions) before.set(c.incidentId, c);
  const after = new Map<string, { hours: number; reason: string }>();
  const reasonNow = new Map<string, string>();
  for (const inc of analysis.incidents) {
    if (before.has(inc.id)) reasonNow.set(inc.id, inc.reason);
    for (const share of inc.contributions) {
      if (share.quarter === snapshot.quarter) after.set(inc.id, { hours: share.hours, reason: inc.reason });
    }
  }
  const moved: MovedIncident[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(id);
    const a = after.get(id);
    const hb = b?.hours ?? 0;
    const ha = a?.hours ?? 0;
    if (Math.abs(ha - hb) <= EPS) continue;
    moved.push({ id, before: hb, after: ha, reasonBefore: b?.reason ?? null, reasonAfter: a?.reason ?? reasonNow.get(id) ?? null });
  }
  moved.sort((x, y) => Math.abs(y.after - y.before) - Math.abs(x.after - x.before) || (x.id < y.id ? -1 : 1));
  return { quarter: snapshot.quarter, reported: snapshot.hours, now: q.hours, delta: q.hours - snapshot.hours, moved };
}
