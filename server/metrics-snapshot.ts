import "server-only";
import type { Db } from "@/db/client";
import { ValidationError } from "@/lib/api/errors";
import { effectiveWindow } from "@/lib/metric/intervals";
import type { EngineIncident, IncidentResult, QuarterResult } from "@/lib/metric/types";
import { dataFingerprint } from "@/db/queries/dashboard-reads";
import { DASHBOARD_CACHE_MS, loadDashboardCached } from "./dashboard/data";
import { loadMetricInput } from "./metrics";
import { evaluate } from "@/lib/metric/evaluate";

/**
 * One evaluation as the metrics API serves it: the figures, every incident's verdict and
 * the engine input they came from (parallel arrays, input order = incident id order).
 * Shared between requests: never change it.
 */
export interface MetricsSnapshot {
  /** The evaluation instant, epoch ms. */
  asOf: number;
  range: { from: string; to: string };
  quarters: readonly QuarterResult[];
  verdicts: readonly IncidentResult[];
  incidents: readonly EngineIncident[];
}

/** A quarter's figures without the list of counted incidents (`countedIncidents` is its length). */
export type QuarterFigures = Omit<QuarterResult, "countedIncidentIds"> & { countedIncidents: number };

const ENTRIES = 8;
type Entry = { fingerprint: string; from?: string; to?: string; at: number; snapshot: MetricsSnapshot };
const holder = globalThis as unknown as { __deploySafetyMetricsCache?: WeakMap<Db, Entry[]>; __deploySafetyMetricsFromDashboard?: WeakMap<object, MetricsSnapshot> };

/**
 * The evaluation for `GET /api/metrics/quarters`, computed once per database state:
 *
 * - without asOf, from and to it is the dashboard's own cached pass (`loadDashboardCached`:
 *   the same engine input, and `analysis.evaluation` is exactly what `evaluate` returns), so
 *   the page and the API share one engine run per change, and `asOf` is when it ran (at most
 *   DASHBOARD_CACHE_MS ago);
 * - otherwise the last few evaluations are kept per (from, to) while what they read is unchanged (`dataFingerprint`):
 *   an explicit asOf must match exactly, no asOf takes one computed "now" within
 *   DASHBOARD_CACHE_MS.
 *
 * The engine is synchronous, so two requests in one server can never compute the same entry
 * at once: the second finds the first's. Throws ValidationError (422) for bad quarters or a
 * reversed range.
 */
export function loadMetricsSnapshot(db: Db, opts: { asOf?: number; from?: string; to?: string; now?: number } = {}): MetricsSnapshot {
  const now = opts.now ?? Date.now();
  if (opts.asOf === undefined && opts.from === undefined && opts.to === undefined) {
    const data = loadDashboardCached(db, { now });
    const shared = (holder.__deploySafetyMetricsFromDashboard ??= new WeakMap());
    let snap = shared.get(data);
    if (!snap) {
      const quarters = data.analysis.evaluation.quarters;
      snap = {
        asOf: data.asOf,
        range: { from: quarters[0]?.quarter ?? "", to: quarters.at(-1)?.quarter ?? "" },
        quarters,
        verdicts: data.analysis.evaluation.incidents,
        incidents: data.incidents,
      };
      shared.set(data, snap);
    }
    return snap;
  }
  const fingerprint = dataFingerprint(db);
  const caches = (holder.__deploySafetyMetricsCache ??= new WeakMap());
  const cache = (caches.get(db) ?? []).filter((e) => e.fingerprint === fingerprint);
  const hit = cache.find(
    (e) =>
      e.from === opts.from &&
      e.to === opts.to &&
      (opts.asOf !== undefined ? e.snapshot.asOf === opts.asOf : e.snapshot.asOf === e.at && now - e.at >= 0 && now - e.at < DASHBOARD_CACHE_MS),
  );
  if (hit) return hit.snapshot;
  const asOf = opts.asOf ?? now;
  const input = loadMetricInput(db, { asOf, from: opts.from, to: opts.to });
  const result = evaluate(input);
  const snapshot: MetricsSnapshot = { asOf, range: input.range, quarters: result.quarters, verdicts: result.incidents, incidents: input.incidents };
  caches.set(db, [{ fingerprint, from: opts.from, to: opts.to, at: now, snapshot }, ...cache].slice(0, ENTRIES));
  return snapshot;
}

/** The quarters as the API answers them by default: figures, and how many incidents count, not which. */
export function quarterFigures(quarters: readonly QuarterResult[]): QuarterFigures[] {
  return quarters.map(({ countedIncidentIds, ...q }) => ({ ...q, countedIncidents: countedIncidentIds.length }));
}

export interface VerdictPage {
  items: IncidentResult[];
  /** Verdicts matching the filters, over all pages. */
  total: number;
  /** The last id of this page when more follow, else null. */
  nextCursor: string | null;
}

/**
 * One page of verdicts in incident id order, after the incident id `after` (the previous
 * page's cursor). `quarter` keeps the incidents whose effective window overlaps it (as
 * `countedIncidentIds` does); `counted` keeps counted or uncounted ones. A cursor stays
 * valid while incidents are added or removed: the next page starts after that id.
 */
export function pageVerdicts(snap: MetricsSnapshot, opts: { limit: number; after?: number; quarter?: string; counted?: boolean }): VerdictPage {
  let lo = -Infinity;
  let hi = Infinity;
  if (opts.quarter !== undefined) {
    const q = snap.quarters.find((x) => x.quarter === opts.quarter);
    if (!q) {
      throw new ValidationError("quarter is outside the range", [{ field: "quarter", message: `${opts.quarter} is not between ${snap.range.from} and ${snap.range.to}` }]);
    }
    lo = Date.parse(q.start);
    hi = Date.parse(q.end);
  }
  const after = opts.after ?? 0;
  const items: IncidentResult[] = [];
  let total = 0;
  let more = false;
  for (let k = 0; k < snap.verdicts.length; k++) {
    const v = snap.verdicts[k];
    if (opts.counted !== undefined && v.counted !== opts.counted) continue;
    if (opts.quarter !== undefined) {
      const w = effectiveWindow(snap.incidents[k], snap.asOf);
      // A non-empty intersection with [lo, hi), as the engine counts overlap.
      if (!(Math.min(w.end, hi) > Math.max(w.start, lo))) continue;
    }
    total++;
    if (Number(v.id) <= after) continue;
    if (items.length < opts.limit) items.push(v);
    else more = true;
  }
  return { items, total, nextCursor: more ? items[items.length - 1].id : null };
}
