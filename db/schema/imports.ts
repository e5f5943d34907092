import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const importBatches = sqliteTable("import_batches", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  kind: text("kind", { enum: ["incidents", "deploys", "projects"] }).notNull().default("incidents"),
  source: text("source").notNull(),
  format: text("format").notNull(),
  fileName: text("file_name"),
  createdCount: integer("created_count").notNull().default(0),
  updatedCount: integer("updated_count").notNull().default(0),
  unchangedCount: integer("unchanged_count").notNull().default(0),
  rejectedCount: integer("rejected_count").notNull().default(0),
  /** The rejected rows' reasons, kept so the batch page can show them later. */
  rejects: text("rejects", { mode: "json" }).$type<unknown[]>(),
  status: text("status", { enum: ["applied", "undone"] }).notNull().default("applied"),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by"),
  undoneAt: integer("undone_at"),
  undoneBy: text("undone_by"),
});

/** What a batch did to each incident, so undo can delete what it created and restore what it updated. */
export const importBatchItems = sqliteTable(
  "import_batch_items",
  {
    batchId: integer("batch_id")
      .notNull()
      .references(() => importBatches.id, { onDelete: "cascade" }),
    incidentId: integer("incident_id").notNull(),
    action: text("action", { enum: ["created", "updated"] }).notNull(),
    /** The incident's source-owned (and, if overwritten, curated) fields before the update. */
    before: text("before", { mode: "json" }).$type<unknown>(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.incidentId] }), index("import_batch_items_incident_idx").on(t.incidentId)],
);

/** Named column mappings for "any other CSV", reusable from the CLI with --preset. */
export const importPresets = sqliteTable("import_presets", {
  name: text("name").primaryKey(),
  mapping: text("mapping", { mode: "json" }).$type<unknown>().notNull(),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by"),
  updatedAt: integer("updated_at").notNull(),
});
