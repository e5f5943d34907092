import "server-only";
import type { AnalysisStatus, EngineIncident, Override, Trigger } from "@/lib/metric/types";

/**
 * The columns an EngineIncident is read from (`incidents i LEFT JOIN incident_curation c`),
 * in the order `engineIncidentFromRow` expects. Read as raw arrays: no per-row objects
 * from the driver and no drizzle mapping, which matters at 100k+ rows. Incidents without
 * a curation row get the curation defaults (unknown trigger, pending analysis).
 */
export const ENGINE_INCIDENT_COLUMNS = `i.id, i.severity, i.started_at, i.resolved_at,
       c.trigger, c.impact_start, c.impact_end, c.customer_impact_pct,
       c.affected_features, c.services, c.override, c.analysis_status,
       c.deploy_system, c.change_type, c.remediation, c.detected_at,
       c.mitigated_at, c.fleet_exposure_pct, c.duplicate_of_id`;

/** Shared by every incident with an empty list; frozen so a stray push throws instead of leaking. */
const EMPTY: string[] = Object.freeze([]) as unknown as string[];

// Severities, triggers, deploy systems, services… repeat across 100k incidents: one string
// object (and one frozen list per distinct JSON text) for each value means every Map and Set
// lookup downstream hashes it once, and the kept incidents take far less memory.
const TABLE_LIMIT = 50_000;
const strings = new Map<string, string>();
const lists = new Map<string, string[]>();

function intern<T extends string | null>(value: T): T {
  if (value === null) return value;
  const known = strings.get(value);
  if (known !== undefined) return known as T;
  if (strings.size >= TABLE_LIMIT) strings.clear();
  strings.set(value, value);
  return value;
}

function parseList(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return EMPTY;
    return Object.freeze(v.map((x) => intern(typeof x === "string" ? x : String(x)))) as string[];
  } catch {
    return EMPTY;
  }
}

/** A JSON array of strings → a frozen list, shared by every row with the same text. */
function jsonList(text: unknown): string[] {
  if (typeof text !== "string" || text.length <= 2) return EMPTY;
  let list = lists.get(text);
  if (list === undefined) {
    list = parseList(text);
    if (lists.size >= TABLE_LIMIT) lists.clear();
    lists.set(text, list);
  }
  return list;
}

/**
 * One raw row → EngineIncident: `id` = String(incidents.id) (the internal id `cli export
 * incidents` prints), `duplicateOf` = String(duplicate_of_id). Instants stay epoch ms.
 */
export function engineIncidentFromRow(r: unknown[]): EngineIncident {
  return {
    id: String(r[0]),
    severity: intern(r[1] as string),
    startedAt: r[2] as number,
    resolvedAt: r[3] as number | null,
    trigger: ((r[4] as Trigger | null) ?? "unknown") as Trigger,
    impactStart: r[5] as number | null,
    impactEnd: r[6] as number | null,
    customerImpactPct: r[7] as number | null,
    affectedFeatures: jsonList(r[8]),
    services: jsonList(r[9]),
    override: r[10] as Override | null,
    analysisStatus: ((r[11] as AnalysisStatus | null) ?? "pending") as AnalysisStatus,
    deploySystem: intern(r[12] as string | null),
    changeType: intern(r[13] as string | null),
    remediation: intern(r[14] as string | null),
    detectedAt: r[15] as number | null,
    mitigatedAt: r[16] as number | null,
    fleetExposurePct: r[17] as number | null,
    duplicateOf: r[18] == null ? null : String(r[18]),
  };
}
