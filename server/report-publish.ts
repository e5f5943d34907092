import "server-only";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getClosure, getClosureById, reopenQuarter, type StoredContribution } from "@/db/queries/closures";
import type { ActorInput } from "@/db/queries/config";
import { markClosurePublished, publishedRows, toPublished, type PublishedReport } from "@/db/queries/report-publish";
import { reportIncidentMeta } from "@/db/queries/reports";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import type { MovedIncident, Restatement } from "@/lib/metric/restatement";
import { closeQuarter, restateClosure } from "./closures";
import { buildLiveReport, parseQuarterParam } from "./reports";

/**
 * Publishes `quarter`'s report: freezes the quarter (closeQuarter; a closure already in
 * force is reopened first, so the frozen figure is the one the report shows) and stores
 * the full report and narrative on the closure, marked published. One transaction: a
 * refusal (quarter not ended: 422) writes nothing. Audits `report.publish`.
 */
export function publishReport(db: Db, quarter: string, opts: { actor: ActorInput; asOf?: number; now?: number }): PublishedReport {
  const q = parseQuarterParam(quarter);
  if (!q) throw new ValidationError(`"${quarter}" is not a quarter id`, [{ field: "quarter", message: "must be a quarter id like FY2026-Q3" }]);
  const now = opts.now ?? Date.now();
  const asOf = opts.asOf ?? now;
  const actor = typeof opts.actor === "string" ? { id: null, label: opts.actor } : { id: opts.actor.id ?? null, label: opts.actor.label };
  return db.transaction((tx) => {
    if (getClosure(db, q)) reopenQuarter(db, q, { actor, note: "re-frozen to publish the report", now });
    const closure = closeQuarter(db, q, { actor, asOf, now });
    const model = buildLiveReport(db, q, { asOf });
    const row = markClosurePublished(tx, closure.id, model);
    const version = publishedRows(db, q).length;
    recordAudit(tx, {
      actor,
      action: "report.publish",
      entityType: "quarter",
      entityId: q,
      after: { closureId: row.id, version, hours: row.hours, upperBoundHours: row.upperBoundHours, target: row.target, status: row.status },
      detail: { asOf: new Date(asOf).toISOString(), policyVersionId: row.policyVersionId },
      at: now,
    });
    return toPublished(row, version);
  });
}

export interface MovedIncidentWithTitle extends MovedIncident {
  sourceId: string;
  title: string;
}

export interface ReportRestatement extends Omit<Restatement, "moved"> {
  moved: MovedIncidentWithTitle[];
}

/**
 * "Reported X, now Y" for one published version: its frozen contributions against
 * today's data, evaluated with the settings frozen at publishing and the current
 * policy (restateClosure, as for the closure in force). Null when nothing moved.
 */
export function restatementForPublished(db: Db, published: PublishedReport, opts: { asOf: number }): ReportRestatement | null {
  const row = getClosureById(db, published.closureId);
  if (!row) throw new NotFoundError(`published report ${published.quarter} v${published.version} is gone`);
  const frozen = row.contributions as StoredContribution[];
  const r = restateClosure(db, row, opts);
  if (r.moved.length === 0 && Math.abs(r.delta) <= 1e-9) return null;
  const meta = reportIncidentMeta(db, r.moved.map((m) => m.id));
  const frozenMeta = new Map(frozen.map((c) => [String(c.incidentId), c]));
  return {
    ...r,
    moved: r.moved.map((m) => ({
      ...m,
      sourceId: meta.get(m.id)?.sourceId ?? frozenMeta.get(m.id)?.sourceId ?? m.id,
      title: meta.get(m.id)?.title ?? frozenMeta.get(m.id)?.title ?? "(incident removed)",
    })),
  };
}
