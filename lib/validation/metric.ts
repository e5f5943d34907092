/**
 * zod schemas for the metric's configuration (settings, policy, targets) and for
 * metric case files. Shared by the settings UI, the API, the CLI and the engine tests.
 * Messages name the bad field, so a caller can print `field: message`.
 */
import { z } from "zod";
import { isQuarterId, MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, quarterOrdinal } from "@/lib/metric/calendar";
import { impactWindow } from "@/lib/metric/intervals";
import { ANALYSIS_STATUSES, FISCAL_YEAR_LABELS, MEDIUM_RULE_MATCHES, OVERLAP_MODES, OVERRIDES, SEVERITY_CLASSES, TRIGGERS } from "@/lib/metric/types";

/** True when `tz` is an IANA time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.trim() !== tz) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const quarterIdSchema = z
  .string()
  .trim()
  .refine(isQuarterId, { message: "must be a quarter id like FY2024-Q1" })
  .refine(
    (id) => {
      const fy = Number(id.slice(2, 6));
      return fy >= MIN_FISCAL_YEAR && fy <= MAX_FISCAL_YEAR;
    },
    { message: `fiscal year must be between ${MIN_FISCAL_YEAR} and ${MAX_FISCAL_YEAR}` },
  );

export const settingsSchema = z.strictObject({
  fiscalYearStartMonth: z.number().int("must be a whole number").min(1, "must be 1–12").max(12, "must be 1–12"),
  timezone: z.string().refine(isTimeZone, { message: "must be an IANA time zone such as UTC or Europe/London" }),
  fiscalYearLabel: z.enum(FISCAL_YEAR_LABELS),
  maturityDays: z.number().int("must be a whole number").min(0, "must be 0 or more").max(3650, "must be at most 3650"),
});
export const settingsPatchSchema = settingsSchema.partial();

const tagList = z.array(z.string().trim().min(1, "must not be empty")).max(500);

export const mediumRuleSchema = z.strictObject({
  match: z.enum(MEDIUM_RULE_MATCHES),
  minDurationMinutes: z.number().min(0, "must be 0 or more").finite().nullable().optional(),
  minCustomerImpactPct: z.number().min(0, "must be 0–100").max(100, "must be 0–100").nullable().optional(),
  features: tagList.optional(),
  services: tagList.optional(),
});

export const policySchema = z.strictObject({
  severityClasses: z
    .record(z.string().trim().min(1, "severity key must not be empty"), z.enum(SEVERITY_CLASSES))
    .superRefine((classes, ctx) => {
      const seen = new Map<string, string>();
      for (const key of Object.keys(classes)) {
        const norm = key.trim().toLowerCase();
        const prior = seen.get(norm);
        if (prior !== undefined && classes[prior] !== classes[key]) {
          ctx.addIssue({ code: "custom", path: [key], message: `conflicts with "${prior}" (keys match case-insensitively)` });
        }
        seen.set(norm, key);
      }
    }),
  requireChangeTriggered: z.boolean(),
  mediumRule: mediumRuleSchema,
  overlap: z.enum(OVERLAP_MODES),
});

export const targetHoursSchema = z.number().finite().min(0, "must be 0 or more hours");
export const targetsSchema = z.record(quarterIdSchema, targetHoursSchema);

/** `{settings?, policy?, targets?}`: per-run overrides (`cli metrics --config`) and the settings UI. */
export const metricConfigSchema = z.strictObject({
  settings: settingsPatchSchema.optional(),
  policy: policySchema.optional(),
  targets: targetsSchema.optional(),
});

/** An ISO-8601 instant with its offset, as case files write them. */
export const instant = z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant with offset, e.g. 2024-01-01T00:00:00Z" });
const nullableInstant = instant.nullable().optional();
const pct = z.number().min(0, "must be 0–100").max(100, "must be 0–100").nullable().optional();

export const caseIncidentSchema = z
  .object({
    id: z.string().min(1, "must not be empty"),
    severity: z.string(),
    trigger: z.enum(TRIGGERS),
    startedAt: instant,
    resolvedAt: instant.nullable(),
    impactStart: nullableInstant,
    impactEnd: nullableInstant,
    customerImpactPct: pct,
    affectedFeatures: z.array(z.string()).optional(),
    services: z.array(z.string()).optional(),
    override: z.enum(OVERRIDES).nullable().optional(),
    analysisStatus: z.enum(ANALYSIS_STATUSES).optional(),
    deploySystem: z.string().nullable().optional(),
    changeType: z.string().nullable().optional(),
    remediation: z.string().nullable().optional(),
    detectedAt: nullableInstant,
    mitigatedAt: nullableInstant,
    fleetExposurePct: pct,
    duplicateOf: z.string().nullable().optional(),
  })
  .superRefine((inc, ctx) => {
    const w = impactWindow(inc);
    if (w.end != null && Date.parse(w.end) < Date.parse(w.start)) {
      ctx.addIssue({
        code: "custom",
        path: [inc.impactEnd != null ? "impactEnd" : "resolvedAt"],
        message: `impact window ends before it starts (${w.end} < ${w.start})`,
      });
    }
  });

/**
 * `?from=FY2024-Q1&to=FY2025-Q4` in a query string, either end optional (the caller
 * defaults it): spread into a route's own schema. The order (from ≤ to) is checked where
 * the range meets the calendar, which knows the defaults.
 */
export const quarterRangeQueryShape = { from: quarterIdSchema.optional(), to: quarterIdSchema.optional() };

export const quarterRangeSchema = z
  .object({ from: quarterIdSchema, to: quarterIdSchema })
  .refine((r) => quarterOrdinal(r.from) <= quarterOrdinal(r.to), { message: "range.from is after range.to", path: ["to"] });

/** A superRefine flagging every repeated `id` in the list under `key`, by position (`duplicate <noun> id "x"`). */
export function refineUniqueIds<K extends string>(key: K, noun: string) {
  return (value: { [P in K]: readonly { id: string }[] }, ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    value[key].forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: "custom", path: [key, i, "id"], message: `duplicate ${noun} id "${item.id}"` });
      seen.add(item.id);
    });
  };
}

export const caseFileSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    settings: settingsPatchSchema.optional(),
    policy: policySchema,
    targets: targetsSchema.optional(),
    asOf: instant,
    range: quarterRangeSchema,
    incidents: z.array(caseIncidentSchema),
    expected: z.unknown().optional(),
  })
  .superRefine(refineUniqueIds("incidents", "incident"));

export type SettingsInput = z.infer<typeof settingsSchema>;
export type PolicyInput = z.infer<typeof policySchema>;
export type MetricConfigInput = z.infer<typeof metricConfigSchema>;
export type CaseFileInput = z.infer<typeof caseFileSchema>;

/** Zod issues → one line: `policy.overlap: Invalid option…; incidents.3.startedAt: …` (first 5). */
export function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }, max = 5): string {
  const parts = error.issues.slice(0, max).map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
  if (error.issues.length > max) parts.push(`and ${error.issues.length - max} more`);
  return parts.join("; ");
}

/** Verdicts per page of `GET /api/metrics/quarters?include=incidents`: default and most. */
export const METRICS_PAGE_DEFAULT = 1000;
export const METRICS_PAGE_MAX = 5000;
const pagingParams = ["limit", "cursor", "quarter", "counted"] as const;

/** The query of `GET /api/metrics/quarters` (strings in, typed out); paging and filters only with include=incidents. */
export const metricsQuerySchema = z
  .strictObject({
    ...quarterRangeQueryShape,
    asOf: z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant, e.g. 2024-12-31T00:00:00Z" }).optional(),
    include: z.enum(["incidents"], { message: 'must be "incidents" (per-incident verdicts, paginated)' }).optional(),
    limit: z
      .string()
      .regex(/^\d{1,9}$/, "must be a whole number")
      .transform(Number)
      .pipe(z.number().min(1, "must be at least 1").max(METRICS_PAGE_MAX, `must be at most ${METRICS_PAGE_MAX}`))
      .optional(),
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,14}$/, "is not a cursor this API gave out: pass page.nextCursor back as it came")
      .transform(Number)
      .optional(),
    quarter: quarterIdSchema.optional(),
    counted: z
      .enum(["true", "false"], { message: 'must be "true" or "false"' })
      .transform((v) => v === "true")
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.include) return;
    for (const key of pagingParams) {
      if (q[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "only applies with include=incidents" });
    }
  });
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;
