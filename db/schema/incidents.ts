import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ANALYSIS_STATUSES, OVERRIDES, TRIGGERS } from "../../lib/metric/types";
import { importBatches } from "./imports";

/**
 * What the source tool owns. A re-import may rewrite these columns and nothing else.
 * Instants are epoch milliseconds (UTC).
 */
export const incidents = sqliteTable(
  "incidents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    source: text("source").notNull(),
    sourceId: text("source_id").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    severity: text("severity").notNull(),
    status: text("status"),
    startedAt: integer("started_at").notNull(),
    resolvedAt: integer("resolved_at"),
    url: text("url"),
    sourceServices: text("source_services", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    customFields: text("custom_fields", { mode: "json" }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
    /** Hash of the source-owned fields, so an unchanged re-import is recognised cheaply. */
    sourceHash: text("source_hash").notNull(),
    importBatchId: integer("import_batch_id").references(() => importBatches.id, { onDelete: "set null" }),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("incidents_source_uq").on(t.source, t.sourceId),
    index("incidents_started_idx").on(t.startedAt),
    index("incidents_severity_idx").on(t.severity),
    // incidents.import_batch_id is a foreign key (ON DELETE SET NULL): deleting a batch row follows it.
    index("incidents_import_batch_idx").on(t.importBatchId),
  ],
);

/**
 * What engineers curate, one row per incident. Kept in its own table so an import
 * can never overwrite a tag by accident: the importer writes here only on create,
 * or when the user explicitly asks to overwrite curated fields.
 */
export const incidentCuration = sqliteTable(
  "incident_curation",
  {
    incidentId: integer("incident_id")
      .primaryKey()
      .references(() => incidents.id, { onDelete: "cascade" }),
    trigger: text("trigger", { enum: TRIGGERS }).notNull().default("unknown"),
    changeType: text("change_type"),
    deploySystem: text("deploy_system"),
    services: text("services", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    affectedFeatures: text("affected_features", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    customerImpactPct: real("customer_impact_pct"),
    impactStart: integer("impact_start"),
    impactEnd: integer("impact_end"),
    detectedAt: integer("detected_at"),
    mitigatedAt: integer("mitigated_at"),
    remediation: text("remediation"),
    fleetExposurePct: real("fleet_exposure_pct"),
    analysisStatus: text("analysis_status", { enum: ANALYSIS_STATUSES }).notNull().default("pending"),
    override: text("override", { enum: OVERRIDES }),
    overrideReason: text("override_reason"),
    /** Same incident recorded by another tool: only the original counts. */
    duplicateOfId: integer("duplicate_of_id").references(() => incidents.id, { onDelete: "set null" }),
    linkedDeployId: integer("linked_deploy_id"),
    reviewedAt: integer("reviewed_at"),
    reviewedBy: text("reviewed_by"),
    /** Optimistic-concurrency counter: a save names the version it edited. */
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by"),
  },
  (t) => [
    index("curation_trigger_idx").on(t.trigger),
    index("curation_deploy_system_idx").on(t.deploySystem),
    index("curation_change_type_idx").on(t.changeType),
    // Dashboards and reports count counted-but-unreviewed tags.
    index("curation_reviewed_idx").on(t.reviewedAt),
    // Deleting an incident follows duplicate_of_id (ON DELETE SET NULL): without an index each
    // delete scanned every curation row (undo of 30,000 incidents took minutes). Partial: almost
    // every row is NULL, and SQLite still uses it for the foreign key's "= ?" lookup.
    index("curation_duplicate_of_idx").on(t.duplicateOfId).where(sql`"duplicate_of_id" IS NOT NULL`),
    // Which incidents link a deploy event (deploy removal and the deploy's page follow it).
    index("curation_linked_deploy_idx").on(t.linkedDeployId).where(sql`"linked_deploy_id" IS NOT NULL`),
  ],
);

export type IncidentRow = typeof incidents.$inferSelect;
export type NewIncidentRow = typeof incidents.$inferInsert;
export type CurationRow = typeof incidentCuration.$inferSelect;
export type NewCurationRow = typeof incidentCuration.$inferInsert;
