/**
 * The canonical incident: one zod schema shared by the importer, forms, API and CLI.
 *
 * Two shapes:
 * - `canonicalRowSchema(ctx)` reads one row of the canonical import format
 *   (snake_case columns, text cells as they come out of CSV/JSON) into an
 *   `IncidentInput`, with plain reasons keyed by column;
 * - `incidentInputSchema` checks an already-typed `IncidentInput` (epoch ms),
 *   for callers that build incidents in code (API bodies, demo seed).
 */
import { z } from "zod";
import { parseInstant, truncate } from "@/lib/import/time";

export const TRIGGERS = ["change", "other", "unknown"] as const;
export const ANALYSIS_STATUSES = ["pending", "final"] as const;
export const OVERRIDES = ["include", "exclude"] as const;

/** Columns of the canonical format (IMPORT.md). Any other column is kept as a custom field. */
export const CANONICAL_COLUMNS = [
  "id",
  "source",
  "title",
  "severity",
  "status",
  "started_at",
  "resolved_at",
  "impact_start",
  "impact_end",
  "detected_at",
  "mitigated_at",
  "trigger",
  "change_type",
  "deploy_system",
  "services",
  "affected_features",
  "customer_impact_pct",
  "fleet_exposure_pct",
  "remediation",
  "projects",
  "analysis_status",
  "override",
  "override_reason",
  "url",
  "description",
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];
const CANONICAL_SET = new Set<string>(CANONICAL_COLUMNS);
export function isCanonicalColumn(name: string): name is CanonicalColumn {
  return CANONICAL_SET.has(name);
}

export type Trigger = (typeof TRIGGERS)[number];
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];
export type Override = (typeof OVERRIDES)[number];

/**
 * Fields engineers curate. `undefined` means "the file does not say": on create
 * the default applies, on an update with `overwriteCurated` the field is left alone.
 */
export interface CuratedInput {
  trigger?: Trigger;
  changeType?: string | null;
  deploySystem?: string | null;
  services?: string[];
  affectedFeatures?: string[];
  customerImpactPct?: number | null;
  impactStart?: number | null;
  impactEnd?: number | null;
  detectedAt?: number | null;
  mitigatedAt?: number | null;
  remediation?: string | null;
  fleetExposurePct?: number | null;
  analysisStatus?: AnalysisStatus;
  override?: Override | null;
  overrideReason?: string | null;
  /** Slugs of deploy-safety projects this incident is attributed to. */
  projects?: string[];
}

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

/** A canonical row: cells as text; list cells may already be arrays (JSON input). */
export type CanonicalRow = Record<string, string | string[] | undefined>;

export interface RowContext {
  /** The import's source name, used when a row has no `source`. */
  source: string;
  /** IANA zone for times written without an offset; none means such times are errors. */
  timezone?: string | null;
  /** Extra date-fns patterns a source writes its times in (Jira: `dd/MMM/yy hh:mm a`). */
  dateFormats?: readonly string[];
}

const MAX_TEXT = 100_000;

/**
 * A cell as the parsers hand it over: text, a list of texts, or absent. Typed with
 * z.custom rather than a union: this runs once per cell of every imported row,
 * and a union costs several times more for the same guarantee.
 */
const isCell = (v: unknown): v is string | string[] | undefined =>
  v === undefined || typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
const cell = () => z.custom<string | string[] | undefined>(isCell, { message: "is not text" }).optional();

function cellText(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(";") : v;
}

const requiredText = (column: string, max = 500) =>
  cell()
    .transform((v, ctx) => {
      const s = cellText(v)?.trim() ?? "";
      if (!s) {
        ctx.addIssue({ code: "custom", message: `${column} is missing` });
        return z.NEVER;
      }
      if (s.length > max) {
        ctx.addIssue({ code: "custom", message: `${column} is longer than ${max} characters` });
        return z.NEVER;
      }
      return s;
    });

const optionalText = (column: string, max = 500) =>
  cell()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const s = cellText(v)!.trim();
      if (s.length > max) {
        ctx.addIssue({ code: "custom", message: `${column} is longer than ${max} characters` });
        return z.NEVER;
      }
      return s || null;
    });

/** `a;b; c` or a JSON array → trimmed, non-empty, de-duplicated entries. */
export function splitList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const parts = Array.isArray(v) ? v : v.split(";");
  const out: string[] = [];
  for (const p of parts) {
    const s = String(p).trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

const list = () => cell().transform(splitList);

const instant = (column: string, ctx0: RowContext, required: boolean) =>
  cell()
    .transform((v, ctx) => {
      const s = cellText(v)?.trim();
      if (!s) {
        if (required) {
          ctx.addIssue({ code: "custom", message: `${column} is missing` });
          return z.NEVER;
        }
        return v === undefined ? undefined : null;
      }
      const r = parseInstant(s, { timezone: ctx0.timezone, formats: ctx0.dateFormats });
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: `${column}: ${r.reason}` });
        return z.NEVER;
      }
      return r.value;
    });

const percent = (column: string) =>
  cell()
    .transform((v, ctx) => {
      const s = cellText(v)?.trim();
      if (!s) return v === undefined ? undefined : null;
      const n = Number(s.endsWith("%") ? s.slice(0, -1).trim() : s);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: "custom", message: `${column} "${truncate(s)}" is not a number` });
        return z.NEVER;
      }
      if (n < 0 || n > 100) {
        ctx.addIssue({ code: "custom", message: `${column} is ${n}, but a percentage must be between 0 and 100` });
        return z.NEVER;
      }
      return n;
    });

function oneOf<T extends string>(column: string, values: readonly T[]) {
  return cell()
    .transform((v, ctx): T | null | undefined => {
      const s = cellText(v)?.trim().toLowerCase();
      if (!s) return v === undefined ? undefined : null;
      if ((values as readonly string[]).includes(s)) return s as T;
      ctx.addIssue({ code: "custom", message: `${column} "${truncate(s)}" is not one of ${values.join(", ")}` });
      return z.NEVER;
    });
}

const url = (column: string) =>
  optionalText(column, 2000).refine(
    (s) => s == null || /^https?:\/\/[^\s]+$/i.test(s),
    { message: `${column} is not an http(s) URL` },
  );

function rowShape(ctx: RowContext) {
  return {
    id: requiredText("id", 200),
    source: optionalText("source", 100),
    title: requiredText("title", 500),
    severity: requiredText("severity", 50),
    status: optionalText("status", 100),
    started_at: instant("started_at", ctx, true),
    resolved_at: instant("resolved_at", ctx, false),
    impact_start: instant("impact_start", ctx, false),
    impact_end: instant("impact_end", ctx, false),
    detected_at: instant("detected_at", ctx, false),
    mitigated_at: instant("mitigated_at", ctx, false),
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

/**
 * Builds the row schema for one import (the time zone and date formats are per
 * import). `columns`, when given (a CSV header), limits the schema to those
 * columns plus the required ones, so absent columns cost nothing per row.
 */
export function canonicalRowSchema(ctx: RowContext, columns?: readonly string[]) {
  const shape = rowShape(ctx);
  if (columns) {
    const keep = new Set<string>([...columns, "id", "title", "severity", "started_at"]);
    for (const k of Object.keys(shape)) if (!keep.has(k)) delete (shape as Record<string, unknown>)[k];
  }
  return z
    .looseObject(shape as ReturnType<typeof rowShape>)
    .superRefine((r, c) => {
      const before = (a: number | null | undefined, b: number | null | undefined, ca: string, cb: string) => {
        if (a != null && b != null && b < a) {
          c.addIssue({ code: "custom", path: [cb], message: `${cb} (${iso(b)}) is before ${ca} (${iso(a)})` });
        }
      };
      before(r.started_at, r.resolved_at, "started_at", "resolved_at");
      before(r.impact_start, r.impact_end, "impact_start", "impact_end");
      before(r.detected_at, r.mitigated_at, "detected_at", "mitigated_at");
      if (r.override && !r.override_reason) {
        c.addIssue({ code: "custom", path: ["override_reason"], message: `override "${r.override}" needs an override_reason` });
      }
    })
    .transform((r): IncidentInput => {
      const customFields: Record<string, string> = {};
      for (const [k, v] of Object.entries(r)) {
        if (!CANONICAL_SET.has(k) && v !== undefined) {
          const s = cellText(v as string | string[]);
          if (s) customFields[k] = s;
        }
      }
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
        source: r.source || ctx.source,
        sourceId: r.id,
        title: r.title,
        description: r.description ?? null,
        severity: r.severity,
        status: r.status ?? null,
        startedAt: r.started_at as number,
        resolvedAt: r.resolved_at ?? null,
        url: r.url ?? null,
        sourceServices: services ?? [],
        customFields,
        curated,
      };
    });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const epochMs = z.number().int().finite();
const pct = z.number().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100");

/** The curated fields as a form or API body sends them (epoch ms instants). */
export const curatedInputSchema = z.object({
  trigger: z.enum(TRIGGERS).optional(),
  changeType: z.string().trim().max(100).nullable().optional(),
  deploySystem: z.string().trim().max(200).nullable().optional(),
  services: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  affectedFeatures: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  customerImpactPct: pct.nullable().optional(),
  impactStart: epochMs.nullable().optional(),
  impactEnd: epochMs.nullable().optional(),
  detectedAt: epochMs.nullable().optional(),
  mitigatedAt: epochMs.nullable().optional(),
  remediation: z.string().trim().max(100).nullable().optional(),
  fleetExposurePct: pct.nullable().optional(),
  analysisStatus: z.enum(ANALYSIS_STATUSES).optional(),
  override: z.enum(OVERRIDES).nullable().optional(),
  overrideReason: z.string().trim().max(2000).nullable().optional(),
  projects: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
});

/** A typed incident (as the writer takes it), for callers that build incidents in code. */
export const incidentInputSchema = z
  .object({
    source: z.string().trim().min(1).max(100),
    sourceId: z.string().trim().min(1, "id is missing").max(200),
    title: z.string().trim().min(1, "title is missing").max(500),
    description: z.string().max(MAX_TEXT).nullable(),
    severity: z.string().trim().min(1, "severity is missing").max(50),
    status: z.string().max(100).nullable(),
    startedAt: epochMs,
    resolvedAt: epochMs.nullable(),
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
