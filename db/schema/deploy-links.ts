import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { deployEvents } from "./catalog";
import { incidents } from "./incidents";

/** `cause`: this deploy caused the incident; `remediation`: it was made to fix it (DORA.md). */
export const DEPLOY_LINK_KINDS = ["cause", "remediation"] as const;
export type DeployLinkKind = (typeof DEPLOY_LINK_KINDS)[number];

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
