import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deployEvents, incidentCuration, incidentProjects, incidents, projects } from "@/db/schema";
import { ConflictError, issuesFromZod, NotFoundError, ValidationError, type FieldIssue } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { toEngineIncident } from "@/lib/incidents/explain";
import { pickFields, STORED_CURATED_FIELDS } from "@/lib/incidents/fields";
import { QuarterIdError, quarterForInstant, quarterIdFromOrdinal, quarterOrdinal } from "@/lib/metric/calendar";
import { evaluate } from "@/lib/metric/evaluate";
import { effectiveWindow } from "@/lib/metric/intervals";
import type { EngineIncident, Policy, Settings } from "@/lib/metric/types";
import {
  bulkEditSchema,
  CURATED_FIELDS,
  mergedIssues,
  parseCurationPatch,
  sameValue,
  type BulkEdit,
  type CuratedField,
  type CurationPatch,
  type CurationValues,
} from "@/lib/validation/curation";
import { recordAudit, type DbOrTx } from "./audit";
import { getCurrentPolicy, getSettings } from "./config";
import { loadEngineIncidents } from "./metric-input";

export interface CurationState extends CurationValues {
  incidentId: number;
  version: number;
  reviewedAt: number | null;
  reviewedBy: string | null;
  duplicateOfId: number | null;
  updatedAt: number | null;
  updatedBy: string | null;
}

/** Who the change is recorded against (lib/audit/actor.ts). */
export type Actor = AuditActor;

/** One field another person changed since a given version (from the audit trail). */
export interface FieldChange {
  field: CuratedField;
  from: unknown;
  to: unknown;
  by: string;
  at: number;
  version: number;
}

/** How much an edit moved one quarter's figure, in hours. */
export interface QuarterDelta {
  quarter: string;
  before: number;
  after: number;
  delta: number;
}

/** Editing a tag after review means the review no longer covers it. */
const REVIEWED_FIELDS = new Set<CuratedField>(["trigger", "changeType", "deploySystem", "override", "overrideReason", "projects"]);

const DEFAULTS: Omit<CurationValues, "services"> = {
  trigger: "unknown",
  changeType: null,
  deploySystem: null,
  affectedFeatures: [],
  customerImpactPct: null,
  impactStart: null,
  impactEnd: null,
  detectedAt: null,
  mitigatedAt: null,
  remediation: null,
  fleetExposurePct: null,
  analysisStatus: "pending",
  override: null,
  overrideReason: null,
  projects: [],
  linkedDeployId: null,
};

/** The curated state of an incident (defaults when no curation row exists yet), or null for an unknown incident. */
export function readCuration(db: DbOrTx, incidentId: number): CurationState | null {
  const inc = db.select({ id: incidents.id, sourceServices: incidents.sourceServices }).from(incidents).where(eq(incidents.id, incidentId)).get();
  if (!inc) return null;
  const c = db.select().from(incidentCuration).where(eq(incidentCuration.incidentId, incidentId)).get();
  const slugs = db
    .select({ slug: projects.slug })
    .from(incidentProjects)
    .innerJoin(projects, eq(projects.id, incidentProjects.projectId))
    .where(eq(incidentProjects.incidentId, incidentId))
    .orderBy(projects.slug)
    .all()
    .map((r) => r.slug);
  if (!c) {
    return {
      ...DEFAULTS,
      services: [...inc.sourceServices],
      projects: slugs,
      incidentId,
      version: 1,
      reviewedAt: null,
      reviewedBy: null,
      duplicateOfId: null,
      updatedAt: null,
      updatedBy: null,
    };
  }
  return {
    incidentId,
    ...pickFields(c, STORED_CURATED_FIELDS),
    projects: slugs,
    linkedDeployId: c.linkedDeployId,
    version: c.version,
    reviewedAt: c.reviewedAt,
    reviewedBy: c.reviewedBy,
    duplicateOfId: c.duplicateOfId,
    updatedAt: c.updatedAt,
    updatedBy: c.updatedBy,
  };
}

/** The curated values only (what a save compares and an audit row records). */
export function curatedValues(s: CurationState): CurationValues {
  return Object.fromEntries(CURATED_FIELDS.map((f) => [f, s[f]])) as unknown as CurationValues;
}

/** Changes recorded after `version` (oldest first), so a refused save can show what others did. */
export function changesSince(db: DbOrTx, incidentId: number, version: number): FieldChange[] {
  const rows = db.all<{ actorLabel: string; at: number; before: string | null; after: string | null; detail: string | null }>(sql`
    SELECT actor_label AS actorLabel, at, before, after, detail FROM audit_log
    WHERE entity_type = 'incident' AND entity_id = ${String(incidentId)} AND action IN ('incident.update', 'incident.bulk_update', 'incident.triage')
    ORDER BY id`);
  const out: FieldChange[] = [];
  for (const r of rows) {
    const detail = r.detail ? (JSON.parse(r.detail) as { toVersion?: number }) : {};
    if (!detail.toVersion || detail.toVersion <= version) continue;
    const before = (r.before ? JSON.parse(r.before) : {}) as Record<string, unknown>;
    const after = (r.after ? JSON.parse(r.after) : {}) as Record<string, unknown>;
    for (const f of CURATED_FIELDS) {
      if (f in after) out.push({ field: f, from: before[f] ?? null, to: after[f] ?? null, by: r.actorLabel, at: r.at, version: detail.toVersion });
    }
  }
  return out;
}

/** The quarters the incidents' windows touch; null when none can be placed (times outside the calendar, which the figures leave out). */
function quarterSpan(list: EngineIncident[], settings: Settings, asOf: number): { from: string; to: string } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of list) {
    const w = effectiveWindow(i, asOf);
    const start = w.start;
    const end = Math.max(start, w.end - 1);
    try {
      const a = quarterOrdinal(quarterForInstant(start, settings).id);
      const b = quarterOrdinal(quarterForInstant(end, settings).id);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    } catch (err) {
      if (!(err instanceof QuarterIdError)) throw err;
    }
  }
  return lo <= hi ? { from: quarterIdFromOrdinal(lo), to: quarterIdFromOrdinal(hi) } : null;
}

/**
 * The quarter figures an edit moves: each quarter's hours with the incident as it was and
 * as it is now. With `sum` overlap only the incident's own contribution changes, so one
 * incident is evaluated; with `union` the overlapping incidents matter, so every incident
 * is evaluated over the affected quarters. Only quarters that moved are returned.
 */
export function quarterDeltas(
  db: Db,
  before: EngineIncident,
  after: EngineIncident,
  ctx: { settings: Settings; policy: Policy; asOf: number },
): QuarterDelta[] {
  const range = quarterSpan([before, after], ctx.settings, ctx.asOf);
  if (!range) return [];
  const run = (incident: EngineIncident) => {
    let list = [incident];
    if (ctx.policy.overlap === "union") list = [...loadEngineIncidents(db).filter((i) => i.id !== incident.id), incident];
    return evaluate({ settings: ctx.settings, policy: ctx.policy, targets: {}, asOf: ctx.asOf, range, incidents: list }).quarters;
  };
  const a = run(before);
  const b = run(after);
  const out: QuarterDelta[] = [];
  a.forEach((q, k) => {
    const delta = b[k].hours - q.hours;
    if (Math.abs(delta) > 1e-9) out.push({ quarter: q.quarter, before: q.hours, after: b[k].hours, delta });
  });
  return out;
}

export interface UpdateResult {
  curation: CurationState;
  changed: CuratedField[];
  quarterDeltas: QuarterDelta[];
  reviewCleared: boolean;
}

export interface UpdateOptions {
  actor: Actor;
  /** Audit action: `incident.update` (default), `incident.triage`, `incident.bulk_update`. */
  action?: string;
  now?: number;
  /** Instant the quarter deltas are computed at; defaults to `now`. */
  asOf?: number;
  /** Extra context for the audit row (e.g. the suggestion that was accepted). */
  detail?: Record<string, unknown>;
}

/**
 * Validates a patch. When some fields are invalid, the valid ones are still checked
 * against the stored record (e.g. an override whose reason is neither sent nor stored),
 * so the caller hears about every problem at once.
 */
function parsePatch(db: DbOrTx, incidentId: number | null, patch: unknown): CurationPatch {
  const r = parseCurationPatch(patch);
  if (r.success) return r.data;
  const current = incidentId == null ? null : readCuration(db, incidentId);
  if (current) {
    for (const issue of mergedIssues({ ...curatedValues(current), ...r.partial })) {
      if (!r.issues.some((i) => i.field === issue.field)) r.issues.push(issue);
    }
  }
  throw new ValidationError("Some fields are not valid", r.issues);
}

/** The write itself, inside the caller's transaction. */
/**
 * What every curation write needs besides its transaction: the settings and policy in force,
 * and the database handle itself. A drizzle transaction has no `$client`, and the in-memory
 * incidents (read under `union` overlap) are kept per handle, so they are read through `db`,
 * which sees the transaction's own writes.
 */
export interface CurationContext {
  db: Db;
  settings: Settings;
  policy: Policy;
}

function applyUpdate(tx: DbOrTx, incidentId: number, patch: CurationPatch, opts: UpdateOptions, ctx: CurationContext): UpdateResult {
  const now = opts.now ?? Date.now();
  const src = tx
    .select({ id: incidents.id, severity: incidents.severity, startedAt: incidents.startedAt, resolvedAt: incidents.resolvedAt })
    .from(incidents)
    .where(eq(incidents.id, incidentId))
    .get();
  const current = src ? readCuration(tx, incidentId) : null;
  if (!src || !current) throw new NotFoundError(`No incident with id ${incidentId}`);
  if (patch.version !== undefined && patch.version !== current.version) {
    throw new ConflictError(`Someone else saved this incident first (you edited version ${patch.version}; it is now version ${current.version}). Nothing was saved.`, {
      ...current,
      changedSince: changesSince(tx, incidentId, patch.version),
    });
  }
  const before = curatedValues(current);
  const after: CurationValues = { ...before };
  for (const f of CURATED_FIELDS) {
    const v = (patch as Record<string, unknown>)[f];
    if (v !== undefined) (after as unknown as Record<string, unknown>)[f] = v;
  }
  const issues: FieldIssue[] = mergedIssues(after);
  let projectIds: number[] = [];
  if (patch.projects !== undefined && after.projects.length) {
    const found = tx.select({ id: projects.id, slug: projects.slug }).from(projects).where(inArray(projects.slug, after.projects)).all();
    for (const slug of after.projects) if (!found.some((p) => p.slug === slug)) issues.push({ field: "projects", message: `no project with slug "${slug}"` });
    projectIds = found.map((p) => p.id);
  }
  if (patch.linkedDeployId != null && !tx.select({ id: deployEvents.id }).from(deployEvents).where(eq(deployEvents.id, patch.linkedDeployId)).get()) {
    issues.push({ field: "linkedDeployId", message: `no deploy event with id ${patch.linkedDeployId}` });
  }
  if (issues.length) throw new ValidationError("Some fields are not valid", issues);

  const changed = CURATED_FIELDS.filter((f) => !sameValue(before[f], after[f]));
  if (changed.length === 0) return { curation: current, changed, quarterDeltas: [], reviewCleared: false };

  const reviewCleared = current.reviewedAt != null && changed.some((f) => REVIEWED_FIELDS.has(f));
  const version = current.version + 1;
  const row = {
    ...pickFields(after, STORED_CURATED_FIELDS),
    linkedDeployId: after.linkedDeployId,
    version,
    updatedAt: now,
    updatedBy: opts.actor.label,
    ...(reviewCleared ? { reviewedAt: null, reviewedBy: null } : {}),
  };
  tx.insert(incidentCuration)
    .values({ incidentId, ...row })
    .onConflictDoUpdate({ target: incidentCuration.incidentId, set: row })
    .run();
  if (changed.includes("projects")) {
    tx.delete(incidentProjects).where(eq(incidentProjects.incidentId, incidentId)).run();
    for (const projectId of projectIds) tx.insert(incidentProjects).values({ incidentId, projectId, createdAt: now, createdBy: opts.actor.label }).run();
  }

  const deltas = quarterDeltas(ctx.db, toEngineIncident(src, before, current.duplicateOfId), toEngineIncident(src, after, current.duplicateOfId), {
    ...ctx,
    asOf: opts.asOf ?? now,
  });
  recordAudit(tx, {
    actor: opts.actor,
    action: opts.action ?? "incident.update",
    entityType: "incident",
    entityId: incidentId,
    before: Object.fromEntries(changed.map((f) => [f, before[f]])),
    after: Object.fromEntries(changed.map((f) => [f, after[f]])),
    detail: { fromVersion: current.version, toVersion: version, quarterDeltas: deltas, ...(reviewCleared ? { reviewCleared: true } : {}), ...(opts.detail ?? {}) },
    at: now,
  });
  return { curation: { ...current, ...after, version, updatedAt: now, updatedBy: opts.actor.label, ...(reviewCleared ? { reviewedAt: null, reviewedBy: null } : {}) }, changed, quarterDeltas: deltas, reviewCleared };
}

/**
 * Saves curated fields of one incident in one transaction, with an audit row holding
 * old → new for every changed field and the quarter figures the change moved.
 *
 * - `patch` is validated with curationPatchSchema (ValidationError 422 with every field
 *   error), then re-checked merged with the current values (impact end before start,
 *   an override without a reason, unknown project slugs or deploy ids).
 * - With `version`, a save over a newer version is refused with ConflictError (409)
 *   carrying the current values and `changedSince` (who changed which field); without
 *   it the patch applies field by field to whatever is current.
 * - Saving values equal to the current ones changes nothing (no new version, no audit).
 * - Changing a tag clears its review.
 */
export function updateCuration(db: Db, incidentId: number, patch: unknown, opts: UpdateOptions): UpdateResult {
  const parsed = parsePatch(db, incidentId, patch);
  const ctx: CurationContext = { db, settings: getSettings(db), policy: getCurrentPolicy(db).policy };
  return db.transaction((tx) => applyUpdate(tx, incidentId, parsed, opts, ctx));
}

/** An incident a bulk edit refused: someone saved it after the editor loaded the list. */
export interface BulkConflict {
  incidentId: number;
  sourceId: string;
  title: string;
  /** The version the editor saw, and the one stored now. */
  yourVersion: number;
  currentVersion: number;
  /** Who saved since, most recent last (`updatedBy` alone when the audit trail has no field changes). */
  changedBy: string[];
  changedSince: FieldChange[];
}

/**
 * The selected incidents whose curation version is no longer the one the editor saw,
 * with who changed what since. One query for the versions; the audit trail only for
 * the stale ones.
 */
function staleSelections(tx: DbOrTx, versions: Record<string, number>): BulkConflict[] {
  const ids = Object.keys(versions).map(Number);
  if (ids.length === 0) return [];
  const rows = tx.all<{ id: number; sourceId: string; title: string; version: number; updatedBy: string | null }>(sql`
    SELECT i.id AS id, i.source_id AS sourceId, i.title AS title, COALESCE(c.version, 1) AS version, c.updated_by AS updatedBy
    FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id
    WHERE i.id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) ORDER BY i.id`);
  const out: BulkConflict[] = [];
  for (const r of rows) {
    const seen = versions[String(r.id)];
    if (r.version === seen) continue;
    const changedSince = changesSince(tx, r.id, seen);
    const changedBy = [...new Set(changedSince.map((c) => c.by))];
    if (changedBy.length === 0 && r.updatedBy) changedBy.push(r.updatedBy);
    out.push({ incidentId: r.id, sourceId: r.sourceId, title: r.title, yourVersion: seen, currentVersion: r.version, changedBy, changedSince });
  }
  return out;
}

/** The refused incidents carried by a bulk edit's ConflictError, or null for any other error. */
export function bulkConflictsOf(err: unknown): BulkConflict[] | null {
  if (!(err instanceof ConflictError)) return null;
  const c = (err.current as { bulkConflicts?: BulkConflict[] } | undefined)?.bulkConflicts;
  return Array.isArray(c) ? c : null;
}

export interface BulkResult {
  updated: number;
  unchanged: number;
  /** Per incident: the fields changed. */
  results: { incidentId: number; changed: CuratedField[] }[];
}

/**
 * Applies the same fields to every selected incident, one audit row per incident
 * (`incident.bulk_update`), all in one transaction: an unknown id or project refuses
 * the whole edit. `addProject` adds an attribution and keeps existing ones.
 *
 * With `versions` (the version of each incident as the editor saw it), an incident saved
 * since refuses the whole edit with ConflictError (409) whose `current.bulkConflicts`
 * lists every such incident, who changed it and which fields; nothing is written.
 */
export function bulkUpdateCuration(db: Db, edit: unknown, opts: { actor: Actor; now?: number }): BulkResult {
  const r = bulkEditSchema.safeParse(edit);
  if (!r.success) throw new ValidationError("The bulk edit is not valid", issuesFromZod(r.error));
  const e: BulkEdit = r.data;
  const ctx: CurationContext = { db, settings: getSettings(db), policy: getCurrentPolicy(db).policy };
  return db.transaction((tx) => {
    const stale = e.versions ? staleSelections(tx, e.versions) : [];
    if (stale.length) {
      const who = [...new Set(stale.flatMap((c) => c.changedBy))];
      const named = stale.slice(0, 10).map((c) => c.sourceId).join(", ") + (stale.length > 10 ? ` and ${stale.length - 10} more` : "");
      const count = e.ids.length === 1 ? "The selected incident" : `${stale.length} of the ${e.ids.length} selected incidents`;
      throw new ConflictError(`${count} changed since you loaded the list (${named}${who.length ? `; by ${who.join(", ")}` : ""}). Nothing was saved.`, { bulkConflicts: stale });
    }
    const out: BulkResult = { updated: 0, unchanged: 0, results: [] };
    for (const id of e.ids) {
      const current = readCuration(tx, id);
      if (!current) throw new ValidationError("Some incidents no longer exist", [{ field: "ids", message: `no incident with id ${id}` }]);
      const patch: CurationPatch = {};
      if (e.trigger !== undefined) patch.trigger = e.trigger;
      if (e.changeType !== undefined) patch.changeType = e.changeType;
      if (e.deploySystem !== undefined) patch.deploySystem = e.deploySystem;
      if (e.remediation !== undefined) patch.remediation = e.remediation;
      if (e.analysisStatus !== undefined) patch.analysisStatus = e.analysisStatus;
      if (e.addProject !== undefined) patch.projects = current.projects.includes(e.addProject) ? current.projects : [...current.projects, e.addProject].sort();
      const res = applyUpdate(tx, id, patch, { actor: opts.actor, action: "incident.bulk_update", now: opts.now, detail: { bulk: e.ids.length } }, ctx);
      if (res.changed.length) out.updated++;
      else out.unchanged++;
      out.results.push({ incidentId: id, changed: res.changed });
    }
    return out;
  });
}

/** Same as updateCuration, inside a caller's transaction (triage, accepting suggestions). */
export function updateCurationInTx(tx: DbOrTx, incidentId: number, patch: unknown, opts: UpdateOptions, ctx: CurationContext): UpdateResult {
  return applyUpdate(tx, incidentId, parsePatch(tx, incidentId, patch), opts, ctx);
}

/**
 * A lead marks the incident's tag as reviewed (or withdraws the review). Does not bump
 * the curation version: a review is about the tag, not a change to it. Audits
 * `incident.review` / `incident.unreview`.
 */
export function setReviewed(db: Db, incidentId: number, reviewed: boolean, opts: { actor: Actor; now?: number }): CurationState {
  const now = opts.now ?? Date.now();
  return db.transaction((tx) => {
    const current = readCuration(tx, incidentId);
    if (!current) throw new NotFoundError(`No incident with id ${incidentId}`);
    if (reviewed && current.trigger === "unknown") {
      throw new ValidationError("Triage the incident before reviewing it", [{ field: "trigger", message: "an untriaged incident has no tag to review" }]);
    }
    if (reviewed === (current.reviewedAt != null)) return current;
    const set = reviewed ? { reviewedAt: now, reviewedBy: opts.actor.label } : { reviewedAt: null, reviewedBy: null };
    tx.insert(incidentCuration)
      .values({ incidentId, services: current.services, ...set, updatedAt: now, updatedBy: opts.actor.label })
      .onConflictDoUpdate({ target: incidentCuration.incidentId, set })
      .run();
    recordAudit(tx, {
      actor: opts.actor,
      action: reviewed ? "incident.review" : "incident.unreview",
      entityType: "incident",
      entityId: incidentId,
      before: { reviewedAt: current.reviewedAt, reviewedBy: current.reviewedBy },
      after: set,
      detail: { version: current.version },
      at: now,
    });
    return { ...current, ...set };
  });
}

/** Marks many incidents reviewed (lead bulk action); untriaged ones are skipped. */
export function bulkSetReviewed(db: Db, ids: number[], opts: { actor: Actor; now?: number }): { reviewed: number; skipped: number } {
  let reviewed = 0;
  let skipped = 0;
  db.transaction((tx) => {
    const now = opts.now ?? Date.now();
    const rows = tx
      .select({ id: incidentCuration.incidentId, trigger: incidentCuration.trigger, reviewedAt: incidentCuration.reviewedAt })
      .from(incidentCuration)
      .where(inArray(incidentCuration.incidentId, ids))
      .all();
    for (const r of rows) {
      if (r.trigger === "unknown" || r.reviewedAt != null) {
        skipped++;
        continue;
      }
      tx.update(incidentCuration).set({ reviewedAt: now, reviewedBy: opts.actor.label }).where(and(eq(incidentCuration.incidentId, r.id))).run();
      recordAudit(tx, {
        actor: opts.actor,
        action: "incident.review",
        entityType: "incident",
        entityId: r.id,
        before: { reviewedAt: null, reviewedBy: null },
        after: { reviewedAt: now, reviewedBy: opts.actor.label },
        at: now,
      });
      reviewed++;
    }
    skipped += ids.length - rows.length;
  });
  return { reviewed, skipped };
}
