/**
 * Projects as forms, the API, the CLI and the importer send them. camelCase; one
 * schema checks a whole project, so every field error comes back at once.
 *
 * `projectFromRecord` first turns loose text input (form fields, CSV cells,
 * snake_case JSON keys, "a, b; c" lists, "" for empty) into the typed shape, leaving
 * anything it cannot read as is so the schema names the field.
 */
import { z } from "zod";
import { isLocalDate } from "@/lib/projects/phase";
import { PROJECT_STATUSES } from "@/lib/projects/status";
import { readTimeMin } from "./time-bounds";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_LAG_MONTHS = 36;
export const DEFAULT_LAG = { min: 3, max: 6 } as const;

const list = (what: string) =>
  z
    .array(z.string().trim().min(1, `${what} must not be empty`).max(100, `${what} must be at most 100 characters`))
    .max(100, `at most 100 ${what}s`)
    .transform((xs) => [...new Map(xs.map((x) => [x.toLowerCase(), x])).values()]);

const months = (label: string) =>
  z
    .number({ message: `${label} must be a number of months` })
    .int(`${label} must be a whole number of months`)
    .min(0, `${label} must be 0–${MAX_LAG_MONTHS} months`)
    .max(MAX_LAG_MONTHS, `${label} must be 0–${MAX_LAG_MONTHS} months`);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

/** Ten years: a planned delivery may lie ahead, but the lag window after it must stay within the calendar. */
const DELIVERY_MAX_YEARS_AHEAD = 10;

/**
 * Why a delivery date (YYYY-MM-DD) is out of bounds, or null: not before TIME_MIN's date,
 * not more than ten years after today.
 */
function deliveryDateOutOfBounds(date: string): string | null {
  const min = readTimeMin();
  const day = Date.parse(`${date}T00:00:00Z`);
  const minDay = new Date(min).toISOString().slice(0, 10);
  if (day < Date.parse(`${minDay}T00:00:00Z`)) return `delivery date ${date} is before ${minDay}, the earliest date accepted (TIME_MIN)`;
  const now = new Date();
  const maxDay = `${String(now.getUTCFullYear() + DELIVERY_MAX_YEARS_AHEAD).padStart(4, "0")}-12-31`;
  if (date > maxDay) return `delivery date ${date} is after ${maxDay}, more than ${DELIVERY_MAX_YEARS_AHEAD} years ahead`;
  return null;
}

export const projectInputSchema = z
  .strictObject({
    slug: z
      .string({ message: "slug is required" })
      .trim()
      .min(2, "slug must be at least 2 characters")
      .max(60, "slug must be at most 60 characters")
      .regex(SLUG_PATTERN, "slug may hold lowercase letters, digits and single hyphens (e.g. automatic-rollbacks)"),
    name: z.string({ message: "name is required" }).trim().min(1, "name is required").max(120, "name must be at most 120 characters"),
    ownerTeam: optionalText(120),
    description: optionalText(4000),
    status: z.enum(PROJECT_STATUSES, { message: `status must be one of ${PROJECT_STATUSES.join(", ")}` }).default("planned"),
    deliveredOn: z
      .string()
      .trim()
      .refine((v) => v === "" || isLocalDate(v), { message: "delivery date must be a real date written YYYY-MM-DD", abort: true })
      .superRefine((v, ctx) => {
        const why = v === "" ? null : deliveryDateOutOfBounds(v);
        if (why) ctx.addIssue({ code: "custom", message: why });
      })
      .nullable()
      .optional()
      .transform((v) => (v ? v : null)),
    scopeServices: list("service").default([]),
    scopeDeploySystems: list("deploy system").default([]),
    scopeChangeTypes: list("change type").default([]),
    lagMinMonths: months("minimum lag").default(DEFAULT_LAG.min),
    lagMaxMonths: months("maximum lag").default(DEFAULT_LAG.max),
    expectedEffectHours: z
      .number({ message: "expected effect must be a number of hours" })
      .finite("expected effect must be a number of hours")
      .min(0, "expected effect must be 0 or more hours")
      .max(100_000, "expected effect must be at most 100000 hours")
      .nullable()
      .optional()
      .transform((v) => v ?? null),
  })
  // Cross-field rules run even when other fields failed (`when`), so a form gets every error at once.
  .refine((p) => !(p != null && typeof p.lagMinMonths === "number" && typeof p.lagMaxMonths === "number" && p.lagMinMonths > p.lagMaxMonths), {
    path: ["lagMaxMonths"],
    message: "maximum lag must be at least the minimum lag",
    when: () => true,
  })
  .refine((p) => !(p != null && p.status === "delivered" && !p.deliveredOn), {
    path: ["deliveredOn"],
    message: "delivery date is required when the status is delivered",
    when: () => true,
  });

export type ProjectInput = z.output<typeof projectInputSchema>;
export type ProjectInputRaw = z.input<typeof projectInputSchema>;

/**
 * What lag markers and the target plan read of a project: its delivery date (local calendar
 * date `YYYY-MM-DD` in the organisation's time zone, or null when not set) and lag window.
 */
export type ProjectDelivery = Pick<ProjectInput, "slug" | "name" | "status" | "deliveredOn" | "lagMinMonths" | "lagMaxMonths">;

/** Fields in form/CSV order, with their snake_case column names. */
export const PROJECT_FIELDS = [
  ["slug", "slug"],
  ["name", "name"],
  ["ownerTeam", "owner_team"],
  ["description", "description"],
  ["status", "status"],
  ["deliveredOn", "delivered_on"],
  ["scopeServices", "scope_services"],
  ["scopeDeploySystems", "scope_deploy_systems"],
  ["scopeChangeTypes", "scope_change_types"],
  ["lagMinMonths", "lag_min_months"],
  ["lagMaxMonths", "lag_max_months"],
  ["expectedEffectHours", "expected_effect_hours"],
] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number][0];
/** The field names alone, in the same order: what a project's columns, audit rows and API JSON hold. */
export const PROJECT_FIELD_NAMES: readonly ProjectField[] = PROJECT_FIELDS.map(([field]) => field);
/** The lists that scope a project (which incidents it is judged by); the API nests them as `scope`. */
export const PROJECT_SCOPE_FIELDS = ["scopeServices", "scopeDeploySystems", "scopeChangeTypes"] as const satisfies readonly ProjectField[];
export type ProjectScopeField = (typeof PROJECT_SCOPE_FIELDS)[number];

const LIST_FIELDS = new Set<string>(PROJECT_SCOPE_FIELDS);
const INT_FIELDS = new Set<string>(["lagMinMonths", "lagMaxMonths"]);
const NULLABLE_FIELDS = new Set<string>(["ownerTeam", "description", "deliveredOn", "expectedEffectHours"]);
const BY_COLUMN = new Map<string, string>(PROJECT_FIELDS.flatMap(([field, column]) => [[column, field], [field.toLowerCase(), field]]));

/** `"a, b; c"` → `["a","b","c"]`; arrays pass through. */
export function splitList(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value
    .split(/[,;|\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Loose record (form fields, a CSV row, a JSON object with camelCase or snake_case
 * keys) → the shape `projectInputSchema` parses. Blank text means "not given"
 * (default or null); numbers in text are read; unknown keys are kept so the strict
 * schema reports them. Absent keys stay absent, so a patch can be merged first.
 */
export function projectFromRecord(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(record)) {
    const key = BY_COLUMN.get(rawKey.trim().toLowerCase()) ?? BY_COLUMN.get(rawKey.trim().toLowerCase().replaceAll(" ", "_")) ?? rawKey;
    let v = value;
    if (typeof v === "string" && v.trim() === "") {
      if (NULLABLE_FIELDS.has(key)) out[key] = null;
      else if (LIST_FIELDS.has(key)) out[key] = [];
      else if (key === "slug" || key === "name") out[key] = "";
      continue;
    }
    if (LIST_FIELDS.has(key)) v = splitList(v);
    else if ((INT_FIELDS.has(key) || key === "expectedEffectHours") && typeof v === "string") {
      const n = Number(v.trim());
      v = Number.isFinite(n) ? n : v;
    } else if (key === "status" && typeof v === "string") v = v.trim().toLowerCase().replace(/[\s-]+/g, "_");
    out[key] = v;
  }
  return out;
}

/** Parses a loose record into a valid project, or the zod error listing every issue. */
export function parseProject(record: Record<string, unknown>) {
  return projectInputSchema.safeParse(projectFromRecord(record));
}

export const attachIncidentsSchema = z.strictObject({
  incidentIds: z
    .array(z.number({ message: "incident ids must be numbers" }).int("incident ids must be whole numbers").positive("incident ids must be positive"))
    .min(1, "choose at least one incident")
    .max(5000, "at most 5000 incidents at once"),
});
