import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentCuration, incidents } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { recordAudit } from "./audit";


function incidentLabel(db: Db, id: number): { id: number; source: string; sourceId: string } {
  const row = db.select({ id: incidents.id, source: incidents.source, sourceId: incidents.sourceId }).from(incidents).where(eq(incidents.id, id)).get();
  if (!row) throw new NotFoundError(`No incident ${id}`);
  return row;
}

/**
 * Marks `incidentId` as a duplicate of `originalId` (the same incident recorded by
 * another tool): only the original counts, the engine gives the duplicate reason
 * `duplicate`. Links stay one level deep: the original may not itself be a
 * duplicate, and an incident others point at may not become one, so there are
 * no chains and no cycles.
 */
export function markDuplicate(db: Db, incidentId: number, originalId: number, actor: AuditActor, now: number = Date.now()): void {
  if (incidentId === originalId) throw new ValidationError("An incident can't duplicate itself", [{ field: "duplicateOfId", message: "choose another incident" }]);
  db.transaction((tx) => {
    const dup = incidentLabel(db, incidentId);
    const orig = incidentLabel(db, originalId);
    const origCur = tx.select({ duplicateOfId: incidentCuration.duplicateOfId }).from(incidentCuration).where(eq(incidentCuration.incidentId, originalId)).get();
    if (origCur?.duplicateOfId != null) {
      throw new ValidationError(`${orig.source}/${orig.sourceId} is itself a duplicate; mark it against its original (incident ${origCur.duplicateOfId})`, [
        { field: "duplicateOfId", message: "the original is itself a duplicate" },
      ]);
    }
    const pointing = tx.select({ id: incidentCuration.incidentId }).from(incidentCuration).where(eq(incidentCuration.duplicateOfId, incidentId)).all();
    if (pointing.length) {
      throw new ValidationError(`Other incidents are marked as duplicates of ${dup.source}/${dup.sourceId}; unmark them first`, [
        { field: "duplicateOfId", message: "this incident is another's original" },
      ]);
    }
    const cur = tx.select().from(incidentCuration).where(eq(incidentCuration.incidentId, incidentId)).get();
    if (cur?.duplicateOfId === originalId) return;
    if (cur) {
      tx.update(incidentCuration)
        .set({ duplicateOfId: originalId, version: cur.version + 1, updatedAt: now, updatedBy: actor.label })
        .where(eq(incidentCuration.incidentId, incidentId))
        .run();
    } else {
      tx.insert(incidentCuration).values({ incidentId, duplicateOfId: originalId, updatedAt: now, updatedBy: actor.label }).run();
    }
    recordAudit(tx, {
      actor,
      action: "incident.mark_duplicate",
      entityType: "incident",
      entityId: incidentId,
      before: { duplicateOfId: cur?.duplicateOfId ?? null },
      after: { duplicateOfId: originalId },
      detail: { duplicate: `${dup.source}/${dup.sourceId}`, original: `${orig.source}/${orig.sourceId}` },
      at: now,
    });
  });
}

/** Clears a duplicate link; a no-op when there is none. */
export function unmarkDuplicate(db: Db, incidentId: number, actor: AuditActor, now: number = Date.now()): void {
  db.transaction((tx) => {
    incidentLabel(db, incidentId);
    const cur = tx.select().from(incidentCuration).where(eq(incidentCuration.incidentId, incidentId)).get();
    if (!cur || cur.duplicateOfId == null) return;
    tx.update(incidentCuration)
      .set({ duplicateOfId: null, version: cur.version + 1, updatedAt: now, updatedBy: actor.label })
      .where(eq(incidentCuration.incidentId, incidentId))
      .run();
    recordAudit(tx, {
      actor,
      action: "incident.unmark_duplicate",
      entityType: "incident",
      entityId: incidentId,
      before: { duplicateOfId: cur.duplicateOfId },
      after: { duplicateOfId: null },
      at: now,
    });
  });
}
