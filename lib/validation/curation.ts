/**
 * The curated fields of an incident as the incident page, the triage queue, bulk edit
 * and `PATCH /api/incidents/:id` send them. camelCase; instants are ISO-8601 with an
 * offset (or epoch ms) and come out as epoch ms. Every field error is reported.
 */
import { z } from "zod";
import { ANALYSIS_STATUSES, OVERRIDES, TRIGGERS } from "@/lib/metric/types";
import { CURATED_INSTANT_FIELDS, type CuratedField } from "@/lib/incidents/fields";
import { checkInstant } from "./time-bounds";

/** Suggested change types; the field accepts any short label (organisations name their own). */
export const CHANGE_TYPES = ["code_deploy", "config", "feature_flag", "infra", "migration", "dependency"] as const;
/** Suggested remediations (the engine's North Star reads `automatic_rollback`, `manual_rollback`, `config_revert`). */
export const REMEDIATIONS = ["automatic_rollback", "manual_rollback", "config_revert", "roll_forward", "other"] as const;

export { CURATED_FIELD_LABELS, CURATED_FIELDS, type CuratedField } from "@/lib/incidents/fields";

/** Fields holding instants (epoch ms). */
export const INSTANT_FIELDS = new Set<CuratedField>(CURATED_INSTANT_FIELDS);

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant: ISO-8601 with an offset, or epoch ms; "" and null clear it. It must lie within
 * the bounds on time in force when the save arrives (TIME_MIN … TIME_MAX_FUTURE_HOURS after now).
 */
const instant = (label: string) =>
  z.union([z.number(), z.string(), z.null()]).transform((v, ctx): number | null => {
    if (v === null) return null;
    let t: number;
    if (typeof v === "number") {
      if (!Number.isInteger(v) || !Number.isFinite(v)) {
        ctx.addIssue({ code: "custom", message: "must be epoch milliseconds or an ISO-8601 date/time" });
        return z.NEVER;
      }
      t = v;
    } else {
      const s = v.trim();
      if (s === "") return null;
      t = ISO_WITH_OFFSET.test(s) ? Date.parse(s) : NaN;
      if (Number.isNaN(t)) {
        ctx.addIssue({ code: "custom", message: `"${s.slice(0, 40)}" is not an ISO-8601 date/time with an offset (e.g. 2024-05-01T10:00:00Z)` });
        return z.NEVER;
      }
    }
    const why = checkInstant(label, t);
    if (why) {
      ctx.addIssue({ code: "custom", message: why });
      return z.NEVER;
    }
    return t;
  });

const pct = z
  .union([z.number(), z.string(), z.null()])
  .transform((v, ctx): number | null => {
    if (v === null || (typeof v === "string" && v.trim() === "")) return null;
    const n = typeof v === "number" ? v : Number(v.trim());
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      ctx.addIssue({ code: "custom", message: "must be a number from 0 to 100" });
      return z.NEVER;
    }
    return n;
  });

/** Short optional text: trimmed, "" becomes null. */
const label = (max: number) =>
  z
    .union([z.string(), z.null()])
    .transform((v) => (v === null ? null : v.trim() || null))
    .refine((v) => v === null || v.length <= max, `must be at most ${max} characters`);

/** A list of names: an array, or a `;`/`,`-separated string; trimmed, de-duplicated. */
const nameList = (what: string) =>
  z
    .union([z.array(z.string()), z.string()])
    .transform((v) => {
      const parts = Array.isArray(v) ? v : v.split(/[;,]/);
      const out: string[] = [];
      for (const p of parts) {
        const s = p.trim();
        if (s && !out.some((o) => o.toLowerCase() === s.toLowerCase())) out.push(s);
      }
      return out;
    })
    .refine((v) => v.length <= 100, `at most 100 ${what}`)
    .refine((v) => v.every((s) => s.length <= 200), `each ${what.replace(/s$/, "")} must be at most 200 characters`);

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** One zod schema per curated field: the list in lib/incidents/fields.ts asks for each. */
const fields = {
  trigger: z.enum(TRIGGERS, { error: "must be change, other or unknown" }),
  changeType: label(100),
  deploySystem: label(200),
  services: nameList("services"),
  affectedFeatures: nameList("features"),
  customerImpactPct: pct,
  impactStart: instant("Impact start"),
  impactEnd: instant("Impact end"),
  detectedAt: instant("Detected at"),
  mitigatedAt: instant("Mitigated at"),
  remediation: label(100),
  fleetExposurePct: pct,
  analysisStatus: z.enum(ANALYSIS_STATUSES, { error: "must be pending or final" }),
  override: z
    .union([z.enum(OVERRIDES), z.literal(""), z.null()], { error: "must be include, exclude or null" })
    .transform((v) => (v === "" ? null : v)),
  overrideReason: label(2000),
  projects: z
    .array(z.string().trim().regex(SLUG, "is not a project slug"))
    .max(100, "at most 100 projects")
    .transform((v) => [...new Set(v)]),
  linkedDeployId: z.union([z.number().int().positive("must be a deploy id"), z.null()], { error: "must be a deploy id or null" }),
} satisfies Record<CuratedField, z.ZodType>;

/** Checks that hold within one body; the writer re-checks them against the merged record. */
function crossFieldChecks(v: Partial<CurationValues>, ctx: z.RefinementCtx): void {
  if (v.impactStart != null && v.impactEnd != null && v.impactEnd < v.impactStart) {
    ctx.addIssue({ code: "custom", path: ["impactEnd"], message: "Impact end is before impact start" });
  }
  if (v.override != null && "overrideReason" in v && !v.overrideReason) {
    ctx.addIssue({ code: "custom", path: ["overrideReason"], message: "An include/exclude override needs a reason" });
  }
  if (v.detectedAt != null && v.mitigatedAt != null && v.mitigatedAt < v.detectedAt) {
    ctx.addIssue({ code: "custom", path: ["mitigatedAt"], message: "Mitigated before it was detected" });
  }
}

/**
 * `PATCH /api/incidents/:id` and every form save: any subset of the curated fields,
 * plus the `version` that was edited (omit it to apply field by field to whatever is
 * current). Unknown keys are errors, so a typo never silently does nothing.
 */
export const curationPatchSchema = z
  .strictObject(fields)
  .partial()
  .extend({ version: z.number({ error: "must be the curation version you edited" }).int().positive().optional() })
  .superRefine((v, ctx) => crossFieldChecks(v, ctx));

export type CurationPatch = z.output<typeof curationPatchSchema>;
export type CurationPatchInput = z.input<typeof curationPatchSchema>;

/** The full set of curated values (what the writer stores and conflict bodies carry): each field as its schema reads it. */
export type CurationValues = { [K in CuratedField]: z.output<(typeof fields)[K]> };

/** Checks a merged record (current values with a patch applied); returns every issue. */
export function mergedIssues(v: CurationValues): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (v.impactStart != null && v.impactEnd != null && v.impactEnd < v.impactStart) out.push({ field: "impactEnd", message: "Impact end is before impact start" });
  if (v.override != null && !v.overrideReason) out.push({ field: "overrideReason", message: "An include/exclude override needs a reason" });
  if (v.detectedAt != null && v.mitigatedAt != null && v.mitigatedAt < v.detectedAt) out.push({ field: "mitigatedAt", message: "Mitigated before it was detected" });
  return out;
}

/** Equality of two curated values (lists compare in order, as stored). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Bulk edit from a selection in the list: a few common fields, applied to each incident. */
export const bulkEditSchema = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1, "Select at least one incident").max(1000, "Select at most 1000 incidents at once"),
    trigger: fields.trigger.optional(),
    changeType: fields.changeType.optional(),
    deploySystem: fields.deploySystem.optional(),
    remediation: fields.remediation.optional(),
    analysisStatus: fields.analysisStatus.optional(),
    addProject: z.string().trim().regex(SLUG, "is not a project slug").optional(),
    /**
     * Each incident's curation version as the editor saw it (incident id → version). When
     * any is no longer current the whole edit is refused (409), as a single save would be;
     * ids without a version apply to whatever is current.
     */
    versions: z.record(z.string().regex(/^[1-9]\d*$/, "must be an incident id"), z.number({ error: "must be the curation version you saw" }).int().positive()).optional(),
  })
  .refine(
    (v) => v.trigger !== undefined || v.changeType !== undefined || v.deploySystem !== undefined || v.remediation !== undefined || v.analysisStatus !== undefined || v.addProject !== undefined,
    { message: "Choose at least one field to change", path: ["form"] },
  )
  .superRefine((v, ctx) => {
    for (const id of Object.keys(v.versions ?? {})) {
      if (!v.ids.includes(Number(id))) ctx.addIssue({ code: "custom", path: ["versions", id], message: "is not one of the selected incidents" });
    }
  });
export type BulkEdit = z.output<typeof bulkEditSchema>;

const CROSS_FIELDS = ["impactStart", "impactEnd", "override", "overrideReason", "detectedAt", "mitigatedAt"] as const;

/**
 * curationPatchSchema.safeParse, plus the cross-field checks even when other fields
 * fail (zod skips refinements once a field is invalid), so a form shows every problem
 * at once. Issues carry a dotted `field` ("(root)" for unknown keys).
 */
export function parseCurationPatch(
  input: unknown,
): { success: true; data: CurationPatch } | { success: false; issues: { field: string; message: string }[]; partial: Partial<CurationValues> } {
  const r = curationPatchSchema.safeParse(input);
  if (r.success) return { success: true, data: r.data };
  const issues = r.error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(root)", message: i.message }));
  const partial: Record<string, unknown> = {};
  if (input && typeof input === "object" && !Array.isArray(input)) {
    for (const k of Object.keys(fields) as (keyof typeof fields)[]) {
      if (!(k in input)) continue;
      const one = fields[k].safeParse((input as Record<string, unknown>)[k]);
      if (one.success) partial[k] = one.data;
    }
    const cross: Record<string, unknown> = {};
    for (const k of CROSS_FIELDS) {
      if (k in partial) cross[k] = partial[k];
    }
    const extra: { field: string; message: string }[] = [];
    crossFieldChecks(cross as Partial<CurationValues>, {
      addIssue: (i: { path?: PropertyKey[]; message?: string }) => extra.push({ field: (i.path ?? []).map(String).join("."), message: i.message ?? "is not valid" }),
    } as unknown as z.RefinementCtx);
    for (const e of extra) if (!issues.some((i) => i.field === e.field)) issues.push(e);
  }
  return { success: false, issues, partial: partial as Partial<CurationValues> };
}
