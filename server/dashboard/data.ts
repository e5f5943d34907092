import "server-only";
import type { Db } from "@/db/client";
import { countAllIncidents, dataFingerprint, incidentSummaries, listActiveClosureFigures, listFilterOptions, type IncidentSummary } from "@/db/queries/dashboard-reads";
import type { IncidentFilter } from "@/db/queries/metric-input";
import { listProjectDeliveries } from "@/db/queries/projects";
import { analyze, BLIP_THRESHOLDS_MINUTES, hoursAtMinDuration } from "@/lib/metric/analyze";
import { runCore, type CoreRun } from "@/lib/metric/core";
import { HOUR_MS } from "@/lib/metric/intervals";
import { compareHere, type WhatIfResult } from "@/lib/metric/what-if";
import type { Analysis } from "@/lib/metric/analysis-types";
import type { EngineIncident, Policy, Settings } from "@/lib/metric/types";
import type { ProjectDelivery } from "@/lib/validation/project";
import type { FrozenFigure } from "@/lib/charts/headline";
import { loadMetricInput } from "../metrics";

export interface DashboardData {
  asOf: number;
  settings: Settings;
  /** Incidents in the database, before filters (0 → the empty state). */
  totalIncidents: number;
  /** The engine's input incidents (filtered), parallel to analysis.incidents. */
  incidents: readonly EngineIncident[];
  analysis: Analysis;
  projects: ProjectDelivery[];
  /** Frozen figures of closed quarters; empty while a filter is on (they were frozen unfiltered). */
  closures: FrozenFigure[];
  filterOptions: { services: string[]; deploySystems: string[] };
}

/**
 * Everything the dashboard draws, from one engine pass over the stored data. The
 * range runs from the earliest incident's quarter to the quarter holding `asOf`
 * (default: now).
 */
export function loadDashboard(db: Db, opts: { asOf?: number; filter?: IncidentFilter } = {}): DashboardData {
  const filter = opts.filter ?? {};
  const asOf = opts.asOf ?? Date.now();
  const input = loadMetricInput(db, { asOf, filter });
  const analysis = analyze(input);
  const filtered = (filter.services?.length ?? 0) > 0 || (filter.deploySystems?.length ?? 0) > 0;
  return {
    asOf,
    settings: input.settings,
    totalIncidents: countAllIncidents(db),
    incidents: input.incidents,
    analysis,
    projects: listProjectDeliveries(db),
    closures: filtered ? [] : listActiveClosureFigures(db),
    filterOptions: listFilterOptions(db),
  };
}

/** How long a computed dashboard is reused while nothing in the database changes. */
export const DASHBOARD_CACHE_MS = 60_000;
const CACHE_ENTRIES = 3;
type CacheEntry = { key: string; at: number; data: DashboardData };
// Per database handle, so two databases in one process (tests, scripts) never share figures.
const cacheHolder = globalThis as unknown as { __deploySafetyDashboardCache?: WeakMap<Db, CacheEntry[]> };

/**
 * `loadDashboard`, reused for up to DASHBOARD_CACHE_MS while what it reads is unchanged
 * (`dataFingerprint`: a committed write to the figures' tables, from the app or elsewhere,
 * invalidates it), so a team opening the
 * dashboard together doesn't repeat the engine pass. The returned `asOf` is the instant
 * the figures were computed; the page shows it.
 */
export function loadDashboardCached(db: Db, opts: { filter?: IncidentFilter; now?: number } = {}): DashboardData {
  const now = opts.now ?? Date.now();
  const f = opts.filter ?? {};
  const norm = (xs?: string[]) => [...new Set((xs ?? []).map((x) => x.trim().toLowerCase()))].sort();
  const key = `${dataFingerprint(db)}|${JSON.stringify([norm(f.services), norm(f.deploySystems)])}`;
  const caches = (cacheHolder.__deploySafetyDashboardCache ??= new WeakMap());
  const cache = caches.get(db) ?? [];
  const hit = cache.find((e) => e.key === key && now - e.at >= 0 && now - e.at < DASHBOARD_CACHE_MS);
  if (hit) return hit.data;
  const data = loadDashboard(db, { asOf: now, filter: f });
  // Drop stale entries of the old data version and keep the newest few.
  const fresh = cache.filter((e) => e.key.split("|")[0] === key.split("|")[0] && now - e.at < DASHBOARD_CACHE_MS && e.key !== key);
  caches.set(db, [{ key, at: now, data }, ...fresh].slice(0, CACHE_ENTRIES));
  return data;
}

/**
 * Computes the unfiltered dashboard on the next tick, so the next view is served from memory:
 * used after a server start and after an import, when the incidents must be read whole (about
 * a second at 100k). Errors are logged, never thrown: the page computes it again anyway.
 */
export function warmDashboard(db: Db): void {
  setTimeout(() => {
    try {
      loadDashboardCached(db);
    } catch (err) {
      console.error("dashboard warm-up failed:", err);
    }
  }, 0).unref();
}

export interface WhatIfPreview extends WhatIfResult {
  /** Draft policy's hours per quarter at each blip threshold (minutes → hours). */
  draftBlip: Array<{ quarter: string; points: Array<{ minDurationMinutes: number; hours: number }> }>;
  /** The current policy's, for comparison. */
  currentBlip: Array<{ quarter: string; points: Array<{ minDurationMinutes: number; hours: number }> }>;
  /** Titles of the changed incidents shown (the first `limit`). */
  summaries: Record<string, IncidentSummary>;
  /** Changes beyond `limit` are counted here, not listed. */
  moreChanges: number;
}

function blipTable(run: CoreRun) {
  const per = BLIP_THRESHOLDS_MINUTES.map((m) => hoursAtMinDuration(run, m));
  return run.quarters.map((q, i) => ({ quarter: q.id, points: BLIP_THRESHOLDS_MINUTES.map((m, j) => ({ minDurationMinutes: m, hours: per[j][i] / HOUR_MS })) }));
}

/**
 * The policy editor's preview: current policy vs `draft` over the stored incidents
 * (same settings, targets, range, asOf), with both policies' blip-threshold
 * sensitivity and the incidents whose counting changes (first `limit`, with titles).
 * `draft` must already be validated (policySchema).
 */
export function previewPolicy(db: Db, draft: Policy, opts: { asOf?: number; limit?: number } = {}): WhatIfPreview {
  const input = loadMetricInput(db, { asOf: opts.asOf ?? Date.now() });
  const result = compareHere(input, draft);
  const limit = opts.limit ?? 200;
  const shown = result.changes.slice(0, limit);
  const summaries = Object.fromEntries(incidentSummaries(db, shown.map((c) => c.id)));
  return {
    quarters: result.quarters,
    changes: shown,
    moreChanges: result.changes.length - shown.length,
    draftBlip: blipTable(runCore({ ...input, policy: draft })),
    currentBlip: blipTable(runCore(input)),
    summaries,
  };
}
