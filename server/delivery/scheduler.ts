import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { dueSchedules, enqueue, getChannel, listSchedules, publicationsSince } from "@/db/queries/delivery";
import { deliverySchedules, type DeliveryScheduleRow } from "@/db/schema";
import { nextWeeklyOccurrence } from "@/lib/delivery/schedule";
import type { DeliveryMessage } from "@/lib/delivery/message";
import { buildDigest, buildReportMessage } from "./digest";

const WEEK_MS = 7 * 86_400_000;

/**
 * Queues one occasion's message for each of the schedule's channels and moves the schedule on,
 * in one transaction: a crash before it commits leaves the schedule due (queued next tick), a
 * crash after leaves the rows queued; the occasion's dedupe key keeps a second process (or a
 * re-run) from queueing it twice.
 */
function queueOccasion(db: Db, s: DeliveryScheduleRow, occasion: string, message: DeliveryMessage, now: number, advance: Partial<typeof deliverySchedules.$inferInsert>): number {
  return db.transaction((tx) => {
    let added = 0;
    for (const channelId of s.channelIds) {
      if (!getChannel(tx, channelId)) continue;
      if (enqueue(tx, { channelId, scheduleId: s.id, kind: message.kind, dedupeKey: `${occasion}:channel:${channelId}`, payload: message as unknown as Record<string, unknown>, nextAttemptAt: now, createdAt: now })) added++;
    }
    tx.update(deliverySchedules).set(advance).where(eq(deliverySchedules.id, s.id)).run();
    return added;
  });
}

/**
 * One scheduler tick at `now` (an injected clock in tests): every due digest is queued for its
 * latest missed occurrence only (a server that was down for three weeks sends one digest,
 * not three), and every report published since a report schedule last looked is queued.
 * Returns the number of outbox rows added. Never sends: the sender does.
 */
export function runSchedulerTick(db: Db, now: number): number {
  let added = 0;
  for (const s of dueSchedules(db, now)) {
    if (s.kind !== "digest" || s.nextRunAt === null) continue;
    const occurrence = s.nextRunAt;
    const next = nextWeeklyOccurrence(now, s.weekday, s.hour, s.timezone);
    const since = s.lastRunAt ?? occurrence - WEEK_MS;
    const message = buildDigest(db, { asOf: now, since });
    added += queueOccasion(db, s, `digest:${s.id}:${new Date(occurrence).toISOString()}`, message, now, { nextRunAt: next, lastRunAt: now });
  }
  for (const s of listSchedules(db)) {
    if (s.kind !== "report" || !s.enabled) continue;
    const since = s.lastRunAt ?? s.createdAt;
    const pubs = publicationsSince(db, since);
    if (!pubs.length) continue;
    for (const p of pubs) {
      added += queueOccasion(db, s, `report:${s.id}:${p.quarter}:v${p.version}`, buildReportMessage(db, p.quarter, p.version), now, { lastRunAt: Math.max(since, p.publishedAt) });
    }
  }
  return added;
}
