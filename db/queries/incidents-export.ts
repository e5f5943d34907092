import "server-only";
import type { Db } from "@/db/client";
import { incidentCuration, incidents, type CurationRow, type IncidentRow } from "@/db/schema";
import { EXPORT_INSTANT_FIELDS, STORED_EXPORT_FIELDS, type StoredIncidentExport } from "@/lib/export/incidents";
import { CURATED_LIST_FIELDS, SOURCE_FIELDS, STORED_CURATED_FIELDS } from "@/lib/incidents/fields";
import { storedStringRecord } from "@/lib/json/bounded";

/**
 * Every field of one incident, source-owned and curated, as `cli export incidents` prints it
 * (fit for re-import: no review metadata). Instants are ISO-8601 UTC.
 */
export type ExportedIncident = Omit<StoredIncidentExport, ReviewField>;
type ReviewField = "linkedDeployId" | "reviewedAt" | "reviewedBy";
const REVIEW_FIELDS = new Set<string>(["linkedDeployId", "reviewedAt", "reviewedBy"] satisfies ReviewField[]);

/** The columns of `cli export incidents`, in order: the stored export's fields without the review ones. */
export const EXPORT_COLUMNS = STORED_EXPORT_FIELDS.filter((f): f is Exclude<typeof f, ReviewField> => !REVIEW_FIELDS.has(f));

/** Stored columns read, by field name (column names from the schema). */
const INCIDENT_COLUMNS = ["id", "source", "sourceId", ...SOURCE_FIELDS, "isDemo", "importBatchId", "createdAt", "updatedAt"] as const satisfies readonly (keyof IncidentRow)[];
const CURATION_COLUMNS = [...STORED_CURATED_FIELDS, "duplicateOfId", "linkedDeployId", "reviewedAt", "reviewedBy"] as const satisfies readonly (keyof CurationRow)[];
/** Read back as ISO-8601 instants. */
const INSTANTS = new Set<string>(EXPORT_INSTANT_FIELDS);
/** Stored as JSON text. */
const JSON_LISTS = new Set<string>(["sourceServices", "projects", ...CURATED_LIST_FIELDS]);
/** What an incident without a curation row reads as (the schema's defaults). */
const CURATION_DEFAULTS: Partial<Record<(typeof CURATION_COLUMNS)[number], unknown>> = { trigger: "unknown", analysisStatus: "pending" };

const iso = (ms: number | null): string | null => (ms == null ? null : new Date(ms).toISOString());

function json<T>(text: unknown, fallback: T): T {
  if (typeof text !== "string" || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

const aliased = <K extends string>(alias: string, table: Record<K, { name: string }>, keys: readonly K[]) => keys.map((k) => `${alias}."${table[k].name}" AS "${k}"`).join(", ");

/** Everything stored about an incident: its source fields, curation and project attribution. */
const SELECT_STORED = `
  SELECT ${aliased("i", incidents, INCIDENT_COLUMNS)}, ${aliased("c", incidentCuration, CURATION_COLUMNS)},
         (SELECT json_group_array(slug) FROM (SELECT p.slug FROM incident_projects ip JOIN projects p ON p.id = ip.project_id
            WHERE ip.incident_id = i.id ORDER BY p.slug)) AS projects
  FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id`;

/** One row of SELECT_STORED → the stored incident; an incident without a curation row gets the curation defaults. */
function storedIncidentFromRow(r: Record<string, unknown>): StoredIncidentExport {
  const out: Record<string, unknown> = {};
  for (const k of STORED_EXPORT_FIELDS) {
    const v = r[k] ?? (CURATION_DEFAULTS as Record<string, unknown>)[k] ?? null;
    if (k === "customFields") out[k] = storedStringRecord(json<unknown>(v, {}));
    else if (k === "isDemo") out[k] = v === 1;
    else out[k] = INSTANTS.has(k) ? iso(v as number | null) : JSON_LISTS.has(k) ? json<string[]>(v, []) : v;
  }
  return out as unknown as StoredIncidentExport;
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
