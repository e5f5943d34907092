import "server-only";
import type { Db } from "@/db/client";
import type { AnalysisStatus, EngineIncident, Override, Trigger } from "@/lib/metric/types";

export interface IncidentFilter {
  /** Keep incidents whose curated services include any of these (case-insensitive). */
  services?: string[];
  /** Keep incidents whose deploy system is one of these (case-insensitive). */
  deploySystems?: string[];
}

// A raw prepared statement returning arrays: no per-row objects from the driver and
// no drizzle mapping, which matters at 100k+ rows. Incidents without a curation row get
// the curation defaults (unknown trigger, pending analysis).
const SQL = `
SELECT i.id, i.severity, i.started_at, i.resolved_at,
       c.trigger, c.impact_start, c.impact_end, c.customer_impact_pct,
       c.affected_features, c.services, c.override, c.analysis_status,
       c.deploy_system, c.change_type, c.remediation, c.detected_at,
       c.mitigated_at, c.fleet_exposure_pct, c.duplicate_of_id
FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id
ORDER BY i.id`;

/** Shared by every incident with an empty list; frozen so a stray push throws instead of leaking. */
const EMPTY: string[] = Object.freeze([]) as unknown as string[];

function jsonList(text: unknown): string[] {
  if (typeof text !== "string" || text.length <= 2) return EMPTY;
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return EMPTY;
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== "string") return v.map(String);
    return v as string[];
  } catch {
    return EMPTY;
  }
}

function lowerSet(values: string[] | undefined): Set<string> | null {
  return values && values.length ? new Set(values.map((v) => v.trim().toLowerCase())) : null;
}

/**
 * Every incident with its curation as EngineIncident[]: `id` = String(incidents.id)
 * (the internal id `cli export incidents` prints), `duplicateOf` = String(duplicate_of_id).
 * Instants stay epoch ms. Filters are optional and case-insensitive.
 */
export function loadEngineIncidents(db: Db, filter: IncidentFilter = {}): EngineIncident[] {
  const services = lowerSet(filter.services);
  const deploySystems = lowerSet(filter.deploySystems);
  const stmt = db.$client.prepare(SQL).raw(true);
  const out: EngineIncident[] = [];
  for (const r of stmt.iterate() as Iterable<unknown[]>) {
    const deploySystem = r[12] as string | null;
    if (deploySystems && (deploySystem == null || !deploySystems.has(deploySystem.trim().toLowerCase()))) continue;
    const svc = jsonList(r[9]);
    if (services && !svc.some((s) => services.has(s.trim().toLowerCase()))) continue;
    out.push({
      id: String(r[0]),
      severity: r[1] as string,
      startedAt: r[2] as number,
      resolvedAt: r[3] as number | null,
      trigger: ((r[4] as Trigger | null) ?? "unknown") as Trigger,
      impactStart: r[5] as number | null,
      impactEnd: r[6] as number | null,
      customerImpactPct: r[7] as number | null,
      affectedFeatures: jsonList(r[8]),
      services: svc,
      override: r[10] as Override | null,
      analysisStatus: ((r[11] as AnalysisStatus | null) ?? "pending") as AnalysisStatus,
      deploySystem,
      changeType: r[13] as string | null,
      remediation: r[14] as string | null,
      detectedAt: r[15] as number | null,
      mitigatedAt: r[16] as number | null,
      fleetExposurePct: r[17] as number | null,
      duplicateOf: r[18] == null ? null : String(r[18]),
    });
  }
  return out;
}

/** Epoch ms of the earliest effective impact start, or null with no incidents. */
export function earliestIncidentStart(db: Db): number | null {
  const row = db.$client
    .prepare("SELECT MIN(COALESCE(c.impact_start, i.started_at)) AS t FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id")
    .get() as { t: number | null } | undefined;
  return row?.t ?? null;
}
