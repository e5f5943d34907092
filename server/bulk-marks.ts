import "server-only";
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getCurrentPolicy, getSettings } from "@/db/queries/config";
import { readCuration, updateCurationInTx, type Actor, type CurationContext } from "@/db/queries/curation";
import { listIncidentIds } from "@/db/queries/incidents";
import { auditLog, incidentCuration } from "@/db/schema";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/api/errors";
import type { CuratedField } from "@/lib/incidents/fields";
import type { IncidentListQuery } from "@/lib/validation/incident-list";

type MarkField = "analysisStatus" | "trigger";
/** Changing these clears a lead's review, as any edit of a tag does (db/queries/curation.ts). */
const REVIEWED: ReadonlySet<MarkField> = new Set<MarkField>(["trigger"]);

/**
 * Sets `patch` on one incident as an edit would (new version, review cleared when the tag
 * changes, an `incident.bulk_update` audit row with before → after) without computing
 * the quarter figures each edit moved: a mark touches a whole archive at once, and one
 * engine run per incident made 1,279 incidents take seconds. Returns whether it changed.
 */
function applyMark(
  tx: Parameters<Parameters<Db["transaction"]>[0]>[0],
  id: number,
  patch: Partial<Record<MarkField, string>>,
  opts: { actor: Actor; now: number; detail: Record<string, unknown> },
  ctx: CurationContext,
): boolean {
  const current = readCuration(tx, id);
  if (!current) return false;
  const changed = (Object.keys(patch) as MarkField[]).filter((f) => patch[f] !== undefined && current[f] !== patch[f]);
  if (!changed.length) return false;
  const reviewCleared = current.reviewedAt != null && changed.some((f) => REVIEWED.has(f));
  const set = Object.fromEntries(changed.map((f) => [f, patch[f]]));
  const version = current.version + 1;
  const res = tx
    .update(incidentCuration)
    .set({ ...set, version, updatedAt: opts.now, updatedBy: opts.actor.label, ...(reviewCleared ? { reviewedAt: null, reviewedBy: null } : {}) })
    .where(eq(incidentCuration.incidentId, id))
    .run();
  if (res.changes === 0) {
    // No curation row yet (never imported through the importer): the ordinary edit creates it.
    return updateCurationInTx(tx, id, set, { actor: opts.actor, action: "incident.bulk_update", now: opts.now, detail: opts.detail }, ctx).changed.length > 0;
  }
  recordAudit(tx, {
    actor: opts.actor,
    action: "incident.bulk_update",
    entityType: "incident",
    entityId: id,
    before: Object.fromEntries(changed.map((f) => [f, current[f as CuratedField & MarkField]])),
    after: set,
    detail: { fromVersion: current.version, toVersion: version, ...(reviewCleared ? { reviewCleared: true } : {}), ...opts.detail },
    at: opts.now,
  });
  return true;
}

/** What a historical mark sets: analysis complete, and/or a triage (not change-triggered, or unknown). */
export interface BulkMarks {
  analysisStatus?: "final";
  trigger?: "other" | "unknown";
}

export interface BulkMarkResult {
  /** Names this mark in the audit trail and for undo. */
  markId: string;
  matched: number;
  updated: number;
  unchanged: number;
}

/** Marks apply to at most this many incidents at once (a whole archive fits). */
export const BULK_MARK_MAX = 100_000;

/**
 * Marks every incident matching the list's filter `q` (all pages) as analysed and/or
 * triaged, in one transaction. Each changed incident gets its own audit row
 * (`incident.bulk_update`, before → after, with `detail.bulkMark`), exactly as a bulk edit
 * of the selection does, plus one `incident.bulk_mark` row naming the filter, so the mark
 * can be undone as a whole (undoBulkMark).
 */
export function markFilteredIncidents(db: Db, q: IncidentListQuery, marks: BulkMarks, opts: { actor: Actor; now?: number }): BulkMarkResult {
  if (!marks.analysisStatus && !marks.trigger) throw new ValidationError("Choose what to mark", [{ field: "marks", message: "mark analysis complete, a triage, or both" }]);
  const now = opts.now ?? Date.now();
  const ids = listIncidentIds(db, q, { asOf: now, limit: BULK_MARK_MAX + 1 });
  if (ids.length > BULK_MARK_MAX) throw new ValidationError(`More than ${BULK_MARK_MAX} incidents match; narrow the filter`, [{ field: "filter", message: "too many incidents" }]);
  if (!ids.length) throw new ValidationError("No incident matches this filter", [{ field: "filter", message: "nothing to mark" }]);
  const markId = crypto.randomUUID();
  const ctx: CurationContext = { db, settings: getSettings(db), policy: getCurrentPolicy(db).policy };
  const patch = { ...(marks.analysisStatus ? { analysisStatus: marks.analysisStatus } : {}), ...(marks.trigger ? { trigger: marks.trigger } : {}) };
  return db.transaction((tx) => {
    let updated = 0;
    for (const id of ids) {
      if (applyMark(tx, id, patch, { actor: opts.actor, now, detail: { bulk: ids.length, bulkMark: markId } }, ctx)) updated++;
    }
    const { page: _p, pageSize: _s, ...filter } = q;
    void _p;
    void _s;
    recordAudit(tx, {
      actor: opts.actor,
      action: "incident.bulk_mark",
      entityType: "bulk_mark",
      entityId: markId,
      after: { ...patch, matched: ids.length, updated },
      detail: { filter },
      at: now,
    });
    return { markId, matched: ids.length, updated, unchanged: ids.length - updated };
  });
}

export interface BulkMarkUndoResult {
  markId: string;
  restored: number;
  /** Incidents changed again since the mark: left as they are now. */
  skipped: number;
}

/**
 * Undoes a bulk mark: every incident it changed gets its previous values back, where the
 * marked fields still hold what the mark set (an incident edited since keeps its newer
 * values and is counted in `skipped`). Audited per incident (`incident.bulk_update`,
 * `detail.undoOf`) and as `incident.bulk_mark_undo`; refused when already undone.
 */
export function undoBulkMark(db: Db, markId: string, opts: { actor: Actor; now?: number }): BulkMarkUndoResult {
  const now = opts.now ?? Date.now();
  const ctx: CurationContext = { db, settings: getSettings(db), policy: getCurrentPolicy(db).policy };
  return db.transaction((tx) => {
    const mark = tx.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, "incident.bulk_mark"), eq(auditLog.entityId, markId))).get();
    if (!mark) throw new NotFoundError(`No bulk mark ${markId}`);
    const undone = tx.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, "incident.bulk_mark_undo"), eq(auditLog.entityId, markId))).get();
    if (undone) throw new ConflictError("This bulk mark was already undone");
    const rows = tx
      .select({ entityId: auditLog.entityId, before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.action, "incident.bulk_update"), sql`json_extract(${auditLog.detail}, '$.bulkMark') = ${markId}`))
      .orderBy(auditLog.id)
      .all();
    let restored = 0;
    let skipped = 0;
    for (const row of rows) {
      const id = Number(row.entityId);
      const current = readCuration(tx, id);
      if (!current) continue;
      const after = (row.after ?? {}) as Record<string, unknown>;
      const before = (row.before ?? {}) as Record<string, unknown>;
      const still = Object.entries(after).every(([f, v]) => JSON.stringify((current as unknown as Record<string, unknown>)[f] ?? null) === JSON.stringify(v ?? null));
      if (!still) {
        skipped++;
        continue;
      }
      const back = Object.fromEntries(Object.entries(before).filter(([f]) => f === "analysisStatus" || f === "trigger")) as Partial<Record<MarkField, string>>;
      if (applyMark(tx, id, back, { actor: opts.actor, now, detail: { undoOf: markId } }, ctx)) restored++;
    }
    recordAudit(tx, { actor: opts.actor, action: "incident.bulk_mark_undo", entityType: "bulk_mark", entityId: markId, after: { restored, skipped }, at: now });
    return { markId, restored, skipped };
  });
}
