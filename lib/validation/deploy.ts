/** Deploy events: the validated shape (what a deploy is), its field schemas, and the list filters. The importer that reads bodies and files into it is lib/import/deploys.ts. */
import { z } from "zod";
import { checkInstant } from "./time-bounds";

export interface DeployInput {
  externalId: string | null;
  startedAt: number | null;
  finishedAt: number;
  service: string;
  deploySystem: string | null;
  version: string | null;
  outcome: string | null;
  isRollback: boolean;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;

/** An instant within the bounds on time in force when the deploy arrives (TIME_MIN … TIME_MAX_FUTURE_HOURS after now). */
const instant = (field: string, required: boolean) =>
  z.unknown().transform((v, ctx): number | null => {
    if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
      if (required) ctx.addIssue({ code: "custom", message: "is missing (when the deploy finished, ISO-8601 with an offset)" });
      return null;
    }
    let t = NaN;
    if (typeof v === "number" && Number.isInteger(v) && v > 0) t = v;
    else if (typeof v === "string" && ISO_WITH_OFFSET.test(v.trim())) t = Date.parse(v.trim().replace(" ", "T"));
    if (!Number.isNaN(t)) {
      const why = checkInstant(field, t);
      if (!why) return t;
      ctx.addIssue({ code: "custom", message: why });
      return z.NEVER;
    }
    ctx.addIssue({ code: "custom", message: `"${String(v).slice(0, 40)}" is not an ISO-8601 date/time with an offset (e.g. 2024-05-01T10:00:00Z)` });
    return z.NEVER;
  });

const text = (max: number, required = false, what = "value") =>
  z.unknown().transform((v, ctx): string | null => {
    const s = v === undefined || v === null ? "" : typeof v === "string" || typeof v === "number" ? String(v).trim() : null;
    if (s === null) {
      ctx.addIssue({ code: "custom", message: `must be text` });
      return z.NEVER;
    }
    if (!s) {
      if (required) ctx.addIssue({ code: "custom", message: `is missing (${what})` });
      return null;
    }
    if (s.length > max) {
      ctx.addIssue({ code: "custom", message: `must be at most ${max} characters` });
      return z.NEVER;
    }
    return s;
  });

const bool = z.unknown().transform((v, ctx): boolean => {
  if (v === undefined || v === null || v === "") return false;
  if (typeof v === "boolean") return v;
  const s = String(v).trim().toLowerCase();
  if (["true", "yes", "y", "1"].includes(s)) return true;
  if (["false", "no", "n", "0"].includes(s)) return false;
  ctx.addIssue({ code: "custom", message: `"${String(v).slice(0, 20)}" is not yes/no (true, false, yes, no, 1, 0)` });
  return z.NEVER;
});

export const deployInputSchema = z
  .object({
    externalId: text(200),
    startedAt: instant("startedAt", false),
    finishedAt: instant("finishedAt", true),
    service: text(200, true, "the service deployed"),
    deploySystem: text(200),
    version: text(200),
    outcome: text(100),
    isRollback: bool,
  })
  .superRefine((d, ctx) => {
    if (d.startedAt != null && d.finishedAt != null && d.finishedAt < d.startedAt) ctx.addIssue({ code: "custom", path: ["finishedAt"], message: "finishes before it starts" });
  });


/** The fields of a deploy, in order. */
export const DEPLOY_INPUT_KEYS = ["externalId", "startedAt", "finishedAt", "service", "deploySystem", "version", "outcome", "isRollback"] as const;

/** Deploy list filters from a query string. */
export const deployListQuerySchema = z.object({
  service: z.string().trim().max(200).optional(),
  from: z.iso.datetime({ offset: true, error: "must be an ISO-8601 date/time with an offset" }).optional(),
  to: z.iso.datetime({ offset: true, error: "must be an ISO-8601 date/time with an offset" }).optional(),
  limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(1000, "must be at most 1000").default(100),
  offset: z.coerce.number({ error: "must be a number" }).int().min(0).default(0),
});
