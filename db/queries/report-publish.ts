import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { quarterClosures } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import type { ReportModel } from "@/lib/export/report-model";
import { analyze } from "@/lib/metric/analyze";
import { computeRestatement, type MovedIncident, type Restatement } from "@/lib/metric/restatement";
import type { Settings } from "@/lib/metric/types";
import { recordAudit } from "./audit";
import { closeQuarter, getClosure, reopenQuarter, type ClosureRow, type StoredContribution } from "./closures";
import type { ActorInput } from "./config";
import { loadMetricInput } from "./metrics";
import { buildLiveReport, parseQuarterParam, reportIncidentMeta } from "./reports";

export interface PublishedReport {
  quarter: string;
  /** 1, 2, … in publishing order for the quarter. */
  version: number;
  closureId: number;
  publishedAt: number;
  publishedBy: string | null;
  /** False once the quarter was reopened or published again. */
  inForce: boolean;
  model: ReportModel;
}

function toPublished(row: ClosureRow, version: number): PublishedReport {
  return {
    quarter: row.quarter,
    version,
    closureId: row.id,
    publishedAt: row.closedAt,
    publishedBy: row.closedBy,
    inForce: row.reopenedAt == null,
    model: row.report as ReportModel,
  };
}

function publishedRows(db: Db, quarter: string): ClosureRow[] {
  return db
    .select()
    .from(quarterClosures)
    .where(and(eq(quarterClosures.quarter, quarter), eq(quarterClosures.published, true)))
    .orderBy(asc(quarterClosures.id))
    .all();
}

/** Every published version of a quarter's report, oldest (version 1) first. */
export function listPublishedReports(db: Db, quarter: string): PublishedReport[] {
  return publishedRows(db, quarter).map((r, i) => toPublished(r, i + 1));
}

/** How many versions of `quarter`'s report were published (versions are numbered 1..n). */
export function countPublishedVersions(db: Db, quarter: string): number {
  const row = db
    .select({ n: count() })
    .from(quarterClosures)
    .where(and(eq(quarterClosures.quarter, quarter), eq(quarterClosures.published, true)))
    .get();
  return row?.n ?? 0;
}

/** One published version (the latest when `version` is omitted), or null. */
export function getPublishedReport(db: Db, quarter: string, version?: number): PublishedReport | null {
  const rows = publishedRows(db, quarter);
  if (rows.length === 0) return null;
  const v = version ?? rows.length;
  const row = rows[v - 1];
  return row ? toPublished(row, v) : null;
}

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
    const row = tx
      .update(quarterClosures)
      .set({ report: model, narrative: model.narrative, published: true })
      .where(eq(quarterClosures.id, closure.id))
      .returning()
      .get();
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
 * policy (as closures.computeRestatement does for the closure in force). Null when nothing moved.
 */
export function restatementForPublished(db: Db, published: PublishedReport, opts: { asOf: number }): ReportRestatement | null {
  const row = db.select().from(quarterClosures).where(eq(quarterClosures.id, published.closureId)).get();
  if (!row) throw new NotFoundError(`published report ${published.quarter} v${published.version} is gone`);
  const frozen = row.contributions as StoredContribution[];
  const input = loadMetricInput(db, { asOf: opts.asOf, from: row.quarter, to: row.quarter, config: { settings: row.settings as Partial<Settings> } });
  const r = computeRestatement(
    { quarter: row.quarter, hours: row.hours, contributions: frozen.map((c) => ({ incidentId: String(c.incidentId), hours: c.hours, reason: c.reason })) },
    analyze(input),
  );
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
