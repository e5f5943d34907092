/**
 * The incident's fields, listed once. The importer's column lists, its curated diff and
 * undo, the curation reader and writer, the save forms' field order and the exports are
 * derived from these lists; the database columns come from the drizzle schema by these
 * names (db/schema/incidents.ts), so a column in the wrong place cannot happen.
 *
 * Adding a curated field: a column in the schema (and its migration), its name here in
 * `STORED_CURATED_FIELDS`, its zod schema in lib/validation/curation.ts (the type checker
 * asks for it), and the screens that show it.
 */
import type { EngineIncident } from "@/lib/metric/types";

/**
 * What the source tool owns, in the order the source hash reads them (db/queries/imports.ts):
 * a re-import may rewrite these and nothing else.
 */
export const SOURCE_FIELDS = ["title", "description", "severity", "status", "startedAt", "resolvedAt", "url", "sourceServices", "customFields"] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

/**
 * What engineers curate that lives on the incident_curation row, in the order forms and
 * conflict tables show them. An import writes them on create, and on update only when asked.
 */
export const STORED_CURATED_FIELDS = [
  "trigger",
  "changeType",
  "deploySystem",
  "services",
  "affectedFeatures",
  "customerImpactPct",
  "impactStart",
  "impactEnd",
  "detectedAt",
  "mitigatedAt",
  "remediation",
  "fleetExposurePct",
  "analysisStatus",
  "override",
  "overrideReason",
] as const;
export type StoredCuratedField = (typeof STORED_CURATED_FIELDS)[number];

/** Every field a save may carry: the stored ones, then attribution and the deploy link (their own tables/paths). */
export const CURATED_FIELDS = [...STORED_CURATED_FIELDS, "projects", "linkedDeployId"] as const;
export type CuratedField = (typeof CURATED_FIELDS)[number];

/**
 * The curated fields the engine reads (EngineIncident); the rest are for people. A new curated
 * field joins this list only when the engine (lib/metric) learns to read it.
 */
export const ENGINE_CURATED_FIELDS = [
  // What the counting rules read…
  ...["trigger", "impactStart", "impactEnd", "customerImpactPct", "affectedFeatures", "services", "override", "analysisStatus"] as const,
  // …and the extras for breakdowns and North Star figures.
  ...["deploySystem", "changeType", "remediation", "detectedAt", "mitigatedAt", "fleetExposurePct"] as const,
] as const satisfies readonly (keyof EngineIncident & StoredCuratedField)[];

/** Curated fields stored as JSON lists of strings. */
export const CURATED_LIST_FIELDS = ["services", "affectedFeatures"] as const satisfies readonly StoredCuratedField[];

/** Curated fields holding instants (epoch ms). */
export const CURATED_INSTANT_FIELDS = ["impactStart", "impactEnd", "detectedAt", "mitigatedAt"] as const satisfies readonly StoredCuratedField[];

/** The listed fields of `from`, in list order (a typed pick: a mapper written once over a list). */
export function pickFields<T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = from[k];
  return out;
}

export const CURATED_FIELD_LABELS: Record<CuratedField, string> = {
  trigger: "Trigger",
  changeType: "Change type",
  deploySystem: "Deploy system",
  services: "Services",
  affectedFeatures: "Affected features",
  customerImpactPct: "Customer impact %",
  impactStart: "Impact start",
  impactEnd: "Impact end",
  detectedAt: "Detected at",
  mitigatedAt: "Mitigated at",
  remediation: "Remediation",
  fleetExposurePct: "Fleet exposure %",
  analysisStatus: "Analysis status",
  override: "Override",
  overrideReason: "Override reason",
  projects: "Projects",
  linkedDeployId: "Linked deploy",
};
