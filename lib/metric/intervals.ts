/**
 * Half-open windows [start, end) in epoch ms, split at quarter boundaries.
 * Quarter boundaries come as a Float64Array `bounds` of length n+1 where
 * quarter i is [bounds[i], bounds[i+1]).
 */

/** One hour in ms: the unit every figure is reported in. The only definition; import it. */
export const HOUR_MS = 3_600_000;

/**
 * The times that place an incident's window: epoch ms in the engine, a stored row or a
 * draft; `T` is a string where the edge still holds ISO-8601 (case files).
 */
export interface WindowTimes<T = number> {
  startedAt: T;
  resolvedAt: T | null;
  impactStart?: T | null;
  impactEnd?: T | null;
}

/**
 * The impact window as recorded: `start` is impactStart ?? startedAt, `end` is
 * impactEnd ?? resolvedAt, null while the incident is ongoing. Not clamped: an end before
 * the start is returned as it is, for callers that report it (the incident page, case files).
 */
export function impactWindow<T>(incident: WindowTimes<T>): { start: T; end: T | null } {
  return { start: incident.impactStart ?? incident.startedAt, end: incident.impactEnd ?? incident.resolvedAt };
}

/**
 * Effective window: [impactStart ?? startedAt, impactEnd ?? resolvedAt ?? asOf).
 * An ongoing incident runs to `asOf`. An end before the start (an ongoing incident
 * that starts after `asOf`, or bad data that slipped past import) is clamped to an
 * empty window at the start, so hours are never negative.
 */
export function effectiveWindow(incident: WindowTimes, asOf: number): { start: number; end: number } {
  const { start, end: recorded } = impactWindow(incident);
  const end = recorded ?? asOf;
  return { start, end: end < start ? start : end };
}

/** Length of the effective window in ms (never negative); what the medium rule's duration reads. */
export function effectiveDurationMs(incident: WindowTimes, asOf: number): number {
  const { start, end } = effectiveWindow(incident, asOf);
  return end - start;
}

/** Index of the first quarter whose end is after `t` (may be n when none is). Binary search. */
export function firstQuarterEndingAfter(bounds: Float64Array, t: number): number {
  let lo = 0;
  let hi = bounds.length - 1; // number of quarters
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid + 1] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Calls `visit(i, ms)` for every quarter i the window [start, end) overlaps with a
 * non-empty intersection, `ms` being the intersection's length. An empty window
 * overlaps nothing; an incident ending exactly at a quarter's start does not overlap it.
 */
export function forEachOverlap(
  bounds: Float64Array,
  start: number,
  end: number,
  visit: (quarter: number, ms: number) => void,
): void {
  const n = bounds.length - 1;
  if (n <= 0 || end <= start || end <= bounds[0] || start >= bounds[n]) return;
  for (let i = firstQuarterEndingAfter(bounds, start); i < n && bounds[i] < end; i++) {
    const s = start > bounds[i] ? start : bounds[i];
    const e = end < bounds[i + 1] ? end : bounds[i + 1];
    if (e > s) visit(i, e - s);
  }
}

/** Adds the window's overlap with each quarter, in ms, into `acc[i]`. */
export function addSplit(bounds: Float64Array, start: number, end: number, acc: Float64Array): void {
  const n = bounds.length - 1;
  if (n <= 0 || end <= start || end <= bounds[0] || start >= bounds[n]) return;
  for (let i = firstQuarterEndingAfter(bounds, start); i < n && bounds[i] < end; i++) {
    const s = start > bounds[i] ? start : bounds[i];
    const e = end < bounds[i + 1] ? end : bounds[i + 1];
    if (e > s) acc[i] += e - s;
  }
}

/**
 * Union of the windows of the selected items, added per quarter into `acc` (ms):
 * each instant counts once however many windows cover it. `starts`/`ends` are
 * per-item; `selected[k]` non-zero picks item k.
 */
export function addUnion(
  bounds: Float64Array,
  starts: Float64Array,
  ends: Float64Array,
  selected: Uint8Array,
  acc: Float64Array,
): void {
  let count = 0;
  for (let k = 0; k < selected.length; k++) if (selected[k] && ends[k] > starts[k]) count++;
  const order = new Uint32Array(count);
  let j = 0;
  for (let k = 0; k < selected.length; k++) if (selected[k] && ends[k] > starts[k]) order[j++] = k;
  order.sort((a, b) => starts[a] - starts[b]);
  let curStart = NaN;
  let curEnd = NaN;
  for (let m = 0; m < count; m++) {
    const k = order[m];
    const s = starts[k];
    const e = ends[k];
    if (s > curEnd || Number.isNaN(curEnd)) {
      if (!Number.isNaN(curEnd)) addSplit(bounds, curStart, curEnd, acc);
      curStart = s;
      curEnd = e;
    } else if (e > curEnd) {
      curEnd = e;
    }
  }
  if (!Number.isNaN(curEnd)) addSplit(bounds, curStart, curEnd, acc);
}
