import "server-only";
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { and, desc, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploySystems, incidents, quarterClosures, services } from "@/db/schema";
import { analyze, BLIP_THRESHOLDS_MINUTES, hoursAtMinDuration } from "@/lib/metric/analyze";
import { runCore, type CoreRun } from "@/lib/metric/core";
import { HOUR_MS } from "@/lib/metric/intervals";
import { compareHere, type WhatIfResult } from "@/lib/metric/what-if";
import type { Analysis } from "@/lib/metric/analysis-types";
import type { EngineIncident, Policy, Settings } from "@/lib/metric/types";
import type { FrozenFigure } from "@/lib/charts/headline";
import type { ProjectDelivery } from "@/db/queries/projects";
import { loadMetricInput } from "../metrics";
import type { IncidentFilter } from "@/db/queries/metric-input";
import { listProjectDeliveries } from "@/db/queries/projects";

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

// What the figures read, each read cheaply: the incident change log's head and the newest
// incident id (migration 0002: updates and deletes of incidents and curation are logged, new
// incidents get ever-growing ids), the newest incident's curation version (a curation row
// added to the newest incident is not logged), and the small configuration tables whole or
// by their append-only ids. Sessions, tokens, audit rows and rate limits are not in it, so
// a sign-in or a token's last-use stamp keeps the figures.
const FINGERPRINT_SQL = `SELECT
  (SELECT coalesce(max(seq), 0) FROM incident_changes),
  (SELECT coalesce(max(id), 0) FROM incidents),
  (SELECT version || ':' || updated_at FROM incident_curation WHERE incident_id = (SELECT max(id) FROM incidents)),
  (SELECT fiscal_year_start_month || '|' || timezone || '|' || fiscal_year_label || '|' || maturity_days FROM settings WHERE id = 1),
  (SELECT max(id) FROM policy_versions),
  (SELECT max(id) FROM quarter_targets),
  (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || count(reopened_at) || ':' || coalesce(max(reopened_at), 0) FROM quarter_closures),
  (SELECT group_concat(slug || '|' || name || '|' || status || '|' || coalesce(delivered_on, '') || '|' || lag_min_months || '|' || lag_max_months, char(30)) FROM projects),
  (SELECT group_concat(name, char(30)) FROM services),
  (SELECT group_concat(name, char(30)) FROM deploy_systems)`;
const fingerprintStmts = new WeakMap<Db, Database.Statement<[], unknown[]>>();

/**
 * Changes whenever something the dashboard's figures read is committed, by this connection
 * or any other (the CLI, the import worker, another process); stays put for writes the
 * figures don't read (sessions, API token stamps, audit rows, rate limits).
 */
export function dataFingerprint(db: Db): string {
  let stmt = fingerprintStmts.get(db);
  if (!stmt) fingerprintStmts.set(db, (stmt = db.$client.prepare<[], unknown[]>(FINGERPRINT_SQL).raw(true)));
  const row = stmt.get();
  return createHash("sha1").update(JSON.stringify(row)).digest("base64url");
}

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

/** The newest audit row's id (0 when none). */
export function auditHead(db: Db): number {
  return (db.$client.prepare("SELECT coalesce(max(id), 0) AS n FROM audit_log").get() as { n: number }).n;
}

/** True when `actorLabel` has an audit row newer than `afterId` (audit_actor_idx: one index probe). */
export function wroteAfter(db: Db, actorLabel: string, afterId: number): boolean {
  return db.$client.prepare("SELECT 1 FROM audit_log WHERE actor_label = ? AND id > ? LIMIT 1").get(actorLabel, afterId) !== undefined;
}

export function countAllIncidents(db: Db): number {
  const row = db.$client.prepare("SELECT count(*) AS n FROM incidents").get() as { n: number };
  return row.n;
}

/** The figure in force for each closed quarter (newest closure, not reopened). */
export function listActiveClosureFigures(db: Db): FrozenFigure[] {
  const rows = db
    .select({ id: quarterClosures.id, quarter: quarterClosures.quarter, hours: quarterClosures.hours, target: quarterClosures.target })
    .from(quarterClosures)
    .where(isNull(quarterClosures.reopenedAt))
    .orderBy(desc(quarterClosures.id))
    .all();
  const seen = new Set<string>();
  const out: FrozenFigure[] = [];
  for (const r of rows) {
    if (seen.has(r.quarter)) continue;
    seen.add(r.quarter);
    out.push({ quarter: r.quarter, hours: r.hours, target: r.target });
  }
  return out;
}

/**
 * Services and deploy systems to filter by: the catalogue plus any deploy system
 * engineers tagged that the catalogue lacks (an indexed DISTINCT, cheap at 100k rows).
 */
export function listFilterOptions(db: Db): { services: string[]; deploySystems: string[] } {
  const svc = db.select({ name: services.name }).from(services).all().map((r) => r.name);
  const ds = new Set(db.select({ name: deploySystems.name }).from(deploySystems).all().map((r) => r.name));
  for (const r of db.$client.prepare("SELECT DISTINCT deploy_system AS d FROM incident_curation WHERE deploy_system IS NOT NULL").all() as { d: string }[]) ds.add(r.d);
  const sort = (a: string, b: string) => a.localeCompare(b);
  return { services: [...new Set(svc)].sort(sort), deploySystems: [...ds].sort(sort) };
}

export interface IncidentSummary {
  id: string;
  source: string;
  sourceId: string;
  title: string;
  severity: string;
}

/** Titles and source ids for a drill-down's incidents (engine ids are String(incidents.id)). */
export function incidentSummaries(db: Db, ids: readonly string[]): Map<string, IncidentSummary> {
  const out = new Map<string, IncidentSummary>();
  const nums = [...new Set(ids.map(Number).filter(Number.isSafeInteger))];
  for (let k = 0; k < nums.length; k += 500) {
    const rows = db
      .select({ id: incidents.id, source: incidents.source, sourceId: incidents.sourceId, title: incidents.title, severity: incidents.severity })
      .from(incidents)
      .where(and(inArray(incidents.id, nums.slice(k, k + 500))))
      .all();
    for (const r of rows) out.set(String(r.id), { ...r, id: String(r.id) });
  }
  return out;
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
