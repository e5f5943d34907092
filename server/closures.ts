import "server-only";
import type { Db } from "@/db/client";
import {
  actorOf,
  checkQuarter,
  getClosure,
  incidentTitles,
  insertClosure,
  type ClosureRow,
  type StoredContribution,
} from "@/db/queries/closures";
import { getCurrentPolicy, type ActorInput } from "@/db/queries/config";
import { ConflictError, ValidationError } from "@/lib/api/errors";
import { analyze } from "@/lib/metric/analyze";
import { computeRestatement, type Restatement } from "@/lib/metric/restatement";
import type { Settings } from "@/lib/metric/types";
import { loadMetricInput } from "./metrics";

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
    const meta = incidentTitles(
      tx,
      counted.map((i) => Number(i.id)),
    );
    const contributions: StoredContribution[] = counted.map((i) => ({
      incidentId: Number(i.id),
      sourceId: meta.get(Number(i.id))?.sourceId ?? "",
      title: meta.get(Number(i.id))?.title ?? "",
      hours: i.contributions[0].hours,
      reason: i.reason,
    }));
    return insertClosure(
      tx,
      {
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
      },
      { actor, asOf: opts.asOf, now },
    );
  });
}

/**
 * A closure's frozen contributions against today's data: the engine's `computeRestatement`
 * over the stored incidents evaluated at `asOf` with the settings frozen at closing and the
 * current policy. Serves the closure in force and every published version alike.
 */
export function restateClosure(db: Db, closure: ClosureRow, opts: { asOf: number }): Restatement {
  const frozen = closure.contributions as StoredContribution[];
  const input = loadMetricInput(db, { asOf: opts.asOf, from: closure.quarter, to: closure.quarter, config: { settings: closure.settings as Partial<Settings> } });
  return computeRestatement(
    { quarter: closure.quarter, hours: closure.hours, contributions: frozen.map((c) => ({ incidentId: String(c.incidentId), hours: c.hours, reason: c.reason })) },
    analyze(input),
  );
}

export interface StoredRestatement extends Restatement {
  closureId: number;
  closedAt: number;
  closedBy: string | null;
  policyVersionId: number | null;
}

/**
 * "Reported X, now Y" for the closure in force of `quarter` (see restateClosure).
 * Null when the quarter is not closed; 422 for a malformed quarter id.
 */
export function closedQuarterRestatement(db: Db, quarter: string, opts: { asOf: number }): StoredRestatement | null {
  const closure = getClosure(db, checkQuarter(quarter));
  if (!closure) return null;
  const r = restateClosure(db, closure, opts);
  return { ...r, closureId: closure.id, closedAt: closure.closedAt, closedBy: closure.closedBy, policyVersionId: closure.policyVersionId };
}
