import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row (id = 1): the organisation's settings. */
export const settings = sqliteTable("settings", {
  id: integer("id").primaryKey(),
  fiscalYearStartMonth: integer("fiscal_year_start_month").notNull().default(1),
  timezone: text("timezone").notNull().default("UTC"),
  fiscalYearLabel: text("fiscal_year_label", { enum: ["start", "end"] }).notNull().default("end"),
  maturityDays: integer("maturity_days").notNull().default(30),
  /** Minutes before impact start in which a finished deploy suggests "change-triggered". */
  deployWindowMinutes: integer("deploy_window_minutes").notNull().default(60),
  /** Hours before an incident in which its services' deploys are offered as the causing change. */
  causeWindowHours: integer("cause_window_hours").notNull().default(24),
  /** DORA.md: a rollback rolls back the service's latest deployment at most this many hours earlier. */
  rollbackWindowHours: integer("rollback_window_hours").notNull().default(24),
  /** Text rules for triage suggestions: [{ pattern, suggestion, label }]. */
  suggestionRules: text("suggestion_rules", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
  maxImportBytes: integer("max_import_bytes").notNull().default(50 * 1024 * 1024),
  /** True while the database holds the generated demo program. */
  demoData: integer("demo_data", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

/** Append-only: saving a policy adds a version; the highest id is current. */
export const policyVersions = sqliteTable("policy_versions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  policy: text("policy", { mode: "json" }).$type<unknown>().notNull(),
  note: text("note"),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by"),
});

/** Append-only history of targets: the newest row for a quarter is in force; `hours` null clears it. */
export const quarterTargets = sqliteTable(
  "quarter_targets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quarter: text("quarter").notNull(),
    hours: real("hours"),
    note: text("note"),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [index("quarter_targets_quarter_idx").on(t.quarter, t.id)],
);

/**
 * A closed (frozen) quarter: the reported figure with the policy version and each
 * counted incident's contribution. Newest row per quarter is in force.
 */
export const quarterClosures = sqliteTable(
  "quarter_closures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quarter: text("quarter").notNull(),
    policyVersionId: integer("policy_version_id").references(() => policyVersions.id),
    settings: text("settings", { mode: "json" }).$type<unknown>().notNull(),
    hours: real("hours").notNull(),
    upperBoundHours: real("upper_bound_hours").notNull(),
    target: real("target"),
    status: text("status").notNull(),
    /** [{ incidentId, sourceId, title, hours, reason }] at closing time. */
    contributions: text("contributions", { mode: "json" }).$type<unknown[]>().notNull(),
    /** The published report's content, when this closure is a publication. */
    report: text("report", { mode: "json" }).$type<unknown>(),
    narrative: text("narrative"),
    published: integer("published", { mode: "boolean" }).notNull().default(false),
    reopenedAt: integer("reopened_at"),
    closedAt: integer("closed_at").notNull(),
    closedBy: text("closed_by"),
  },
  (t) => [
    index("quarter_closures_quarter_idx").on(t.quarter, t.id),
    // The foreign key to policy_versions: a delete there follows it.
    index("quarter_closures_policy_version_idx").on(t.policyVersionId),
  ],
);

/** The program lead's narrative for a quarter's report, edited before publishing. */
export const reportNarratives = sqliteTable("report_narratives", {
  quarter: text("quarter").primaryKey(),
  narrative: text("narrative").notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});
