/**
 * The canonical incident as the writer takes it: `IncidentInput` and its zod schema
 * (`incidentInputSchema`), for callers that build incidents in code (API bodies, demo seed).
 * Reading a row of the import format into one is the importer's: lib/import/row-reader.ts.
 */
import { z } from "zod";
import { ANALYSIS_STATUSES, OVERRIDES, TRIGGERS } from "@/lib/metric/types";
import type { StoredCuratedField } from "@/lib/incidents/fields";
import type { CurationValues } from "./curation";
import { refineInBounds } from "./time-bounds";

/** Longest description accepted. */
export const MAX_TEXT = 100_000;

/**
 * Fields engineers curate. `undefined` means "the file does not say": on create
 * the default applies, on an update with `overwriteCurated` the field is left alone.
 * `projects`: slugs of deploy-safety projects this incident is attributed to.
 */
export type CuratedInput = Partial<Pick<CurationValues, StoredCuratedField | "projects">>;

/** One validated incident, ready for the writer. Instants are epoch ms (UTC). */
export interface IncidentInput {
  source: string;
  sourceId: string;
  title: string;
  description: string | null;
  severity: string;
  status: string | null;
  startedAt: number;
  resolvedAt: number | null;
  url: string | null;
  sourceServices: string[];
  customFields: Record<string, string>;
  curated: CuratedInput;
}


const epochMs = z.number().int().finite();
/** An epoch-ms instant within the bounds on time in force when it is parsed. */
const boundedMs = (field: string) => epochMs.superRefine(refineInBounds(field));
const pct = z.number().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");

/** The curated fields as a form or API body sends them (epoch ms instants). */
export const curatedInputSchema = z.object({
  trigger: z.enum(TRIGGERS).optional(),
  changeType: z.string().trim().max(100).nullable().optional(),
  deploySystem: z.string().trim().max(200).nullable().optional(),
  services: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  affectedFeatures: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  customerImpactPct: pct.nullable().optional(),
  impactStart: boundedMs("impactStart").nullable().optional(),
  impactEnd: boundedMs("impactEnd").nullable().optional(),
  detectedAt: boundedMs("detectedAt").nullable().optional(),
  mitigatedAt: boundedMs("mitigatedAt").nullable().optional(),
  remediation: z.string().trim().max(100).nullable().optional(),
  fleetExposurePct: pct.nullable().optional(),
  analysisStatus: z.enum(ANALYSIS_STATUSES).optional(),
  override: z.enum(OVERRIDES).nullable().optional(),
  overrideReason: z.string().trim().max(2000).nullable().optional(),
  projects: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
} satisfies Record<keyof CuratedInput, z.ZodType>);

/** A typed incident (as the writer takes it), for callers that build incidents in code. */
export const incidentInputSchema = z
  .object({
    source: z.string().trim().min(1).max(100),
    sourceId: z.string().trim().min(1, "id is missing").max(200),
    title: z.string().trim().min(1, "title is missing").max(500),
    description: z.string().max(MAX_TEXT).nullable(),
    severity: z.string().trim().min(1, "severity is missing").max(50),
    status: z.string().max(100).nullable(),
    startedAt: boundedMs("startedAt"),
    resolvedAt: boundedMs("resolvedAt").nullable(),
    url: z.string().max(2000).regex(/^https?:\/\//i, "not an http(s) URL").nullable(),
    sourceServices: z.array(z.string()).max(200),
    customFields: z.record(z.string(), z.string()),
    curated: curatedInputSchema,
  })
  .superRefine((r, c) => {
    if (r.resolvedAt != null && r.resolvedAt < r.startedAt) c.addIssue({ code: "custom", path: ["resolvedAt"], message: "ends before it starts" });
    const k = r.curated;
    if (k.impactStart != null && k.impactEnd != null && k.impactEnd < k.impactStart) c.addIssue({ code: "custom", path: ["curated", "impactEnd"], message: "impact ends before it starts" });
    if (k.override && !k.overrideReason) c.addIssue({ code: "custom", path: ["curated", "overrideReason"], message: "an override needs a reason" });
  });
