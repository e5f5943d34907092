import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every change and every security event: who, when, what, old value to new.
 * An incident's history is this table filtered to its entity.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type"),
    entityId: text("entity_id"),
    before: text("before", { mode: "json" }).$type<unknown>(),
    after: text("after", { mode: "json" }).$type<unknown>(),
    /** Extra context, e.g. the quarter figures an incident edit moved. */
    detail: text("detail", { mode: "json" }).$type<unknown>(),
    ip: text("ip"),
  },
  (t) => [
    index("audit_entity_idx").on(t.entityType, t.entityId, t.id),
    index("audit_at_idx").on(t.at),
    index("audit_action_idx").on(t.action),
    // The audit page filters by who acted, newest first.
    index("audit_actor_idx").on(t.actorLabel, t.id),
  ],
);
