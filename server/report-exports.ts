import "server-only";
import type { Db } from "@/db/client";
import type { IncidentExportRow } from "@/lib/export/incidents";
import { quarterForInstant } from "@/lib/metric/calendar";
import { toIso } from "@/lib/metric/evaluate";
import type { IncidentListQuery } from "@/lib/validation/incident-list";
import { getSettings } from "@/db/queries/config";
import { listIncidentIds } from "@/db/queries/incidents";
import { loadStoredIncidents } from "@/db/queries/incidents-export";
import { deployLinksByIncident } from "@/db/queries/deploy-links";
import { computeAnalysis } from "./metrics";

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
  const links = deployLinksByIncident(db, ids);
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
      causeDeployIds: links.get(id)?.cause ?? [],
      remediationDeployIds: links.get(id)?.remediation ?? [],
    });
  }
  return out;
}
