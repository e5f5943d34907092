import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { deployEvents } from "./catalog";
import { incidents } from "./incidents";
import { DEPLOY_LINK_KINDS } from "../../lib/metric/dora";

export { DEPLOY_LINK_KINDS, type DeployLinkKind } from "../../lib/metric/dora";

/**
 * Confirmed links between incidents and deploy events: curated (an engineer confirms them),
 * never written by an import, audited. An incident may have several causes; a deploy may
 * cause several incidents. Removing either side removes the link.
 */
export const incidentDeployLinks = sqliteTable(
  "incident_deploy_links",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    deployId: integer("deploy_id")
      .notNull()
      .references(() => deployEvents.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: DEPLOY_LINK_KINDS }).notNull(),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.deployId, t.kind] }), index("incident_deploy_links_deploy_idx").on(t.deployId)],
);

export type DeployLinkRow = typeof incidentDeployLinks.$inferSelect;
