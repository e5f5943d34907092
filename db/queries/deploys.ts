import "server-only";
import { and, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deployEvents } from "@/db/schema";
import { ValidationError } from "@/lib/api/errors";
import type { DeployLike } from "@/lib/suggestions/deploys";
import type { AuditActor } from "@/lib/audit/actor";
import type { DeployRowError } from "@/lib/import/deploys";
import type { DeployInput } from "@/lib/validation/deploy";
import { recordAudit } from "./audit";

export type DeployRow = typeof deployEvents.$inferSelect;

export interface DeployImportSummary {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Every invalid row of a deploy import; nothing was written. */
export class DeployImportRefusedError extends ValidationError {
  constructor(
    readonly errors: DeployRowError[],
    readonly total: number,
  ) {
    super(
      `${errors.length === 1 ? "1 problem" : `${errors.length} problems`} in ${new Set(errors.map((e) => e.row)).size} of ${total} rows; nothing was imported.`,
      errors.map((e) => ({ field: `row ${e.row}: ${e.field}`, message: e.message })),
    );
  }
}

const SAME_FIELDS = ["startedAt", "finishedAt", "service", "deploySystem", "version", "outcome", "isRollback"] as const;

/**
 * Writes validated deploy events in ONE transaction. A row with an `externalId` upserts
 * on it (a re-import of the same file changes nothing); a row without one is skipped as
 * `unchanged` when an identical event (service, finish time, version, system) exists.
 * Throws DeployImportRefusedError when `errors` is not empty: all or nothing.
 */
export function importDeploys(
  db: Db,
  deploys: DeployInput[],
  errors: DeployRowError[],
  opts: { actor: AuditActor; source?: string; now?: number },
): DeployImportSummary {
  const total = deploys.length + new Set(errors.map((e) => e.row)).size;
  if (errors.length) throw new DeployImportRefusedError(errors, total);
  if (deploys.length === 0) throw new ValidationError("no deploy events to import", [{ field: "(body)", message: "the file or body holds no rows" }]);
  const now = opts.now ?? Date.now();
  return db.transaction((tx) => {
    const summary: DeployImportSummary = { total, created: 0, updated: 0, unchanged: 0 };
    for (const d of deploys) {
      const existing = d.externalId
        ? tx.select().from(deployEvents).where(eq(deployEvents.externalId, d.externalId)).get()
        : tx
            .select()
            .from(deployEvents)
            .where(
              and(
                eq(deployEvents.service, d.service),
                eq(deployEvents.finishedAt, d.finishedAt),
                d.version === null ? sql`${deployEvents.version} IS NULL` : eq(deployEvents.version, d.version),
                d.deploySystem === null ? sql`${deployEvents.deploySystem} IS NULL` : eq(deployEvents.deploySystem, d.deploySystem),
              ),
            )
            .get();
      if (!existing) {
        tx.insert(deployEvents).values({ ...d, createdAt: now }).run();
        summary.created++;
      } else if (SAME_FIELDS.every((k) => existing[k] === d[k])) {
        summary.unchanged++;
      } else {
        tx.update(deployEvents)
          .set({ startedAt: d.startedAt, finishedAt: d.finishedAt, service: d.service, deploySystem: d.deploySystem, version: d.version, outcome: d.outcome, isRollback: d.isRollback })
          .where(eq(deployEvents.id, existing.id))
          .run();
        summary.updated++;
      }
    }
    recordAudit(tx, { actor: opts.actor, action: "deploys.import", entityType: "deploys", detail: { ...summary, source: opts.source ?? null }, at: now });
    return summary;
  });
}

export interface DeployListOptions {
  service?: string;
  /** Epoch ms, inclusive / exclusive on finish time. */
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}

/** Deploy events, newest first. */
export function listDeploys(db: Db, opts: DeployListOptions = {}): { total: number; items: DeployRow[] } {
  const conds: SQL[] = [];
  if (opts.service) conds.push(sql`lower(${deployEvents.service}) = lower(${opts.service})`);
  if (opts.from !== undefined) conds.push(gte(deployEvents.finishedAt, opts.from));
  if (opts.to !== undefined) conds.push(sql`${deployEvents.finishedAt} < ${opts.to}`);
  const where = conds.length ? and(...conds) : undefined;
  const total = db.select({ n: sql<number>`count(*)` }).from(deployEvents).where(where).get()?.n ?? 0;
  const items = db
    .select()
    .from(deployEvents)
    .where(where)
    .orderBy(desc(deployEvents.finishedAt), desc(deployEvents.id))
    .limit(Math.min(Math.max(opts.limit ?? 100, 1), 1000))
    .offset(Math.max(opts.offset ?? 0, 0))
    .all();
  return { total, items };
}

export function getDeploy(db: Db, id: number): DeployRow | null {
  return db.select().from(deployEvents).where(eq(deployEvents.id, id)).get() ?? null;
}

export function toDeployLike(r: DeployRow): DeployLike {
  return {
    id: r.id,
    externalId: r.externalId,
    finishedAt: r.finishedAt,
    service: r.service,
    deploySystem: r.deploySystem,
    version: r.version,
    outcome: r.outcome,
    isRollback: r.isRollback,
  };
}

/**
 * Deploys to any of `services` that finished in [from, to] (epoch ms), through the
 * (service, finished_at) index: one range scan per name. Names are tried as written and
 * in lower case (how deploy tools usually spell services).
 */
export function deploysNear(db: Db, services: readonly string[], from: number, to: number): DeployLike[] {
  const names = new Set<string>();
  for (const s of services) {
    const t = s.trim();
    if (t) names.add(t).add(t.toLowerCase());
  }
  if (names.size === 0) return [];
  return db
    .select()
    .from(deployEvents)
    .where(and(inArray(deployEvents.service, [...names]), gte(deployEvents.finishedAt, from), lte(deployEvents.finishedAt, to)))
    .all()
    .map(toDeployLike);
}

/** Distinct services named by deploy events, for the filter's choices. */
export function listDeployServices(db: Db): string[] {
  return db
    .selectDistinct({ s: deployEvents.service })
    .from(deployEvents)
    .orderBy(deployEvents.service)
    .all()
    .map((r) => r.s);
}
