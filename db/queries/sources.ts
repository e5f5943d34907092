import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { importBatches, sourceRuns, sources, webhookReceipts, type SourceRow, type SourceRunRow, type WebhookReceiptRow } from "@/db/schema";
import type { RowError } from "@/lib/import/types";
import { recordAudit, type DbOrTx } from "./audit";
import type { ImportActor } from "./imports";

export type { SourceRow, SourceRunRow, WebhookReceiptRow };

/** A source without its sealed secrets: what lists, pages and logs may see. */
export type SourceView = Omit<SourceRow, "credential" | "webhookSecret"> & { hasCredential: boolean; hasWebhookSecret: boolean };

export function viewOf(row: SourceRow): SourceView {
  const { credential, webhookSecret, ...rest } = row;
  return { ...rest, hasCredential: !!credential, hasWebhookSecret: !!webhookSecret };
}

export function getSourceByName(db: Db, name: string): SourceRow | null {
  return db.select().from(sources).where(eq(sources.name, name)).get() ?? null;
}

export function getSource(db: Db, id: number): SourceRow | null {
  return db.select().from(sources).where(eq(sources.id, id)).get() ?? null;
}

export function listSources(db: Db): SourceRow[] {
  return db.select().from(sources).orderBy(sources.name).all();
}

export interface SourceWrite {
  name: string;
  kind: SourceRow["kind"];
  baseUrl: string;
  scope: Record<string, unknown>;
  everyMinutes: number;
  enabled: boolean;
  /** Sealed; undefined keeps the stored one, null clears it. */
  credential?: string | null;
  webhookSecret?: string | null;
}

/** Audit shape of a source: never the sealed values, only whether they are set or changed. */
function auditShape(row: SourceRow | null, changedSecrets: string[] = []): Record<string, unknown> | null {
  if (!row) return null;
  const v = viewOf(row);
  return { name: v.name, kind: v.kind, baseUrl: v.baseUrl, scope: v.scope, everyMinutes: v.everyMinutes, enabled: v.enabled, hasCredential: v.hasCredential, hasWebhookSecret: v.hasWebhookSecret, ...(changedSecrets.length ? { secretsChanged: changedSecrets } : {}) };
}

export function createSource(db: Db, input: SourceWrite, actor: ImportActor, now = Date.now()): SourceRow {
  return db.transaction((tx) => {
    const row = tx
      .insert(sources)
      .values({ ...input, credential: input.credential ?? null, webhookSecret: input.webhookSecret ?? null, nextRunAt: input.enabled ? now + input.everyMinutes * 60_000 : null, createdAt: now, createdBy: actor.label, updatedAt: now })
      .returning()
      .get();
    recordAudit(tx, { actor, action: "source.create", entityType: "source", entityId: row.id, after: auditShape(row), at: now });
    return row;
  });
}

export function updateSource(db: Db, id: number, input: SourceWrite, actor: ImportActor, now = Date.now()): SourceRow {
  return db.transaction((tx) => {
    const before = tx.select().from(sources).where(eq(sources.id, id)).get() ?? null;
    const set: Partial<typeof sources.$inferInsert> = { name: input.name, kind: input.kind, baseUrl: input.baseUrl, scope: input.scope, everyMinutes: input.everyMinutes, enabled: input.enabled, updatedAt: now };
    const changed: string[] = [];
    if (input.credential !== undefined) {
      set.credential = input.credential;
      changed.push("credential");
    }
    if (input.webhookSecret !== undefined) {
      set.webhookSecret = input.webhookSecret;
      changed.push("webhookSecret");
    }
    // A source turned on (or whose schedule changed) is next due one period from now (Sync now runs it at once); one turned off never is.
    if (!input.enabled) set.nextRunAt = null;
    else if (!before?.enabled || before.everyMinutes !== input.everyMinutes) set.nextRunAt = now + input.everyMinutes * 60_000;
    const row = tx.update(sources).set(set).where(eq(sources.id, id)).returning().get();
    recordAudit(tx, { actor, action: "source.update", entityType: "source", entityId: id, before: auditShape(before), after: auditShape(row, changed), at: now });
    return row;
  });
}

export function deleteSource(db: Db, id: number, actor: ImportActor, now = Date.now()): boolean {
  return db.transaction((tx) => {
    const before = tx.select().from(sources).where(eq(sources.id, id)).get();
    if (!before) return false;
    tx.delete(sources).where(eq(sources.id, id)).run();
    recordAudit(tx, { actor, action: "source.delete", entityType: "source", entityId: id, before: auditShape(before), at: now });
    return true;
  });
}

/**
 * Takes the source's sync lease for `owner` until `until`, when it is free, expired, already
 * this owner's, or held by `deadOwner` (a process on this machine that no longer runs).
 * One conditional UPDATE, so two processes can never both take it.
 */
export function acquireLease(db: Db, sourceId: number, owner: string, now: number, until: number, deadOwner: string | null = null): boolean {
  const res = db.$client
    .prepare(
      `UPDATE sources SET lease_owner = ?, lease_until = ?
       WHERE id = ? AND (lease_owner IS NULL OR lease_until IS NULL OR lease_until <= ? OR lease_owner = ? OR lease_owner = ?)`,
    )
    .run(owner, until, sourceId, now, owner, deadOwner ?? owner);
  return res.changes === 1;
}

/** Extends the lease; false when another owner took it meanwhile (the sync must stop). */
export function renewLease(db: DbOrTx, sourceId: number, owner: string, until: number): boolean {
  const res = (db as Db).$client.prepare("UPDATE sources SET lease_until = ? WHERE id = ? AND lease_owner = ?").run(until, sourceId, owner);
  return res.changes === 1;
}

export function releaseLease(db: Db, sourceId: number, owner: string): void {
  db.$client.prepare("UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?").run(sourceId, owner);
}

/** The newest run of a source. */
export function latestRun(db: Db, sourceId: number): SourceRunRow | null {
  return db.select().from(sourceRuns).where(eq(sourceRuns.sourceId, sourceId)).orderBy(desc(sourceRuns.id)).limit(1).get() ?? null;
}

export function listRuns(db: Db, sourceId: number, limit = 20): SourceRunRow[] {
  return db.select().from(sourceRuns).where(eq(sourceRuns.sourceId, sourceId)).orderBy(desc(sourceRuns.id)).limit(limit).all();
}

export function startRun(db: Db, input: { sourceId: number; trigger: SourceRunRow["trigger"]; windowSince: number | null; windowUntil: number; now: number }): SourceRunRow {
  return db.insert(sourceRuns).values({ sourceId: input.sourceId, trigger: input.trigger, windowSince: input.windowSince, windowUntil: input.windowUntil, startedAt: input.now }).returning().get();
}

/** Picks a failed or interrupted run up again (same window, cursor and batch). */
export function resumeRun(db: Db, runId: number): SourceRunRow {
  return db.update(sourceRuns).set({ status: "running", error: null, finishedAt: null }).where(eq(sourceRuns.id, runId)).returning().get();
}

/** The batch a run's pages land in, created with its first page that holds incidents. */
export function createRunBatch(db: DbOrTx, run: SourceRunRow, source: string, format: string, label: string, actor: ImportActor, now: number): number {
  const batch = db
    .insert(importBatches)
    .values({ kind: "incidents", source, format, fileName: label, rejects: [], createdAt: now, createdBy: actor.label })
    .returning({ id: importBatches.id })
    .get();
  db.update(sourceRuns).set({ batchId: batch.id }).where(eq(sourceRuns.id, run.id)).run();
  return batch.id;
}

const MAX_STORED_REJECTS = 1000;

/** One page's outcome on its run (and its rejected rows on the batch), with the cursor of the next page. */
export function recordPage(
  db: DbOrTx,
  runId: number,
  page: { cursor: Record<string, unknown> | null; fetched: number; created: number; updated: number; unchanged: number; rejected: number; batchId: number | null; errors: RowError[] },
): void {
  db.update(sourceRuns)
    .set({
      cursor: page.cursor,
      pages: sql`${sourceRuns.pages} + 1`,
      fetched: sql`${sourceRuns.fetched} + ${page.fetched}`,
      created: sql`${sourceRuns.created} + ${page.created}`,
      updated: sql`${sourceRuns.updated} + ${page.updated}`,
      unchanged: sql`${sourceRuns.unchanged} + ${page.unchanged}`,
      rejected: sql`${sourceRuns.rejected} + ${page.rejected}`,
    })
    .where(eq(sourceRuns.id, runId))
    .run();
  if (page.batchId !== null && page.errors.length) {
    const batch = db.select({ rejects: importBatches.rejects }).from(importBatches).where(eq(importBatches.id, page.batchId)).get();
    const rejects = [...(batch?.rejects ?? []), ...page.errors].slice(0, MAX_STORED_REJECTS);
    db.update(importBatches).set({ rejects }).where(eq(importBatches.id, page.batchId)).run();
  }
}

/** Ends a run. A batch that changed nothing and rejected nothing is removed, so 96 quiet syncs a day list no empty batches. */
export function finishRun(
  db: Db,
  run: SourceRunRow,
  outcome: { status: "succeeded" | "failed"; error?: string | null; now: number; everyMinutes: number; actor: ImportActor; sourceName: string },
): SourceRunRow {
  return db.transaction((tx) => {
    const cur = tx.select().from(sourceRuns).where(eq(sourceRuns.id, run.id)).get()!;
    let batchId = cur.batchId;
    if (batchId !== null && outcome.status === "succeeded" && cur.created + cur.updated + cur.rejected === 0) {
      tx.delete(importBatches).where(eq(importBatches.id, batchId)).run();
      batchId = null;
    }
    const done = tx
      .update(sourceRuns)
      .set({ status: outcome.status, error: outcome.error ?? null, finishedAt: outcome.now, batchId, ...(outcome.status === "succeeded" ? { cursor: null } : {}) })
      .where(eq(sourceRuns.id, run.id))
      .returning()
      .get();
    const next = outcome.now + outcome.everyMinutes * 60_000;
    if (outcome.status === "succeeded") {
      tx.update(sources).set({ syncedUntil: cur.windowUntil, consecutiveFailures: 0, nextRunAt: next }).where(eq(sources.id, run.sourceId)).run();
    } else {
      tx.update(sources).set({ consecutiveFailures: sql`${sources.consecutiveFailures} + 1`, nextRunAt: next }).where(eq(sources.id, run.sourceId)).run();
    }
    recordAudit(tx, {
      actor: outcome.actor,
      action: outcome.status === "succeeded" ? "source.sync" : "source.sync_failed",
      entityType: "source",
      entityId: run.sourceId,
      after: { run: done.id, batchId, pages: done.pages, fetched: done.fetched, created: done.created, updated: done.updated, unchanged: done.unchanged, rejected: done.rejected },
      detail: { source: outcome.sourceName, ...(outcome.error ? { error: outcome.error } : {}) },
      at: outcome.now,
    });
    return done;
  });
}

/** Enabled sources whose next run is due at `now`. */
export function dueSources(db: Db, now: number): SourceRow[] {
  return db
    .select()
    .from(sources)
    .where(and(eq(sources.enabled, true), sql`${sources.nextRunAt} IS NOT NULL AND ${sources.nextRunAt} <= ${now}`))
    .orderBy(sources.nextRunAt)
    .all();
}

/** Sources that failed `minFailures` syncs in a row, with their last error: for the data-completeness panel. */
export function failingSources(db: Db, minFailures = 3): { name: string; kind: string; failures: number; error: string | null; since: number | null }[] {
  return db.$client
    .prepare(
      `SELECT s.name, s.kind, s.consecutive_failures AS failures,
              (SELECT error FROM source_runs r WHERE r.source_id = s.id AND r.status = 'failed' ORDER BY r.id DESC LIMIT 1) AS error,
              (SELECT MAX(finished_at) FROM source_runs r WHERE r.source_id = s.id AND r.status = 'succeeded') AS since
       FROM sources s WHERE s.enabled = 1 AND s.consecutive_failures >= ? ORDER BY s.name`,
    )
    .all(minFailures) as { name: string; kind: string; failures: number; error: string | null; since: number | null }[];
}

/** Records one webhook delivery; false when its delivery id was accepted before (a replay). */
export function recordWebhookReceipt(db: DbOrTx, input: Omit<typeof webhookReceipts.$inferInsert, "id">): boolean {
  const res = (db as Db).$client
    .prepare("INSERT OR IGNORE INTO webhook_receipts (source_id, delivery_id, event, outcome, detail, bytes, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(input.sourceId, input.deliveryId ?? null, input.event ?? null, input.outcome, input.detail ?? null, input.bytes, input.receivedAt);
  return res.changes === 1;
}

export function listWebhookReceipts(db: Db, sourceId: number, limit = 20): WebhookReceiptRow[] {
  return db.select().from(webhookReceipts).where(eq(webhookReceipts.sourceId, sourceId)).orderBy(desc(webhookReceipts.id)).limit(limit).all();
}

/** The applied batch named `label` (today's webhook batch of a source), created when missing. */
export function batchNamed(db: DbOrTx, label: string, source: string, format: string, actor: ImportActor, now: number): number {
  const found = db
    .select({ id: importBatches.id })
    .from(importBatches)
    .where(and(eq(importBatches.fileName, label), eq(importBatches.status, "applied"), eq(importBatches.source, source)))
    .orderBy(desc(importBatches.id))
    .limit(1)
    .get();
  if (found) return found.id;
  return db.insert(importBatches).values({ kind: "incidents", source, format, fileName: label, rejects: [], createdAt: now, createdBy: actor.label }).returning({ id: importBatches.id }).get().id;
}

/** Whether this delivery id was accepted (or ignored) before for the source. */
export function seenDelivery(db: Db, sourceId: number, deliveryId: string): boolean {
  return !!db.$client.prepare("SELECT 1 FROM webhook_receipts WHERE source_id = ? AND delivery_id = ?").get(sourceId, deliveryId);
}

/** The stored resolution time of an incident (epoch ms), if any. */
export function storedResolvedAt(db: Db, source: string, sourceId: string): number | null {
  const row = db.$client.prepare("SELECT resolved_at AS r FROM incidents WHERE source = ? AND source_id = ?").get(source, sourceId) as { r: number | null } | undefined;
  return row?.r ?? null;
}
