/**
 * Half-open windows [start, end) in epoch ms, split at quarter boundaries.
 * Quarter boundaries come as a Float64Array `bounds` of length n+1 where
 * quarter i is [bounds[i], bounds[i+1]).
 */
import type { EngineIncident } from "./types";

export const HOUR_MS = 3_600_000;

/**
 * Effective window: [impactStart ?? startedAt, impactEnd ?? resolvedAt ?? asOf).
 * An ongoing incident runs to `asOf`. An end before the start (an ongoing incident
 * that starts after `asOf`, or bad data that slipped past import) is clamped to an
 * empty window at the start, so hours are never negative.
 */
export function effectiveWindow(incident: EngineIncident, asOf: number): { start: number; end: number } {
  const start = incident.impactStart ?? incident.startedAt;
  const end = incident.impactEnd ?? incident.resolvedAt ?? asOf;
  return { start, end: end < start ? start : end };
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
