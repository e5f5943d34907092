import { integer, sqliteTable } from "drizzle-orm/sqlite-core";

/**
 * Which incidents changed, in commit order: written only by the triggers of migration
 * 0002 (every insert, update and delete on `incidents` and `incident_curation`, whoever
 * the writer: app, CLI, another process). Readers that keep incidents in memory
 * (db/queries/incident-store.ts) re-read just the ids logged after the last `seq` they
 * saw. The log prunes itself to its newest entries; a reader that fell further behind
 * reloads everything. `seq` only grows: the pruning never deletes the newest row, so
 * SQLite's max(rowid)+1 never goes back.
 */
export const incidentChanges = sqliteTable("incident_changes", {
  seq: integer("seq").primaryKey(),
  incidentId: integer("incident_id").notNull(),
});
