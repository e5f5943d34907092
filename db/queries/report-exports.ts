import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { IncidentExportRow, StoredIncidentExport } from "@/lib/export/incidents";
import { quarterForInstant } from "@/lib/metric/calendar";
import { toIso } from "@/lib/metric/evaluate";
import type { IncidentListQuery } from "@/lib/validation/incident-list";
import { getSettings } from "./config";
import { listIncidentIds } from "./incidents";
import { computeAnalysis } from "./metrics";

const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());

function json<T>(text: unknown, fallback: T): T {
  if (typeof text !== "string" || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Every stored field of these incidents (source-owned, curated, attribution), keyed by id. */
function loadStoredIncidents(db: Db, ids: number[]): Map<number, StoredIncidentExport> {
  const out = new Map<number, StoredIncidentExport>();
  for (let k = 0; k < ids.length; k += 5000) {
    const chunk = JSON.stringify(ids.slice(k, k + 5000));
    const rows = db.all<Record<string, unknown>>(sql`
      SELECT i.id, i.source, i.source_id, i.title, i.description, i.severity, i.status, i.started_at, i.resolved_at, i.url,
             i.source_services, i.custom_fields, i.is_demo, i.import_batch_id, i.created_at, i.updated_at,
             c."trigger" AS trg, c.change_type, c.deploy_system, c.services, c.affected_features, c.customer_impact_pct,
             c.impact_start, c.impact_end, c.detected_at, c.mitigated_at, c.remediation, c.fleet_exposure_pct,
             c.analysis_status, c.override, c.override_reason, c.duplicate_of_id, c.linked_deploy_id, c.reviewed_at, c.reviewed_by,
             (SELECT json_group_array(slug) FROM (SELECT p.slug FROM incident_projects ip JOIN projects p ON p.id = ip.project_id
                WHERE ip.incident_id = i.id ORDER BY p.slug)) AS projects
      FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id
      WHERE i.id IN (SELECT value FROM json_each(${chunk}))`);
    for (const r of rows) {
      out.set(r.id as number, {
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
        trigger: (r.trg as string | null) ?? "unknown",
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
        customFields: json<Record<string, string>>(r.custom_fields, {}),
        isDemo: r.is_demo === 1,
        importBatchId: (r.import_batch_id as number | null) ?? null,
        createdAt: iso(r.created_at as number)!,
        updatedAt: iso(r.updated_at as number)!,
      });
    }
  }
  return out;
}

/**
 * The incidents export: the incident list's filters (`q`, in the list's sort order,
 * every page) and, with `q.quarter`, each incident's contribution to that quarter.
 * The counting reason comes from the engine with the current policy at `asOf`.
 */
export function exportIncidents(db: Db, q: IncidentListQuery, opts: { asOf: number }): IncidentExportRow[] {
  const ids = listIncidentIds(db, q, { asOf: opts.asOf, limit: Number.MAX_SAFE_INTEGER });
  if (ids.length === 0) return [];
  const quarter = q.quarter ?? quarterForInstant(opts.asOf, getSettings(db)).id;
  const analysis = computeAnalysis(db, { asOf: opts.asOf, from: quarter, to: quarter });
  const verdict = new Map(analysis.incidents.map((i) => [i.id, i]));
  const stored = loadStoredIncidents(db, ids);
  const out: IncidentExportRow[] = [];
  for (const id of ids) {
    const s = stored.get(id);
    const v = verdict.get(String(id));
    if (!s || !v) continue;
    out.push({
      ...s,
      counted: v.counted,
      reason: v.reason,
      effectiveStart: toIso(v.startMs),
      effectiveEnd: toIso(v.endMs),
      durationHours: v.durationHours,
      quarter: q.quarter ?? null,
      contributionHours: q.quarter ? (v.contributions.find((c) => c.quarter === q.quarter)?.hours ?? 0) : null,
    });
  }
  return out;
}
