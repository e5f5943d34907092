import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { incidents } from "./incidents";

export const services = sqliteTable("services", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  ownerTeam: text("owner_team"),
  description: text("description"),
});

export const deploySystems = sqliteTable("deploy_systems", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  description: text("description"),
});

export const projects = sqliteTable("projects", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  ownerTeam: text("owner_team"),
  description: text("description"),
  status: text("status", { enum: ["planned", "in_progress", "delivered", "curtailed"] }).notNull().default("planned"),
  /** Local calendar date `YYYY-MM-DD` in the organisation's time zone. */
  deliveredOn: text("delivered_on"),
  scopeServices: text("scope_services", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  scopeDeploySystems: text("scope_deploy_systems", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  scopeChangeTypes: text("scope_change_types", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  lagMinMonths: integer("lag_min_months").notNull().default(3),
  lagMaxMonths: integer("lag_max_months").notNull().default(6),
  /** Hours per quarter the project is expected to remove once its lag has passed. */
  expectedEffectHours: real("expected_effect_hours"),
  isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Explicit attribution: "this project would have prevented or shortened it". */
export const incidentProjects = sqliteTable(
  "incident_projects",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.projectId] }), index("incident_projects_project_idx").on(t.projectId)],
);

export const deployEvents = sqliteTable(
  "deploy_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The deploy tool's own id, when it has one; re-imports upsert on it. */
    externalId: text("external_id"),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at").notNull(),
    service: text("service").notNull(),
    deploySystem: text("deploy_system"),
    version: text("version"),
    outcome: text("outcome"),
    isRollback: integer("is_rollback", { mode: "boolean" }).notNull().default(false),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("deploy_events_external_uq").on(t.externalId),
    index("deploy_events_service_time_idx").on(t.service, t.finishedAt),
  ],
);
