import "server-only";
import type { Db } from "@/db/client";
import type { EngineIncident } from "@/lib/metric/types";
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
 * Every incident with its curation as the engine reads it, ordered by id (see
 * metric-input-row.ts for the mapping), optionally filtered (case-insensitive). Served from
 * the in-memory store (incident-store.ts), so the array and its objects are frozen and
 * shared: copy before changing anything.
 */
export function loadEngineIncidents(db: Db, filter: IncidentFilter = {}): readonly EngineIncident[] {
  const all = engineIncidentSnapshot(db);
  const services = lowerSet(filter.services);
  const deploySystems = lowerSet(filter.deploySystems);
  if (!services && !deploySystems) return all;
  return all.filter((inc) => {
    if (deploySystems && (inc.deploySystem == null || !deploySystems.has(inc.deploySystem.trim().toLowerCase()))) return false;
    return !services || inc.services.some((s) => services.has(s.trim().toLowerCase()));
  });
}

/** Epoch ms of the earliest effective impact start, or null with no incidents. */
export function earliestIncidentStart(db: Db): number | null {
  const row = db.$client
    .prepare("SELECT MIN(COALESCE(c.impact_start, i.started_at)) AS t FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id")
    .get() as { t: number | null } | undefined;
  return row?.t ?? null;
}
