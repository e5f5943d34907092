/**
 * Deploy events as `POST /api/deploys` and `cli deploys import` take them: a JSON array,
 * one JSON object, or CSV with a header row. Field names are matched loosely
 * (`finished_at`, `finishedAt`, `time` …) so exports from common tools load as they are.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { jsonDepthProblem } from "@/lib/json/bounded";
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

/** One row's problems: `row` counts from 1 (the first data row of a CSV, the first array element). */
export interface DeployRowError {
  row: number;
  field: string;
  message: string;
}

const ALIASES: Record<string, keyof DeployInput> = {
  time: "finishedAt",
  finished: "finishedAt",
  finishedat: "finishedAt",
  finished_at: "finishedAt",
  finish_time: "finishedAt",
  completed_at: "finishedAt",
  started: "startedAt",
  startedat: "startedAt",
  started_at: "startedAt",
  start_time: "startedAt",
  service: "service",
  service_name: "service",
  app: "service",
  deploysystem: "deploySystem",
  deploy_system: "deploySystem",
  system: "deploySystem",
  tool: "deploySystem",
  version: "version",
  release: "version",
  sha: "version",
  outcome: "outcome",
  status: "outcome",
  result: "outcome",
  rollback: "isRollback",
  isrollback: "isRollback",
  is_rollback: "isRollback",
  id: "externalId",
  externalid: "externalId",
  external_id: "externalId",
  deploy_id: "externalId",
};

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

const INPUT_KEYS = ["externalId", "startedAt", "finishedAt", "service", "deploySystem", "version", "outcome", "isRollback"] as const;

/** Maps loose field names to ours; unknown fields are errors so a typo is never ignored. */
function normalizeKeys(row: Record<string, unknown>, rowNo: number, errors: DeployRowError[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const key = k.trim().toLowerCase().replace(/[\s-]+/g, "_");
    const mapped = ALIASES[key] ?? ALIASES[key.replace(/_/g, "")];
    if (!mapped) {
      errors.push({ row: rowNo, field: k, message: `unknown field "${k}" (expected time, service, deploy_system, version, outcome, rollback, external_id)` });
      continue;
    }
    out[mapped] = v;
  }
  return out;
}

/** Validates parsed rows; every problem of every row is returned. */
export function validateDeployRows(rows: unknown[]): { deploys: DeployInput[]; errors: DeployRowError[] } {
  const deploys: DeployInput[] = [];
  const errors: DeployRowError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const rowNo = i + 1;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      errors.push({ row: rowNo, field: "(row)", message: "must be an object" });
      return;
    }
    const before = errors.length;
    const normalized = normalizeKeys(raw as Record<string, unknown>, rowNo, errors);
    // Absent fields are null, which every field reads as "not given".
    for (const k of INPUT_KEYS) if (normalized[k] === undefined) normalized[k] = null;
    const r = deployInputSchema.safeParse(normalized);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push({ row: rowNo, field: issue.path.map(String).join(".") || "(row)", message: issue.message });
      return;
    }
    if (r.data.externalId) {
      const first = seen.get(r.data.externalId);
      if (first !== undefined) errors.push({ row: rowNo, field: "externalId", message: `"${r.data.externalId}" appears again (first at row ${first})` });
      else seen.set(r.data.externalId, rowNo);
    }
    if (errors.length === before) deploys.push(r.data as DeployInput);
  });
  return { deploys, errors };
}

/**
 * Reads a body or file: JSON (an array, one object, or `{ "deploys": [...] }`) when it
 * starts with `[` or `{`, else CSV with a header row. Throws a one-line Error when the
 * text cannot be read at all.
 */
export function parseDeployText(body: string): unknown[] {
  const text = body.replace(/^\uFEFF/, "").trim();
  if (!text) throw new Error("the body is empty: send a JSON array or object, or CSV with a header row");
  if (text.startsWith("[") || text.startsWith("{")) {
    const tooDeep = jsonDepthProblem(text);
    if (tooDeep) throw new Error(`the JSON is ${tooDeep}`);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      throw new Error(`not valid JSON: ${(err as Error).message.split("\n")[0]}`);
    }
    if (Array.isArray(v)) return v;
    if (v && typeof v === "object" && Array.isArray((v as { deploys?: unknown }).deploys)) return (v as { deploys: unknown[] }).deploys;
    return [v];
  }
  try {
    return parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as unknown[];
  } catch (err) {
    throw new Error(`not valid CSV: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Deploy list filters from a query string. */
export const deployListQuerySchema = z.object({
  service: z.string().trim().max(200).optional(),
  from: z.iso.datetime({ offset: true, error: "must be an ISO-8601 date/time with an offset" }).optional(),
  to: z.iso.datetime({ offset: true, error: "must be an ISO-8601 date/time with an offset" }).optional(),
  limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(1000, "must be at most 1000").default(100),
  offset: z.coerce.number({ error: "must be a number" }).int().min(0).default(0),
});
