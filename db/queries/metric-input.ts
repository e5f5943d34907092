import "server-only";
import type { Db } from "@/db/client";
import { partitionByTimeBounds, type ExcludedIncident, type TimeBounds } from "@/lib/metric/time-bounds";
import type { EngineIncident } from "@/lib/metric/types";
import { timeBounds } from "@/lib/validation/time-bounds";
import { engineIncidentSnapshot } from "./incident-store";

export interface IncidentFilter {
  /** Keep incidents whose curated services include any of these (case-insensitive). */
  services?: string[];
  /** Keep incidents whose deploy system is one of these (case-insensitive). */
  deploySystems?: string[];
}

function lowerSet(values: string[] | undefined): Set<string> | null {
  return values && values.length ? new Set(values.map((v) => v.trim().toLowerCase())) : null;
}

/**
 * The stored incidents split by the bounds on time in force now (TIME_MIN and
 * TIME_MAX_FUTURE_HOURS after the clock): a row that reached the database with a time out
 * of bounds (SQL, an old database, a clock change) is left out of every figure and listed
 * in `excluded`, so it can never break the calendar for everyone. `kept` is the snapshot
 * itself when nothing is out of bounds.
 */
export function partitionStoredIncidents(db: Db, bounds: TimeBounds = storedRowBounds()): { kept: readonly EngineIncident[]; excluded: ExcludedIncident[] } {
  const all = engineIncidentSnapshot(db);
  const hit = partitions.get(all);
  if (hit && hit.min === bounds.min && hit.max === bounds.max) return hit.result;
  const result = partitionByTimeBounds(all, bounds);
  partitions.set(all, { min: bounds.min, max: bounds.max, result });
  return result;
}

type Partition = { kept: readonly EngineIncident[]; excluded: ExcludedIncident[] };
/** Per snapshot (a new array after every change): one render asks for the split more than once. */
const partitions = new WeakMap<readonly EngineIncident[], { min: number; max: number; result: Partition }>();

/** The bounds for stored rows, "now" taken to the minute so repeated asks within it share one split. */
export function storedRowBounds(): TimeBounds {
  return timeBounds(Math.floor(Date.now() / 60_000) * 60_000);
}

/**
 * Every incident with its curation as the engine reads it, ordered by id (see
 * metric-input-row.ts for the mapping), optionally filtered (case-insensitive); incidents
 * with a time out of bounds are left out (see partitionStoredIncidents). Served from the
 * in-memory store (incident-store.ts), so the array and its objects are frozen and shared:
 * copy before changing anything.
 */
export function loadEngineIncidents(db: Db, filter: IncidentFilter = {}): readonly EngineIncident[] {
  const all = partitionStoredIncidents(db).kept;
  const services = lowerSet(filter.services);
  const deploySystems = lowerSet(filter.deploySystems);
  if (!services && !deploySystems) return all;
  return all.filter((inc) => {
    if (deploySystems && (inc.deploySystem == null || !deploySystems.has(inc.deploySystem.trim().toLowerCase()))) return false;
    return !services || inc.services.some((s) => services.has(s.trim().toLowerCase()));
  });
}

/**
 * Epoch ms of the earliest effective impact start within the bounds on time (an
 * out-of-bounds start never widens the range of quarters), or null with no such incident.
 */
export function earliestIncidentStart(db: Db, bounds: TimeBounds = storedRowBounds()): number | null {
  const row = db.$client
    .prepare(
      `SELECT MIN(t) AS t FROM (SELECT COALESCE(c.impact_start, i.started_at) AS t FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id)
       WHERE t >= ? AND t <= ?`,
    )
    .get(bounds.min, bounds.max) as { t: number | null } | undefined;
  return row?.t ?? null;
}

/** An incident left out of the figures, with what a person needs to find and fix it. */
export interface ExcludedIncidentRow extends ExcludedIncident {
  title: string;
  source: string;
  sourceId: string;
}

/**
 * The incidents left out of every figure because a time is out of bounds, oldest id
 * first: the first `limit` with their titles, and how many there are in all.
 */
export function listTimeExcludedIncidents(db: Db, opts: { limit?: number; bounds?: TimeBounds } = {}): { total: number; rows: ExcludedIncidentRow[] } {
  const { excluded } = partitionStoredIncidents(db, opts.bounds);
  const shown = excluded.slice(0, opts.limit ?? 50);
  if (!shown.length) return { total: excluded.length, rows: [] };
  const stmt = db.$client.prepare(`SELECT id, title, source, source_id AS sourceId FROM incidents WHERE id IN (${shown.map(() => "?").join(",")})`);
  const byId = new Map((stmt.all(...shown.map((e) => Number(e.id))) as { id: number; title: string; source: string; sourceId: string }[]).map((r) => [String(r.id), r]));
  const rows = shown.map((e) => {
    const r = byId.get(e.id);
    return { ...e, title: r?.title ?? "", source: r?.source ?? "", sourceId: r?.sourceId ?? "" };
  });
  return { total: excluded.length, rows };
}
