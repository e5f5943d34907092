import "server-only";
import { and, asc, desc, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  deliveryAttempts,
  deliveryChannels,
  deliveryOutbox,
  deliverySchedules,
  type DeliveryAttemptRow,
  type DeliveryChannelRow,
  type DeliveryOutboxRow,
  type DeliveryScheduleRow,
} from "@/db/schema";
import type { DbOrTx } from "./audit";

export function listChannels(db: Db): DeliveryChannelRow[] {
  return db.select().from(deliveryChannels).orderBy(asc(deliveryChannels.name)).all();
}

export function getChannel(db: DbOrTx, id: number): DeliveryChannelRow | null {
  return (db as Db).select().from(deliveryChannels).where(eq(deliveryChannels.id, id)).get() ?? null;
}

export function getChannelByName(db: DbOrTx, name: string): DeliveryChannelRow | null {
  return (db as Db).select().from(deliveryChannels).where(eq(deliveryChannels.name, name)).get() ?? null;
}

export function listSchedules(db: Db): DeliveryScheduleRow[] {
  return db.select().from(deliverySchedules).orderBy(asc(deliverySchedules.id)).all();
}

export function getSchedule(db: DbOrTx, id: number): DeliveryScheduleRow | null {
  return (db as Db).select().from(deliverySchedules).where(eq(deliverySchedules.id, id)).get() ?? null;
}

/** Enabled schedules whose next occurrence is at or before `now`. */
export function dueSchedules(db: Db, now: number): DeliveryScheduleRow[] {
  return db
    .select()
    .from(deliverySchedules)
    .where(and(eq(deliverySchedules.enabled, true), lte(deliverySchedules.nextRunAt, now)))
    .all();
}

/**
 * Queues a message; a row with the same dedupe key already queued (by this process before a
 * crash, or by another process) is left as it is. True when a row was added.
 */
export function enqueue(db: DbOrTx, row: typeof deliveryOutbox.$inferInsert): boolean {
  const res = (db as Db).insert(deliveryOutbox).values(row).onConflictDoNothing({ target: deliveryOutbox.dedupeKey }).run();
  return res.changes === 1;
}

/** Pending rows due at `now`, oldest first, whose lease is free or expired. */
export function dueOutboxIds(db: Db, now: number, limit: number): number[] {
  return db.$client
    .prepare(
      `SELECT id FROM delivery_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY next_attempt_at, id LIMIT ?`,
    )
    .all(now, now, limit)
    .map((r) => (r as { id: number }).id);
}

/**
 * Claims an outbox row for `owner` until `until`: one conditional UPDATE, so of two senders
 * (threads or processes) exactly one gets it. A claim whose owner died expires at `until`.
 */
export function claimOutbox(db: Db, id: number, owner: string, now: number, until: number): DeliveryOutboxRow | null {
  const res = db.$client
    .prepare(
      `UPDATE delivery_outbox SET lease_owner = ?, lease_until = ?
       WHERE id = ? AND status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)`,
    )
    .run(owner, until, id, now, now);
  if (res.changes !== 1) return null;
  return db.select().from(deliveryOutbox).where(eq(deliveryOutbox.id, id)).get() ?? null;
}

export interface AttemptOutcome {
  ok: boolean;
  code: number | null;
  detail: string;
  durationMs: number;
  /** When to try again (epoch ms); null: give up (sent, or failed for good). */
  retryAt: number | null;
}

/**
 * Records an attempt and its effect in one transaction: the row becomes sent, pending again
 * (retryAt), or failed; the channel's health follows. Only the claim's owner may finish it.
 */
export function finishAttempt(db: Db, row: DeliveryOutboxRow, owner: string, outcome: AttemptOutcome, now: number): boolean {
  return db.transaction((tx) => {
    const current = tx.select().from(deliveryOutbox).where(eq(deliveryOutbox.id, row.id)).get();
    if (!current || current.leaseOwner !== owner || current.status !== "pending") return false;
    tx.insert(deliveryAttempts).values({ outboxId: row.id, ok: outcome.ok, code: outcome.code, detail: outcome.detail.slice(0, 500), durationMs: outcome.durationMs, at: now }).run();
    const status = outcome.ok ? "sent" : outcome.retryAt === null ? "failed" : "pending";
    tx.update(deliveryOutbox)
      .set({
        status,
        attempts: current.attempts + 1,
        nextAttemptAt: outcome.ok || outcome.retryAt === null ? current.nextAttemptAt : outcome.retryAt,
        leaseOwner: null,
        leaseUntil: null,
        lastError: outcome.ok ? null : outcome.detail.slice(0, 500),
        sentAt: outcome.ok ? now : null,
      })
      .where(eq(deliveryOutbox.id, row.id))
      .run();
    const channel = tx.select().from(deliveryChannels).where(eq(deliveryChannels.id, row.channelId)).get();
    if (channel) {
      tx.update(deliveryChannels)
        .set(
          outcome.ok
            ? { consecutiveFailures: 0, lastError: null, lastSuccessAt: now }
            : { consecutiveFailures: channel.consecutiveFailures + 1, lastError: outcome.detail.slice(0, 500) },
        )
        .where(eq(deliveryChannels.id, channel.id))
        .run();
    }
    return true;
  });
}

/** Puts a failed row back in the queue, due now (the delivery page's "retry"). */
export function requeueOutbox(db: DbOrTx, id: number, now: number): boolean {
  const res = (db as Db).update(deliveryOutbox).set({ status: "pending", nextAttemptAt: now, leaseOwner: null, leaseUntil: null }).where(and(eq(deliveryOutbox.id, id), eq(deliveryOutbox.status, "failed"))).run();
  return res.changes === 1;
}

export function getOutbox(db: Db, id: number): DeliveryOutboxRow | null {
  return db.select().from(deliveryOutbox).where(eq(deliveryOutbox.id, id)).get() ?? null;
}

export function listOutbox(db: Db, opts: { limit?: number; scheduleId?: number; channelId?: number } = {}): DeliveryOutboxRow[] {
  const where = opts.scheduleId !== undefined ? eq(deliveryOutbox.scheduleId, opts.scheduleId) : opts.channelId !== undefined ? eq(deliveryOutbox.channelId, opts.channelId) : undefined;
  return db.select().from(deliveryOutbox).where(where).orderBy(desc(deliveryOutbox.id)).limit(opts.limit ?? 50).all();
}

export function attemptsFor(db: Db, outboxIds: number[]): Map<number, DeliveryAttemptRow[]> {
  const out = new Map<number, DeliveryAttemptRow[]>();
  if (!outboxIds.length) return out;
  for (const a of db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.outboxId, outboxIds)).orderBy(asc(deliveryAttempts.id)).all()) {
    const list = out.get(a.outboxId) ?? [];
    list.push(a);
    out.set(a.outboxId, list);
  }
  return out;
}

/** Report publications after `since` (epoch ms), oldest first, with their version numbers. */
export function publicationsSince(db: Db, since: number): { quarter: string; version: number; publishedAt: number }[] {
  return db.$client
    .prepare(
      `SELECT c.quarter AS quarter, c.closed_at AS publishedAt,
              (SELECT count(*) FROM quarter_closures p WHERE p.quarter = c.quarter AND p.published = 1 AND p.id <= c.id) AS version
       FROM quarter_closures c WHERE c.published = 1 AND c.closed_at > ? ORDER BY c.closed_at, c.id`,
    )
    .all(since) as { quarter: string; version: number; publishedAt: number }[];
}

/** Live sources whose last syncs failed, with the newest error. */
export function failingSources(db: Db): { name: string; failures: number; error: string | null }[] {
  return db.$client
    .prepare(
      `SELECT s.name AS name, s.consecutive_failures AS failures,
              (SELECT r.error FROM source_runs r WHERE r.source_id = s.id AND r.status = 'failed' ORDER BY r.id DESC LIMIT 1) AS error
       FROM sources s WHERE s.enabled = 1 AND s.consecutive_failures > 0 ORDER BY s.name`,
    )
    .all() as { name: string; failures: number; error: string | null }[];
}
