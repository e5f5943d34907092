import "server-only";
import { incidentCuration, incidents, type CurationRow, type IncidentRow } from "@/db/schema";
import { ENGINE_CURATED_FIELDS } from "@/lib/incidents/fields";
import type { AnalysisStatus, EngineIncident, Override, Trigger } from "@/lib/metric/types";

const SOURCE_READ = ["id", "severity", "startedAt", "resolvedAt"] as const satisfies readonly (keyof IncidentRow)[];
const CURATION_READ = [...ENGINE_CURATED_FIELDS, "duplicateOfId"] as const satisfies readonly (keyof CurationRow)[];
type ReadField = (typeof SOURCE_READ)[number] | (typeof CURATION_READ)[number];

/**
 * The columns an EngineIncident is read from (`incidents i LEFT JOIN incident_curation c`),
 * named from the field lists and the schema. Read as raw arrays: no per-row objects from
 * the driver and no drizzle mapping, which matters at 100k+ rows. Incidents without a
 * curation row get the curation defaults (unknown trigger, pending analysis).
 */
export const ENGINE_INCIDENT_COLUMNS = [
  ...SOURCE_READ.map((k) => `i."${incidents[k].name}"`),
  ...CURATION_READ.map((k) => `c."${incidentCuration[k].name}"`),
].join(", ");

/** Each field's position in a raw row, from the same lists: a column can't be read as another. */
const AT = Object.fromEntries([...SOURCE_READ, ...CURATION_READ].map((k, n) => [k, n])) as Record<ReadField, number>;

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
    id: String(r[AT.id]),
    severity: intern(r[AT.severity] as string),
    startedAt: r[AT.startedAt] as number,
    resolvedAt: r[AT.resolvedAt] as number | null,
    trigger: ((r[AT.trigger] as Trigger | null) ?? "unknown") as Trigger,
    impactStart: r[AT.impactStart] as number | null,
    impactEnd: r[AT.impactEnd] as number | null,
    customerImpactPct: r[AT.customerImpactPct] as number | null,
    affectedFeatures: jsonList(r[AT.affectedFeatures]),
    services: jsonList(r[AT.services]),
    override: r[AT.override] as Override | null,
    analysisStatus: ((r[AT.analysisStatus] as AnalysisStatus | null) ?? "pending") as AnalysisStatus,
    deploySystem: intern(r[AT.deploySystem] as string | null),
    changeType: intern(r[AT.changeType] as string | null),
    remediation: intern(r[AT.remediation] as string | null),
    detectedAt: r[AT.detectedAt] as number | null,
    mitigatedAt: r[AT.mitigatedAt] as number | null,
    fleetExposurePct: r[AT.fleetExposurePct] as number | null,
    duplicateOf: r[AT.duplicateOfId] == null ? null : String(r[AT.duplicateOfId]),
  };
}
