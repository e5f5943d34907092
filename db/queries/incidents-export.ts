import "server-only";
import type { Db } from "@/db/client";
import type { StoredIncidentExport } from "@/lib/export/incidents";
import { storedStringRecord } from "@/lib/json/bounded";

/**
 * Every field of one incident, source-owned and curated, as `cli export incidents` prints it
 * (fit for re-import: no review metadata). Instants are ISO-8601 UTC.
 */
export type ExportedIncident = Omit<StoredIncidentExport, "linkedDeployId" | "reviewedAt" | "reviewedBy">;

export const EXPORT_COLUMNS: readonly (keyof ExportedIncident)[] = [
  "id", "source", "sourceId", "title", "description", "severity", "status", "startedAt", "resolvedAt", "url", "sourceServices",
  "trigger", "changeType", "deploySystem", "services", "affectedFeatures", "customerImpactPct", "impactStart", "impactEnd",
  "detectedAt", "mitigatedAt", "remediation", "fleetExposurePct", "analysisStatus", "override", "overrideReason", "duplicateOfId",
  "projects", "customFields", "isDemo", "importBatchId", "createdAt", "updatedAt",
];

const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString());

function json<T>(text: unknown, fallback: T): T {
  if (typeof text !== "string" || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Everything stored about an incident: its source fields, curation and project attribution. */
const SELECT_STORED = `
  SELECT i.id, i.source, i.source_id, i.title, i.description, i.severity, i.status, i.started_at, i.resolved_at, i.url,
         i.source_services, i.custom_fields, i.is_demo, i.import_batch_id, i.created_at, i.updated_at,
         c."trigger", c.change_type, c.deploy_system, c.services, c.affected_features, c.customer_impact_pct, c.impact_start,
         c.impact_end, c.detected_at, c.mitigated_at, c.remediation, c.fleet_exposure_pct, c.analysis_status, c.override,
         c.override_reason, c.duplicate_of_id, c.linked_deploy_id, c.reviewed_at, c.reviewed_by,
         (SELECT json_group_array(slug) FROM (SELECT p.slug FROM incident_projects ip JOIN projects p ON p.id = ip.project_id
            WHERE ip.incident_id = i.id ORDER BY p.slug)) AS projects
  FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id`;

/** One row of SELECT_STORED → the stored incident; an incident without a curation row gets the curation defaults. */
function storedIncidentFromRow(r: Record<string, unknown>): StoredIncidentExport {
  return {
    id: r.id as number,
    source: r.source as string,
    sourceId: r.source_id as string,
    title: r.title as string,
    description: (r.description as string | null) ?? null,
    severity: r.severity as string,
    status: (r.status as string | null) ?? null,
    startedAt: iso(r.started_at as number)!,
    resolvedAt: iso(r.resolved_at as number | null),
    url: (r.url as string | null) ?? null,
    sourceServices: json<string[]>(r.source_services, []),
    trigger: (r.trigger as string | null) ?? "unknown",
    changeType: (r.change_type as string | null) ?? null,
    deploySystem: (r.deploy_system as string | null) ?? null,
    services: json<string[]>(r.services, []),
    affectedFeatures: json<string[]>(r.affected_features, []),
    customerImpactPct: (r.customer_impact_pct as number | null) ?? null,
    impactStart: iso(r.impact_start as number | null),
    impactEnd: iso(r.impact_end as number | null),
    detectedAt: iso(r.detected_at as number | null),
    mitigatedAt: iso(r.mitigated_at as number | null),
    remediation: (r.remediation as string | null) ?? null,
    fleetExposurePct: (r.fleet_exposure_pct as number | null) ?? null,
    analysisStatus: (r.analysis_status as string | null) ?? "pending",
    override: (r.override as string | null) ?? null,
    overrideReason: (r.override_reason as string | null) ?? null,
    duplicateOfId: (r.duplicate_of_id as number | null) ?? null,
    linkedDeployId: (r.linked_deploy_id as number | null) ?? null,
    reviewedAt: iso(r.reviewed_at as number | null),
    reviewedBy: (r.reviewed_by as string | null) ?? null,
    projects: json<string[]>(r.projects, []),
    customFields: storedStringRecord(json<unknown>(r.custom_fields, {})),
    isDemo: r.is_demo === 1,
    importBatchId: (r.import_batch_id as number | null) ?? null,
    createdAt: iso(r.created_at as number)!,
    updatedAt: iso(r.updated_at as number)!,
  };
}

/**
 * Streams every incident joined with its curation and attribution, ordered by id,
 * without holding the whole table in memory (`cli export incidents`).
 */
export function* iterateIncidentsForExport(db: Db): Generator<ExportedIncident> {
  const stmt = db.$client.prepare(`${SELECT_STORED} ORDER BY i.id`);
  for (const r of stmt.iterate() as Iterable<Record<string, unknown>>) {
    const stored = storedIncidentFromRow(r);
    yield Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, stored[c]])) as ExportedIncident;
  }
}

/** Every stored field of these incidents, keyed by id (the API's incidents export). */
export function loadStoredIncidents(db: Db, ids: readonly number[]): Map<number, StoredIncidentExport> {
  const out = new Map<number, StoredIncidentExport>();
  const stmt = db.$client.prepare(`${SELECT_STORED} WHERE i.id IN (SELECT value FROM json_each(?))`);
  for (let k = 0; k < ids.length; k += 5000) {
    for (const r of stmt.iterate(JSON.stringify(ids.slice(k, k + 5000))) as Iterable<Record<string, unknown>>) out.set(r.id as number, storedIncidentFromRow(r));
  }
  return out;
}
