import "server-only";
import type { Db } from "@/db/client";

/** Every field of one incident, source-owned and curated, as the export prints it. Instants are ISO-8601 UTC. */
export interface ExportedIncident {
  id: number;
  source: string;
  sourceId: string;
  title: string;
  description: string | null;
  severity: string;
  status: string | null;
  startedAt: string;
  resolvedAt: string | null;
  url: string | null;
  sourceServices: string[];
  customFields: Record<string, string>;
  trigger: string;
  changeType: string | null;
  deploySystem: string | null;
  services: string[];
  affectedFeatures: string[];
  customerImpactPct: number | null;
  impactStart: string | null;
  impactEnd: string | null;
  detectedAt: string | null;
  mitigatedAt: string | null;
  remediation: string | null;
  fleetExposurePct: number | null;
  analysisStatus: string;
  override: string | null;
  overrideReason: string | null;
  duplicateOfId: number | null;
  projects: string[];
  isDemo: boolean;
  importBatchId: number | null;
  createdAt: string;
  updatedAt: string;
}

export const EXPORT_COLUMNS: readonly (keyof ExportedIncident)[] = [
  "id", "source", "sourceId", "title", "description", "severity", "status", "startedAt", "resolvedAt", "url", "sourceServices",
  "trigger", "changeType", "deploySystem", "services", "affectedFeatures", "customerImpactPct", "impactStart", "impactEnd",
  "detectedAt", "mitigatedAt", "remediation", "fleetExposurePct", "analysisStatus", "override", "overrideReason", "duplicateOfId",
  "projects", "customFields", "isDemo", "importBatchId", "createdAt", "updatedAt",
];

const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString());

/**
 * Streams every incident joined with its curation and attribution, ordered by id,
 * without holding the whole table in memory.
 */
export function* iterateIncidentsForExport(db: Db): Generator<ExportedIncident> {
  const stmt = db.$client.prepare(`
    SELECT i.id, i.source, i.source_id, i.title, i.description, i.severity, i.status, i.started_at, i.resolved_at, i.url,
           i.source_services, i.custom_fields, i.is_demo, i.import_batch_id, i.created_at, i.updated_at,
           c."trigger", c.change_type, c.deploy_system, c.services, c.affected_features, c.customer_impact_pct, c.impact_start,
           c.impact_end, c.detected_at, c.mitigated_at, c.remediation, c.fleet_exposure_pct, c.analysis_status, c.override,
           c.override_reason, c.duplicate_of_id,
           (SELECT json_group_array(slug) FROM (SELECT p.slug FROM incident_projects ip JOIN projects p ON p.id = ip.project_id
              WHERE ip.incident_id = i.id ORDER BY p.slug)) AS projects
    FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id
    ORDER BY i.id`);
  for (const r of stmt.iterate() as Iterable<Record<string, unknown>>) {
    yield {
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
      sourceServices: JSON.parse((r.source_services as string) || "[]"),
      customFields: JSON.parse((r.custom_fields as string) || "{}"),
      trigger: (r.trigger as string | null) ?? "unknown",
      changeType: (r.change_type as string | null) ?? null,
      deploySystem: (r.deploy_system as string | null) ?? null,
      services: JSON.parse((r.services as string | null) || "[]"),
      affectedFeatures: JSON.parse((r.affected_features as string | null) || "[]"),
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
      projects: JSON.parse((r.projects as string) || "[]"),
      isDemo: r.is_demo === 1,
      importBatchId: (r.import_batch_id as number | null) ?? null,
      createdAt: iso(r.created_at as number)!,
      updatedAt: iso(r.updated_at as number)!,
    };
  }
}
