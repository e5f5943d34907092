import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, quarterClosures } from "@/db/schema";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/api/errors";
import type { ClosedQuarter } from "@/lib/governance/change-preview";
import { analyze } from "@/lib/metric/analyze";
import { computeRestatement as restate, type Restatement } from "@/lib/metric/restatement";
import type { Settings } from "@/lib/metric/types";
import { quarterIdSchema } from "@/lib/validation/metric";
import { recordAudit } from "./audit";
import { getCurrentPolicy, type ActorInput } from "./config";
import { loadMetricInput } from "./metrics";

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

function actorOf(a: ActorInput): { id: string | null; label: string } {
  return typeof a === "string" ? { id: null, label: a } : { id: a.id ?? null, label: a.label };
}

function checkQuarter(quarter: string): string {
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

/** Every closure row (including reopened ones), newest first. */
export function listClosures(db: Db): ClosureRow[] {
  return db.select().from(quarterClosures).orderBy(desc(quarterClosures.id)).all();
}

/**
 * Freezes a quarter's figure as evaluated at `asOf` with the current settings, policy
 * and targets: hours, upper bound, target, status, the policy version and every
 * counted incident's contribution. Refuses a quarter that has not ended (422) or
 * is already closed (409). Audits `quarter.close`.
 */
export function closeQuarter(db: Db, quarter: string, opts: { actor: ActorInput; asOf: number; now?: number }): ClosureRow {
  const q = checkQuarter(quarter);
  const now = opts.now ?? Date.now();
  const actor = actorOf(opts.actor);
  return db.transaction((tx) => {
    // Reads go through `db`: better-sqlite3 has one connection, so they run inside this transaction too.
    if (getClosure(db, q)) throw new ConflictError(`${q} is already closed; reopen it first`);
    const input = loadMetricInput(db, { asOf: opts.asOf, from: q, to: q });
    const analysis = analyze(input);
    const figure = analysis.quarters[0];
    if (figure.status === "future" || figure.status === "in_progress") {
      throw new ValidationError(`${q} has not ended yet`, [{ field: "quarter", message: `${q} is ${figure.status.replace("_", " ")}` }]);
    }
    const counted = analysis.incidents.filter((i) => i.contributions.length > 0);
    const ids = counted.map((i) => Number(i.id));
    const meta = new Map<number, { sourceId: string; title: string }>();
    for (let k = 0; k < ids.length; k += 500) {
      const chunk = ids.slice(k, k + 500);
      for (const r of tx.select({ id: incidents.id, sourceId: incidents.sourceId, title: incidents.title }).from(incidents).where(inArray(incidents.id, chunk)).all()) {
        meta.set(r.id, r);
      }
    }
    const contributions: StoredContribution[] = counted.map((i) => ({
      incidentId: Number(i.id),
      sourceId: meta.get(Number(i.id))?.sourceId ?? "",
      title: meta.get(Number(i.id))?.title ?? "",
      hours: i.contributions[0].hours,
      reason: i.reason,
    }));
    const row = tx
      .insert(quarterClosures)
      .values({
        quarter: q,
        policyVersionId: getCurrentPolicy(db).id || null,
        settings: input.settings,
        hours: figure.hours,
        upperBoundHours: figure.upperBoundHours,
        target: figure.target,
        status: figure.status,
        contributions,
        closedAt: now,
        closedBy: actor.label,
      })
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      action: "quarter.close",
      entityType: "quarter",
      entityId: q,
      after: { closureId: row.id, hours: row.hours, upperBoundHours: row.upperBoundHours, status: row.status, policyVersionId: row.policyVersionId },
      detail: { asOf: new Date(opts.asOf).toISOString(), countedIncidents: contributions.length },
      at: now,
    });
    return row;
  });
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

export interface StoredRestatement extends Restatement {
  closureId: number;
  closedAt: number;
  closedBy: string | null;
  policyVersionId: number | null;
}

/**
 * "Reported X, now Y": the closed quarter's frozen figure against today's data,
 * evaluated with the settings frozen at closing and the current policy, at `asOf`.
 * Null when the quarter is not closed.
 */
export function computeRestatement(db: Db, quarter: string, opts: { asOf: number }): StoredRestatement | null {
  const q = checkQuarter(quarter);
  const closure = getClosure(db, q);
  if (!closure) return null;
  const frozen = closure.contributions as StoredContribution[];
  const input = loadMetricInput(db, { asOf: opts.asOf, from: q, to: q, config: { settings: closure.settings as Partial<Settings> } });
  const r = restate(
    { quarter: q, hours: closure.hours, contributions: frozen.map((c) => ({ incidentId: String(c.incidentId), hours: c.hours, reason: c.reason })) },
    analyze(input),
  );
  return { ...r, closureId: closure.id, closedAt: closure.closedAt, closedBy: closure.closedBy, policyVersionId: closure.policyVersionId };
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
