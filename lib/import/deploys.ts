/**
 * Deploy events as `POST /api/deploys` and `cli deploys import` take them: a JSON array,
 * one JSON object, or CSV with a header row. Field names are matched loosely
 * (`finished_at`, `finishedAt`, `time` …) so exports from common tools load as they are.
 * Each row is then checked by deployInputSchema (lib/validation/deploy.ts).
 */
import { DEPLOY_INPUT_KEYS, deployInputSchema, type DeployInput } from "@/lib/validation/deploy";
import { looksLikeJson, readCsvObjects, readJsonList, uploadText, UploadReadError, type UploadProblem } from "./upload";

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
    for (const k of DEPLOY_INPUT_KEYS) if (normalized[k] === undefined) normalized[k] = null;
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

const REFUSALS: Record<UploadProblem, (detail: string) => string> = {
  empty: () => "the body is empty: send a JSON array or object, or CSV with a header row",
  too_deep: (d) => `the JSON is ${d}`,
  bad_json: (d) => `not valid JSON: ${d}`,
  no_list: (d) => `not valid JSON: ${d}`,
  bad_csv: (d) => `not valid CSV: ${d}`,
};

/**
 * Reads a body or file: JSON (an array, one object, or `{ "deploys": [...] }`) when it
 * starts with `[` or `{`, else CSV with a header row (cells trimmed; a row wider or
 * narrower than the header is refused). Throws a one-line Error when the text cannot be
 * read at all.
 */
export function parseDeployText(body: string): unknown[] {
  try {
    const text = uploadText(body);
    if (looksLikeJson(text)) return readJsonList(text, "deploys", { single: true });
    return readCsvObjects(text, { trim: true, exactWidth: true });
  } catch (err) {
    if (err instanceof UploadReadError) throw new Error(REFUSALS[err.problem](err.detail));
    throw err;
  }
}
