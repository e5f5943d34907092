/**
 * The import format's row reader: `canonicalRowSchema(ctx)` reads one row of the canonical
 * format (snake_case columns, text cells as they come out of CSV/JSON) into an
 * `IncidentInput`, with plain reasons keyed by column: each cell is read into a primitive
 * first, then zod validates the row of primitives.
 */
import { z } from "zod";
import { CANONICAL_COLUMNS, type CanonicalColumn } from "@/lib/import/canonical-columns";
import { isoUtcFast, parseInstant, truncate } from "@/lib/import/time";
import { instantOutOfBounds, type TimeBounds } from "@/lib/metric/time-bounds";
import { ANALYSIS_STATUSES, OVERRIDES, TRIGGERS, type AnalysisStatus, type Override, type Trigger } from "@/lib/metric/types";
import { MAX_TEXT, type CuratedInput, type IncidentInput } from "@/lib/validation/incident";
import { timeBounds } from "@/lib/validation/time-bounds";

/** Columns of the canonical format (IMPORT.md), derived from the field lists. Any other column is kept as a custom field. */
export { CANONICAL_COLUMNS, type CanonicalColumn };
const CANONICAL_SET = new Set<string>(CANONICAL_COLUMNS);
export function isCanonicalColumn(name: string): name is CanonicalColumn {
  return CANONICAL_SET.has(name);
}


/** A canonical row: cells as text; list cells may already be arrays (JSON input). */
export type CanonicalRow = Record<string, string | string[] | undefined>;

export interface RowContext {
  /** The import's source name, used when a row has no `source`. */
  source: string;
  /** IANA zone for times written without an offset; none means such times are errors. */
  timezone?: string | null;
  /** Extra date-fns patterns a source writes its times in (Jira: `dd/MMM/yy hh:mm a`). */
  dateFormats?: readonly string[];
  /** Bounds on every instant; default: those in force when the reader is built (the moment of entry). */
  timeBounds?: TimeBounds;
}

const REQUIRED_COLUMNS = ["id", "title", "severity", "started_at"] as const;

/*
 * How a row is read. Two cheap steps per row instead of a zod transform per cell:
 *
 * 1. each column's `read` turns its cell (text, a list of texts, or absent) into a
 *    plain primitive: trimmed text, null for an empty cell, epoch ms (the common
 *    ISO-8601 UTC shape by hand, anything else through parseInstant), a number, a
 *    de-duplicated list. A cell that can't be read stays as its text, and one that
 *    isn't text at all becomes NOT_TEXT, so that zod rejects it;
 * 2. zod validates that object of primitives (types, lengths, ranges, enums, the
 *    cross-column rules) and says why in plain words. The reasons are computed only
 *    for a failing cell.
 */

/** A cell as the parsers hand it over: text, a list of texts, or absent. */
type Cell = string | string[] | undefined;

const isCell = (v: unknown): v is Cell =>
  v === undefined || typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));

function cellText(v: Cell): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(";") : v;
}

/** Stands in for a cell that is not text at all (neither a string nor a list of strings). */
const NOT_TEXT = Symbol("not text");
const NOT_TEXT_REASON = "is not text";

/** The cell's text, trimmed (a list joined with `;`); undefined when absent. */
function trimmed(v: unknown): string | undefined | typeof NOT_TEXT {
  if (typeof v === "string") return v.trim();
  if (v === undefined) return undefined;
  return isCell(v) ? cellText(v)!.trim() : NOT_TEXT;
}

/** One canonical column: its cell → primitive step, and the zod schema of the primitive. */
interface Column {
  read: (cell: unknown) => unknown;
  schema: z.ZodType;
  /**
   * True only for a primitive `schema` accepts unchanged (a cheap check, so a valid
   * row skips zod); false sends the row through zod, which finds the reason.
   */
  ok: (v: unknown) => boolean;
}

const isNullish = (v: unknown) => v === undefined || v === null;
/** zod's z.number(): a number, not NaN, finite. */
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isStringList = (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== "string") return false;
  return true;
};

const requiredText = (column: string, max = 500): Column => ({
  read: (v) => trimmed(v) ?? "",
  schema: z
    .string({ error: NOT_TEXT_REASON })
    .min(1, { error: `${column} is missing`, abort: true })
    .max(max, { error: `${column} is longer than ${max} characters`, abort: true }),
  ok: (v) => typeof v === "string" && v.length >= 1 && v.length <= max,
});

function readOptionalText(v: unknown): unknown {
  const s = trimmed(v);
  return s === undefined ? undefined : s || null;
}

const optionalText = (column: string, max = 500): Column => ({
  read: readOptionalText,
  schema: z
    .string({ error: NOT_TEXT_REASON })
    .max(max, { error: `${column} is longer than ${max} characters`, abort: true })
    .nullish(),
  ok: (v) => isNullish(v) || (typeof v === "string" && v.length <= max),
});

/** `a;b; c` or a JSON array → trimmed, non-empty, de-duplicated entries. */
export function splitList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) {
    // The usual cell (`a;b`, already clean) keeps split()'s array as it is.
    const parts = v.split(";");
    if (isCleanList(parts)) return parts;
  }
  const parts = Array.isArray(v) ? v : v.split(";");
  const out: string[] = [];
  for (const p of parts) {
    const s = String(p).trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** Every entry non-empty, trimmed and different from the others (a short list: pairwise is fine). */
function isCleanList(parts: string[]): boolean {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (!p || p.trim() !== p) return false;
    for (let j = 0; j < i; j++) if (parts[j] === p) return false;
  }
  return true;
}

const list = (): Column => ({
  read: (v) => (isCell(v) ? splitList(v) : NOT_TEXT),
  schema: z.array(z.string(), { error: NOT_TEXT_REASON }).optional(),
  ok: (v) => v === undefined || isStringList(v),
});

function instantColumn(column: string, ctx: RowContext, bounds: TimeBounds, required: boolean): Column {
  const opts = { timezone: ctx.timezone, formats: ctx.dateFormats };
  const reason = (s: string) => {
    const r = parseInstant(s, opts);
    return r.ok ? "is not a valid date/time" : r.reason;
  };
  const { min, max } = bounds;
  const inBounds = (v: unknown): boolean => isFiniteNumber(v) && v >= min && v <= max;
  const schema = z
    .number({
      error: (iss) =>
        iss.input === undefined ? `${column} is missing` : typeof iss.input === "string" ? `${column}: ${reason(iss.input)}` : NOT_TEXT_REASON,
    })
    .superRefine((v, c) => {
      const why = instantOutOfBounds(column, v, bounds);
      if (why) c.addIssue({ code: "custom", message: why });
    });
  return {
    read: (v) => {
      const s = trimmed(v);
      if (!s) return required || v === undefined ? undefined : null;
      if (s === NOT_TEXT) return s;
      const fast = isoUtcFast(s);
      if (fast === fast) return fast;
      const r = parseInstant(s, opts);
      return r.ok ? r.value : s;
    },
    schema: required ? schema : schema.nullish(),
    ok: required ? inBounds : (v) => isNullish(v) || inBounds(v),
  };
}

function percent(column: string): Column {
  const range = (iss: { input?: unknown }) => `${column} is ${String(iss.input)}, but a percentage must be between 0 and 100`;
  return {
    read: (v) => {
      const s = trimmed(v);
      if (!s) return v === undefined ? undefined : null;
      if (s === NOT_TEXT) return s;
      const n = Number(s.endsWith("%") ? s.slice(0, -1).trim() : s);
      return Number.isFinite(n) ? n : s;
    },
    schema: z
      .number({ error: (iss) => (typeof iss.input === "string" ? `${column} "${truncate(iss.input)}" is not a number` : NOT_TEXT_REASON) })
      .min(0, { error: range, abort: true })
      .max(100, { error: range, abort: true })
      .nullish(),
    ok: (v) => isNullish(v) || (isFiniteNumber(v) && v >= 0 && v <= 100),
  };
}

function oneOf(column: string, values: readonly [string, ...string[]]): Column {
  const allowed = new Set<unknown>(values);
  return {
    read: (v) => {
      const s = trimmed(v);
      if (s === NOT_TEXT) return s;
      return s ? s.toLowerCase() : v === undefined ? undefined : null;
    },
    schema: z
      .enum(values, {
        error: (iss) => (typeof iss.input === "string" ? `${column} "${truncate(iss.input)}" is not one of ${values.join(", ")}` : NOT_TEXT_REASON),
      })
      .nullish(),
    ok: (v) => isNullish(v) || allowed.has(v),
  };
}

const URL_PATTERN = /^https?:\/\/[^\s]+$/i;

const url = (column: string): Column => ({
  read: readOptionalText,
  schema: z
    .string({ error: NOT_TEXT_REASON })
    .max(2000, { error: `${column} is longer than 2000 characters`, abort: true })
    .regex(URL_PATTERN, { error: `${column} is not an http(s) URL` })
    .nullish(),
  ok: (v) => isNullish(v) || (typeof v === "string" && v.length <= 2000 && URL_PATTERN.test(v)),
});

function rowColumns(ctx: RowContext): Record<CanonicalColumn, Column> {
  const bounds = ctx.timeBounds ?? timeBounds();
  const instant = (column: string, required: boolean) => instantColumn(column, ctx, bounds, required);
  return {
    id: requiredText("id", 200),
    source: optionalText("source", 100),
    title: requiredText("title", 500),
    severity: requiredText("severity", 50),
    status: optionalText("status", 100),
    started_at: instant("started_at", true),
    resolved_at: instant("resolved_at", false),
    impact_start: instant("impact_start", false),
    impact_end: instant("impact_end", false),
    detected_at: instant("detected_at", false),
    mitigated_at: instant("mitigated_at", false),
    trigger: oneOf("trigger", TRIGGERS),
    change_type: optionalText("change_type", 100),
    deploy_system: optionalText("deploy_system", 200),
    services: list(),
    affected_features: list(),
    customer_impact_pct: percent("customer_impact_pct"),
    fleet_exposure_pct: percent("fleet_exposure_pct"),
    remediation: optionalText("remediation", 100),
    projects: list(),
    analysis_status: oneOf("analysis_status", ANALYSIS_STATUSES),
    override: oneOf("override", OVERRIDES),
    override_reason: optionalText("override_reason", 2000),
    url: url("url"),
    description: optionalText("description", MAX_TEXT),
  };
}

/** The primitives zod has checked (absent columns are undefined). */
interface TypedRow {
  id: string;
  source?: string | null;
  title: string;
  severity: string;
  status?: string | null;
  started_at: number;
  resolved_at?: number | null;
  impact_start?: number | null;
  impact_end?: number | null;
  detected_at?: number | null;
  mitigated_at?: number | null;
  trigger?: Trigger | null;
  change_type?: string | null;
  deploy_system?: string | null;
  services?: string[];
  affected_features?: string[];
  customer_impact_pct?: number | null;
  fleet_exposure_pct?: number | null;
  remediation?: string | null;
  projects?: string[];
  analysis_status?: AnalysisStatus | null;
  override?: Override | null;
  override_reason?: string | null;
  url?: string | null;
  description?: string | null;
}

type AddIssue = Pick<z.RefinementCtx, "addIssue">;

function before(c: AddIssue, a: number | null | undefined, b: number | null | undefined, ca: string, cb: string): void {
  if (a != null && b != null && b < a) {
    c.addIssue({ code: "custom", path: [cb], message: `${cb} (${iso(b)}) is before ${ca} (${iso(a)})` });
  }
}

function crossCheck(r: TypedRow, c: AddIssue): void {
  before(c, r.started_at, r.resolved_at, "started_at", "resolved_at");
  before(c, r.impact_start, r.impact_end, "impact_start", "impact_end");
  before(c, r.detected_at, r.mitigated_at, "detected_at", "mitigated_at");
  if (r.override && !r.override_reason) {
    c.addIssue({ code: "custom", path: ["override_reason"], message: `override "${r.override}" needs an override_reason` });
  }
}

/** crossCheck's verdict without zod: `failed` is set by any issue (the fast path then defers to zod for the messages). */
const crossProbe = {
  failed: false,
  addIssue() {
    crossProbe.failed = true;
  },
};

function toIncident(r: TypedRow, customFields: Record<string, string>, source: string): IncidentInput {
  const services = r.services;
  const curated: CuratedInput = {};
  if (r.trigger !== undefined) curated.trigger = r.trigger ?? "unknown";
  if (r.change_type !== undefined) curated.changeType = r.change_type;
  if (r.deploy_system !== undefined) curated.deploySystem = r.deploy_system;
  if (services !== undefined) curated.services = services;
  if (r.affected_features !== undefined) curated.affectedFeatures = r.affected_features;
  if (r.customer_impact_pct !== undefined) curated.customerImpactPct = r.customer_impact_pct;
  if (r.impact_start !== undefined) curated.impactStart = r.impact_start;
  if (r.impact_end !== undefined) curated.impactEnd = r.impact_end;
  if (r.detected_at !== undefined) curated.detectedAt = r.detected_at;
  if (r.mitigated_at !== undefined) curated.mitigatedAt = r.mitigated_at;
  if (r.remediation !== undefined) curated.remediation = r.remediation;
  if (r.fleet_exposure_pct !== undefined) curated.fleetExposurePct = r.fleet_exposure_pct;
  if (r.analysis_status !== undefined) curated.analysisStatus = r.analysis_status ?? "pending";
  if (r.override !== undefined) curated.override = r.override;
  if (r.override_reason !== undefined) curated.overrideReason = r.override_reason;
  if (r.projects !== undefined) curated.projects = r.projects;
  return {
    source: r.source || source,
    sourceId: r.id,
    title: r.title,
    description: r.description ?? null,
    severity: r.severity,
    status: r.status ?? null,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at ?? null,
    url: r.url ?? null,
    sourceServices: services ?? [],
    customFields,
    curated,
  };
}

/** A row zod refused: every problem, keyed by canonical column (or "(row)"). */
export class RowFailure {
  constructor(
    readonly sourceId: string | null,
    readonly issues: { column: string; message: string }[],
  ) {}
}

export interface CanonicalRowReader {
  /** The zod schema of one row's primitives (after the per-cell read). */
  readonly schema: z.ZodType<TypedRow>;
  /** One row keyed by column name; keys that are not canonical columns become custom fields. */
  readRow(row: CanonicalRow): IncidentInput | RowFailure;
  /**
   * A reader for CSV records laid out as `headers` (the canonical CSV path): the
   * same as keying each record by header (a repeated name: its last cell) and
   * calling readRow, without building that object per row.
   */
  forHeaders(headers: readonly string[]): (record: readonly string[]) => IncidentInput | RowFailure;
}

/**
 * Builds the row reader for one import (the time zone and date formats are per
 * import). `columns`, when given (a CSV header), limits it to those columns plus
 * the required ones, so absent columns cost nothing per row. `fastPath: false` sends
 * every row through zod (tests use it to hold the fast path to zod's verdicts).
 */
export function canonicalRowSchema(ctx: RowContext, columns?: readonly string[], opts: { fastPath?: boolean } = {}): CanonicalRowReader {
  const fastPath = opts.fastPath ?? true;
  const all = rowColumns(ctx);
  const keep = columns ? new Set<string>([...columns, ...REQUIRED_COLUMNS]) : null;
  const keys = CANONICAL_COLUMNS.filter((k) => !keep || keep.has(k));
  const reads = keys.map((k) => all[k].read);
  const oks = keys.map((k) => all[k].ok);
  // Every row object starts as a copy of this one, so it has all its keys (and one
  // hidden class) from the start: filling it then overwrites properties instead of
  // adding them one by one.
  const template: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, undefined]));
  const schema = z.object(Object.fromEntries(keys.map((k) => [k, all[k].schema]))).superRefine((r, c) => crossCheck(r as unknown as TypedRow, c)) as unknown as z.ZodType<TypedRow>;

  /**
   * True when zod would accept `typed` as it is: every column's primitive passes its
   * `ok` check and the cross-column rules hold. zod's output for such a row holds the
   * same values (no transforms), so the row can skip zod; any other row goes through
   * zod, which reports every issue.
   */
  const valid = (typed: Record<string, unknown>): boolean => {
    for (let j = 0; j < keys.length; j++) if (!oks[j](typed[keys[j]])) return false;
    crossProbe.failed = false;
    crossCheck(typed as unknown as TypedRow, crossProbe);
    return !crossProbe.failed;
  };

  const finish = (typed: Record<string, unknown>, custom: Record<string, string>, rawId: unknown): IncidentInput | RowFailure => {
    if (fastPath && valid(typed)) return toIncident(typed as unknown as TypedRow, custom, ctx.source);
    const r = schema.safeParse(typed);
    if (r.success) return toIncident(r.data, custom, ctx.source);
    const id = Array.isArray(rawId) ? rawId[0] : rawId;
    return new RowFailure(
      typeof id === "string" ? id.trim() || null : null,
      r.error.issues.map((i) => ({ column: String(i.path[0] ?? "(row)"), message: i.message })),
    );
  };

  return {
    schema,
    readRow(row) {
      const typed: Record<string, unknown> = { ...template };
      for (let j = 0; j < keys.length; j++) typed[keys[j]] = reads[j](row[keys[j]]);
      const custom: Record<string, string> = {};
      for (const k of Object.keys(row)) {
        if (CANONICAL_SET.has(k)) continue;
        const s = cellText(row[k]);
        if (s) custom[k] = s;
      }
      return finish(typed, custom, row.id);
    },
    forHeaders(headers) {
      const last = new Map<string, number>();
      headers.forEach((h, i) => {
        if (h) last.set(h, i);
      });
      const at = keys.map((k) => last.get(k) ?? -1);
      const customs = [...last].filter(([h]) => !CANONICAL_SET.has(h));
      const customNames = customs.map(([h]) => h);
      const customAt = customs.map(([, i]) => i);
      const idAt = last.get("id") ?? -1;
      return (record) => {
        const typed: Record<string, unknown> = { ...template };
        for (let j = 0; j < keys.length; j++) {
          const i = at[j];
          typed[keys[j]] = reads[j](i < 0 ? undefined : (record[i] ?? ""));
        }
        const custom: Record<string, string> = {};
        for (let j = 0; j < customNames.length; j++) {
          const s = record[customAt[j]];
          if (s) custom[customNames[j]] = s;
        }
        return finish(typed, custom, idAt < 0 ? undefined : (record[idAt] ?? ""));
      };
    },
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

