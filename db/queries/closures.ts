import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, quarterClosures } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import type { ClosedQuarter } from "@/lib/governance/change-preview";
import { quarterIdSchema } from "@/lib/validation/metric";
import { recordAudit, type DbOrTx } from "./audit";
import type { ActorInput } from "./config";

export type ClosureRow = typeof quarterClosures.$inferSelect;

/** One counted incident's frozen contribution, as stored in `quarter_closures.contributions`. */
export interface StoredContribution {
  /** incidents.id (the engine id is String(incidentId)). */
  incidentId: number;
  sourceId: string;
  title: string;
  hours: number;
  reason: string;
}

export function actorOf(a: ActorInput): { id: string | null; label: string } {
  return typeof a === "string" ? { id: null, label: a } : { id: a.id ?? null, label: a.label };
}

export function checkQuarter(quarter: string): string {
  const r = quarterIdSchema.safeParse(quarter);
  if (!r.success) throw new ValidationError(`"${quarter}" is not a quarter id`, [{ field: "quarter", message: r.error.issues[0]?.message ?? "invalid" }]);
  return r.data;
}

/** The closure in force for a quarter (newest, not reopened), or null. */
export function getClosure(db: Db, quarter: string): ClosureRow | null {
  return (
    db
      .select()
      .from(quarterClosures)
      .where(and(eq(quarterClosures.quarter, quarter), isNull(quarterClosures.reopenedAt)))
      .orderBy(desc(quarterClosures.id))
      .limit(1)
      .get() ?? null
  );
}

/** One closure row by id, or null. */
export function getClosureById(db: DbOrTx, id: number): ClosureRow | null {
  return db.select().from(quarterClosures).where(eq(quarterClosures.id, id)).get() ?? null;
}

/** Every closure row (including reopened ones), newest first. */
export function listClosures(db: Db): ClosureRow[] {
  return db.select().from(quarterClosures).orderBy(desc(quarterClosures.id)).all();
}

/** The source id and title of each of these incidents (ids that no longer exist are absent). */
export function incidentTitles(db: DbOrTx, ids: readonly number[]): Map<number, { sourceId: string; title: string }> {
  const meta = new Map<number, { sourceId: string; title: string }>();
  for (let k = 0; k < ids.length; k += 500) {
    const chunk = ids.slice(k, k + 500);
    for (const r of db.select({ id: incidents.id, sourceId: incidents.sourceId, title: incidents.title }).from(incidents).where(inArray(incidents.id, chunk)).all()) {
      meta.set(r.id, r);
    }
  }
  return meta;
}

/** Stores a closure row and audits `quarter.close` (callers run it inside their transaction). */
export function insertClosure(
  db: DbOrTx,
  values: typeof quarterClosures.$inferInsert,
  opts: { actor: { id: string | null; label: string }; asOf: number; now: number },
): ClosureRow {
  const row = db.insert(quarterClosures).values(values).returning().get();
  recordAudit(db, {
    actor: opts.actor,
    action: "quarter.close",
    entityType: "quarter",
    entityId: row.quarter,
    after: { closureId: row.id, hours: row.hours, upperBoundHours: row.upperBoundHours, status: row.status, policyVersionId: row.policyVersionId },
    detail: { asOf: new Date(opts.asOf).toISOString(), countedIncidents: (values.contributions as unknown[]).length },
    at: opts.now,
  });
  return row;
}

/** Reopens a closed quarter (its closure row stays, marked reopened). 404 when it is not closed. Audits `quarter.reopen`. */
export function reopenQuarter(db: Db, quarter: string, opts: { actor: ActorInput; note?: string | null; now?: number }): ClosureRow {
  const q = checkQuarter(quarter);
  const now = opts.now ?? Date.now();
  const actor = actorOf(opts.actor);
  return db.transaction((tx) => {
    const closure = getClosure(db, q);
    if (!closure) throw new NotFoundError(`${q} is not closed`);
    const row = tx.update(quarterClosures).set({ reopenedAt: now }).where(eq(quarterClosures.id, closure.id)).returning().get();
    recordAudit(tx, {
      actor,
      action: "quarter.reopen",
      entityType: "quarter",
      entityId: q,
      before: { closureId: closure.id, hours: closure.hours },
      detail: { note: opts.note ?? null },
      at: now,
    });
    return row;
  });
}

/**
 * Every quarter closed now (its closure in force) with its frozen figure and how many
 * report versions were published for it: what a governance preview must name.
 */
export function listClosedQuarters(db: Db): ClosedQuarter[] {
  const rows = db.all<{ quarter: string; hours: number; target: number | null; published: number }>(sql`
    SELECT c.quarter AS quarter, c.hours AS hours, c.target AS target,
      (SELECT COUNT(*) FROM quarter_closures p WHERE p.quarter = c.quarter AND p.published = 1) AS published
    FROM quarter_closures c
    WHERE c.reopened_at IS NULL AND c.id = (SELECT MAX(id) FROM quarter_closures x WHERE x.quarter = c.quarter AND x.reopened_at IS NULL)
    ORDER BY c.quarter`);
  return rows.map((r) => ({ quarter: r.quarter, reportedHours: r.hours, reportedTarget: r.target, publishedVersions: r.published }));
}
