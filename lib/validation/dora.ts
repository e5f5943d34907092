/** The DORA case file (`cli dora evaluate`, shared/spec/dora-cases): a metric case plus deploys and links. */
import { z } from "zod";
import { DEFAULT_DORA_SETTINGS, type DoraInput } from "@/lib/metric/dora";
import { inputFromCase, type CaseFile } from "@/lib/metric/case";
import { caseFileSchema, instant, quarterRangeQueryShape, refineUniqueIds } from "./metric";

const id = z.string().min(1, "must not be empty");

export const doraDeploySchema = z.object({
  id,
  service: z.string().min(1, "must not be empty"),
  finishedAt: instant,
  isRollback: z.boolean(),
  system: z.string().nullable().optional(),
});

export const doraLinkSchema = z.object({ incidentId: id, deployId: id });

export const doraSettingsSchema = z.strictObject({
  rollbackWindowHours: z.number().finite().min(0, "must be 0 or more hours").max(24 * 365, "must be at most a year (8760 hours)"),
});

export const doraCaseFileSchema = caseFileSchema.and(
  z
    .object({
      doraSettings: doraSettingsSchema.partial().optional(),
      deploys: z.array(doraDeploySchema),
      causes: z.array(doraLinkSchema).optional(),
      remediations: z.array(doraLinkSchema).optional(),
    })
    .superRefine(refineUniqueIds("deploys", "deploy")),
);

export type DoraCaseFile = z.infer<typeof doraCaseFileSchema>;

/** A validated DORA case → the engine's input; DORA settings missing take DORA.md's defaults. */
export function doraInputFromCase(c: DoraCaseFile): DoraInput {
  const base = inputFromCase(c as CaseFile);
  return {
    settings: base.settings,
    policy: base.policy,
    asOf: base.asOf,
    range: base.range,
    incidents: base.incidents,
    deploys: c.deploys.map((d) => ({ ...d, finishedAt: Date.parse(d.finishedAt) })),
    causes: c.causes ?? [],
    remediations: c.remediations ?? [],
    dora: { ...DEFAULT_DORA_SETTINGS, ...(c.doraSettings ?? {}) },
  };
}

/** The query of `GET /api/dora/quarters`: the same range and asOf as the metrics API. */
export const doraQuerySchema = z.strictObject({
  ...quarterRangeQueryShape,
  asOf: z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant, e.g. 2024-12-31T00:00:00Z" }).optional(),
});
export type DoraQuery = z.infer<typeof doraQuerySchema>;
