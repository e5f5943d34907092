import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentProjects, incidents, projects } from "@/db/schema";
import { ConflictError, issuesFromZod, NotFoundError, ValidationError, type FieldIssue } from "@/lib/api/errors";
import { pickFields } from "@/lib/incidents/fields";
import { attachIncidentsSchema, parseProject, PROJECT_FIELD_NAMES, projectFromRecord, type ProjectDelivery, type ProjectInput } from "@/lib/validation/project";
import { recordAudit, type DbOrTx } from "./audit";
import type { ActorInput } from "./config";

export type ProjectRow = typeof projects.$inferSelect;

/** Every project with a delivery date, ordered by that date (dashboard lag markers). */
export function listProjectDeliveries(db: Db): ProjectDelivery[] {
  return db
    .select({
      slug: projects.slug,
      name: projects.name,
      status: projects.status,
      deliveredOn: projects.deliveredOn,
      lagMinMonths: projects.lagMinMonths,
      lagMaxMonths: projects.lagMaxMonths,
    })
    .from(projects)
    .orderBy(asc(projects.deliveredOn), asc(projects.slug))
    .all()
    .filter((p) => p.deliveredOn !== null);
}

function actorOf(a: ActorInput): { id: string | null; label: string } {
  return typeof a === "string" ? { id: null, label: a } : { id: a.id ?? null, label: a.label };
}

interface WriteOpts {
  actor: ActorInput;
  now?: number;
}

/** The columns a project's input fills (everything but ids and timestamps), in PROJECT_FIELDS order. */
function columns(p: ProjectInput) {
  return pickFields(p, PROJECT_FIELD_NAMES);
}

/** A row back as the loose record `parseProject` reads (the base a patch is merged over). */
function toRecord(row: ProjectRow): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...row };
  for (const k of ["id", "isDemo", "createdAt", "updatedAt"]) delete rest[k];
  return rest;
}

function validate(record: Record<string, unknown>, what = "project"): ProjectInput {
  const r = parseProject(record);
  if (!r.success) throw new ValidationError(`${what} is invalid`, issuesFromZod(r.error));
  return r.data;
}

const slugTaken = (slug: string): ValidationError =>
  new ValidationError("project is invalid", [{ field: "slug", message: `slug "${slug}" is already used by another project` }]);

/** Every project, by status (in progress, planned, delivered, curtailed) then name. */
export function listProjects(db: DbOrTx): ProjectRow[] {
  return db
    .select()
    .from(projects)
    .orderBy(
      sql`CASE ${projects.status} WHEN 'in_progress' THEN 0 WHEN 'planned' THEN 1 WHEN 'delivered' THEN 2 ELSE 3 END`,
      asc(projects.name),
    )
    .all();
}

export function getProjectBySlug(db: DbOrTx, slug: string): ProjectRow | null {
  return db.select().from(projects).where(eq(projects.slug, slug)).get() ?? null;
}

/** Validates and inserts a project; audits `project.create`. ValidationError (422) names every bad field. */
export function createProject(db: Db, input: unknown, opts: WriteOpts): ProjectRow {
  const p = validate(projectFromRecord((input ?? {}) as Record<string, unknown>));
  const now = opts.now ?? Date.now();
  return db.transaction((tx) => {
    if (getProjectBySlug(tx, p.slug)) throw slugTaken(p.slug);
    const row = tx.insert(projects).values({ ...columns(p), createdAt: now, updatedAt: now }).returning().get();
    recordAudit(tx, { actor: actorOf(opts.actor), action: "project.create", entityType: "project", entityId: row.slug, after: columns(p), at: now });
    return row;
  });
}

/**
 * Merges `patch` (any subset of fields, loose or typed) over the stored project and
 * validates the result as a whole (so lag min ≤ max and "delivered needs a date" hold
 * across fields). Pass `expectedUpdatedAt` to refuse a stale edit with ConflictError.
 */
export function updateProject(db: Db, slug: string, patch: unknown, opts: WriteOpts & { expectedUpdatedAt?: number }): ProjectRow {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) throw new ValidationError("project is invalid", [{ field: "(root)", message: "must be an object of fields to change" }]);
  const now = opts.now ?? Date.now();
  return db.transaction((tx) => {
    const current = getProjectBySlug(tx, slug);
    if (!current) throw new NotFoundError(`No project "${slug}"`);
    if (opts.expectedUpdatedAt !== undefined && opts.expectedUpdatedAt !== current.updatedAt) {
      throw new ConflictError("Someone else changed this project since you opened it", current);
    }
    const next = validate({ ...toRecord(current), ...projectFromRecord(patch as Record<string, unknown>) });
    if (next.slug !== current.slug && getProjectBySlug(tx, next.slug)) throw slugTaken(next.slug);
    const row = tx.update(projects).set({ ...columns(next), updatedAt: now }).where(eq(projects.id, current.id)).returning().get();
    const before = columns(validate(toRecord(current)));
    const after = columns(next);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (changed.length) {
      recordAudit(tx, {
        actor: actorOf(opts.actor),
        action: "project.update",
        entityType: "project",
        entityId: row.slug,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
        at: now,
      });
    }
    return row;
  });
}

/** Marks a project curtailed (work stopped); its history and attributions stay. */
export function curtailProject(db: Db, slug: string, opts: WriteOpts): ProjectRow {
  return updateProject(db, slug, { status: "curtailed" }, opts);
}

/** Deletes a project and its explicit attributions; audits `project.delete` with what was removed. */
export function deleteProject(db: Db, slug: string, opts: WriteOpts): void {
  const now = opts.now ?? Date.now();
  db.transaction((tx) => {
    const current = getProjectBySlug(tx, slug);
    if (!current) throw new NotFoundError(`No project "${slug}"`);
    const attributed = tx.select({ id: incidentProjects.incidentId }).from(incidentProjects).where(eq(incidentProjects.projectId, current.id)).all();
    tx.delete(projects).where(eq(projects.id, current.id)).run();
    recordAudit(tx, {
      actor: actorOf(opts.actor),
      action: "project.delete",
      entityType: "project",
      entityId: slug,
      before: toRecord(current),
      detail: { attributedIncidentIds: attributed.map((a) => a.id) },
      at: now,
    });
  });
}

export interface ImportResult {
  created: string[];
  updated: string[];
}

/**
 * Imports projects (rows from CSV or JSON, loose records) in one transaction: every
 * row is validated first and any bad row (or a slug repeated in the file) fails the
 * whole import with issues named `rows.<n>.<field>` (n counts from 1). An existing
 * slug is updated in place; a new one is created. Audits each row.
 */
export function importProjects(db: Db, rows: unknown[], opts: WriteOpts): ImportResult {
  if (!Array.isArray(rows) || rows.length === 0) throw new ValidationError("the file holds no projects", [{ field: "rows", message: "at least one project is needed" }]);
  if (rows.length > 1000) throw new ValidationError("too many projects", [{ field: "rows", message: "at most 1000 projects per import" }]);
  const issues: FieldIssue[] = [];
  const valid: ProjectInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const n = i + 1;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      issues.push({ field: `rows.${n}`, message: "must be an object of project fields" });
      return;
    }
    const r = parseProject(raw as Record<string, unknown>);
    if (!r.success) {
      for (const issue of issuesFromZod(r.error)) issues.push({ field: issue.field === "(root)" ? `rows.${n}` : `rows.${n}.${issue.field}`, message: issue.message });
      return;
    }
    const first = seen.get(r.data.slug);
    if (first !== undefined) issues.push({ field: `rows.${n}.slug`, message: `slug "${r.data.slug}" is repeated (first on row ${first})` });
    seen.set(r.data.slug, n);
    valid.push(r.data);
  });
  if (issues.length) throw new ValidationError(`${new Set(issues.map((i) => i.field.split(".")[1])).size} of ${rows.length} rows are invalid; nothing was imported`, issues);
  const now = opts.now ?? Date.now();
  const actor = actorOf(opts.actor);
  return db.transaction((tx) => {
    const out: ImportResult = { created: [], updated: [] };
    for (const p of valid) {
      const existing = getProjectBySlug(tx, p.slug);
      if (existing) {
        tx.update(projects).set({ ...columns(p), updatedAt: now }).where(eq(projects.id, existing.id)).run();
        recordAudit(tx, { actor, action: "project.update", entityType: "project", entityId: p.slug, before: toRecord(existing), after: columns(p), detail: { via: "import" }, at: now });
        out.updated.push(p.slug);
      } else {
        tx.insert(projects).values({ ...columns(p), createdAt: now, updatedAt: now }).run();
        recordAudit(tx, { actor, action: "project.create", entityType: "project", entityId: p.slug, after: columns(p), detail: { via: "import" }, at: now });
        out.created.push(p.slug);
      }
    }
    return out;
  });
}

// ── Explicit attribution ────────────────────────────────────────────────────

export interface AttributedIncident {
  id: number;
  source: string;
  sourceId: string;
  title: string;
  severity: string;
  startedAt: number;
  attributedAt: number;
  attributedBy: string | null;
}

/** Incidents explicitly attributed to a project, newest incident first. */
export function listAttributedIncidents(db: DbOrTx, projectId: number): AttributedIncident[] {
  return db
    .select({
      id: incidents.id,
      source: incidents.source,
      sourceId: incidents.sourceId,
      title: incidents.title,
      severity: incidents.severity,
      startedAt: incidents.startedAt,
      attributedAt: incidentProjects.createdAt,
      attributedBy: incidentProjects.createdBy,
    })
    .from(incidentProjects)
    .innerJoin(incidents, eq(incidents.id, incidentProjects.incidentId))
    .where(eq(incidentProjects.projectId, projectId))
    .orderBy(desc(incidents.startedAt))
    .all();
}

/** How many incidents are explicitly attributed to each project, by project id. */
export function countAttributions(db: DbOrTx): Map<number, number> {
  const rows = db
    .select({ projectId: incidentProjects.projectId, n: sql<number>`count(*)` })
    .from(incidentProjects)
    .groupBy(incidentProjects.projectId)
    .all();
  return new Map(rows.map((r) => [r.projectId, r.n]));
}

/** Projects an incident is explicitly attributed to (the incident page's project field). */
export function listProjectsForIncident(db: DbOrTx, incidentId: number): { slug: string; name: string; status: ProjectRow["status"] }[] {
  return db
    .select({ slug: projects.slug, name: projects.name, status: projects.status })
    .from(incidentProjects)
    .innerJoin(projects, eq(projects.id, incidentProjects.projectId))
    .where(eq(incidentProjects.incidentId, incidentId))
    .orderBy(asc(projects.name))
    .all();
}

function requireProject(db: DbOrTx, slug: string): ProjectRow {
  const p = getProjectBySlug(db, slug);
  if (!p) throw new NotFoundError(`No project "${slug}"`);
  return p;
}

/**
 * Attributes incidents to a project (bulk edit, the incident page). Every id must
 * exist (else ValidationError naming the missing ones, nothing written); ones already
 * attributed are left as they are. One `project.attribute` audit row per incident
 * newly attributed, on the incident. Returns the ids newly attributed.
 * Pass a transaction as `db` to make it part of a larger save.
 */
export function attachIncidentsToProject(db: DbOrTx, slug: string, incidentIds: unknown, opts: WriteOpts): { added: number[]; alreadyAttributed: number[] } {
  const parsed = attachIncidentsSchema.safeParse({ incidentIds });
  if (!parsed.success) throw new ValidationError("incident ids are invalid", issuesFromZod(parsed.error));
  const ids = [...new Set(parsed.data.incidentIds)];
  const now = opts.now ?? Date.now();
  const actor = actorOf(opts.actor);
  const run = (tx: DbOrTx) => {
    const project = requireProject(tx, slug);
    const found = new Set<number>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of tx.select({ id: incidents.id }).from(incidents).where(inArray(incidents.id, ids.slice(i, i + 500))).all()) found.add(r.id);
    }
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) {
      throw new ValidationError("some incidents do not exist", [{ field: "incidentIds", message: `no incident with id ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? "…" : ""}` }]);
    }
    const already = new Set(
      tx.select({ id: incidentProjects.incidentId }).from(incidentProjects).where(eq(incidentProjects.projectId, project.id)).all().map((r) => r.id),
    );
    const added = ids.filter((id) => !already.has(id));
    for (const id of added) {
      tx.insert(incidentProjects).values({ incidentId: id, projectId: project.id, createdAt: now, createdBy: actor.label }).run();
      recordAudit(tx, { actor, action: "project.attribute", entityType: "incident", entityId: id, after: { project: slug }, detail: { project: slug }, at: now });
    }
    return { added, alreadyAttributed: ids.filter((id) => already.has(id)) };
  };
  // On a transaction this nests as a savepoint, so a failure undoes only this call.
  return (db as Db).transaction((tx) => run(tx));
}

/** Removes one explicit attribution; audits `project.unattribute`. Returns false when there was none. */
export function detachIncidentFromProject(db: DbOrTx, slug: string, incidentId: number, opts: WriteOpts): boolean {
  const now = opts.now ?? Date.now();
  const project = requireProject(db, slug);
  const res = db
    .delete(incidentProjects)
    .where(and(eq(incidentProjects.projectId, project.id), eq(incidentProjects.incidentId, incidentId)))
    .run();
  if (!res.changes) return false;
  recordAudit(db, { actor: actorOf(opts.actor), action: "project.unattribute", entityType: "incident", entityId: incidentId, before: { project: slug }, detail: { project: slug }, at: now });
  return true;
}

/**
 * Sets exactly which projects an incident is attributed to (the incident form's
 * project field, `PATCH /api/incidents/:id {projects}`): adds and removes the
 * difference, auditing each. Unknown slugs → ValidationError on `projects`.
 * Call it with a transaction to join a larger save.
 */
export function setIncidentProjects(db: DbOrTx, incidentId: number, slugs: string[], opts: WriteOpts): { added: string[]; removed: string[] } {
  return (db as Db).transaction((tx) => setIncidentProjectsIn(tx, incidentId, slugs, opts));
}

function setIncidentProjectsIn(db: DbOrTx, incidentId: number, slugs: string[], opts: WriteOpts): { added: string[]; removed: string[] } {
  const wanted = [...new Set(slugs.map((s) => s.trim()).filter(Boolean))];
  const rows = wanted.length ? db.select().from(projects).where(inArray(projects.slug, wanted)).all() : [];
  const unknown = wanted.filter((s) => !rows.some((r) => r.slug === s));
  if (unknown.length) throw new ValidationError("unknown projects", [{ field: "projects", message: `no project with slug ${unknown.map((s) => `"${s}"`).join(", ")}` }]);
  const current = listProjectsForIncident(db, incidentId).map((p) => p.slug);
  const added = wanted.filter((s) => !current.includes(s));
  const removed = current.filter((s) => !wanted.includes(s));
  for (const s of added) attachIncidentsToProject(db, s, [incidentId], opts);
  for (const s of removed) detachIncidentFromProject(db, s, incidentId, opts);
  return { added, removed };
}
