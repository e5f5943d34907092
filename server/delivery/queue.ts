import "server-only";
import crypto from "node:crypto";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { enqueue, getChannel, getOutbox, requeueOutbox } from "@/db/queries/delivery";
import type { MessageKind } from "@/db/schema";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { appLink } from "@/lib/delivery/app-url";
import type { DeliveryMessage } from "@/lib/delivery/message";
import { EVENT_VERSION, type EventEnvelope } from "@/lib/delivery/webhooks";
import { resolveAppUrl } from "./app-url";
import { redeliverEvent } from "./events";

/** Said in every message when no public URL is set, instead of a link that would not open. */
export const NO_APP_URL_NOTE = "Links are left out: the app's public URL is not set (APP_URL, or Settings → Delivery).";

/**
 * Queues `message` once per channel. `dedupeKey` names the occasion ("schedule:3:2026-06-01T07:00Z");
 * queueing the same occasion again (a retry after a crash, a second process) adds nothing.
 * Returns the number of rows added. Sending happens later, on the sender: never in the caller.
 */
export function queueMessage(
  db: Db,
  input: { channelIds: number[]; kind: MessageKind; message: DeliveryMessage; dedupeKey: string; scheduleId?: number | null; now: number },
): number {
  return db.transaction((tx) => {
    let added = 0;
    for (const channelId of input.channelIds) {
      if (!getChannel(tx, channelId)) continue;
      if (
        enqueue(tx, {
          channelId,
          scheduleId: input.scheduleId ?? null,
          kind: input.kind,
          dedupeKey: `${input.dedupeKey}:channel:${channelId}`,
          payload: input.message as unknown as Record<string, unknown>,
          nextAttemptAt: input.now,
          createdAt: input.now,
        })
      )
        added++;
    }
    return added;
  });
}

/** The "send test" message: says which channel it came through and links to the delivery settings. */
export function testMessage(appUrl: string | null, channelName: string, at: number): DeliveryMessage {
  const settings = appLink(appUrl, "/settings/delivery");
  return {
    kind: "test",
    subject: "Deploy Safety: test message",
    headline: `This is a test of the channel "${channelName}", sent ${new Date(at).toISOString().replace(/\.\d+Z$/, "Z")}. If you can read it, digests and reports will arrive here.`,
    facts: [],
    sections: [],
    link: settings ? { label: "Open delivery settings", url: settings } : null,
    note: appUrl ? null : NO_APP_URL_NOTE,
  };
}

/** Queues a test message for one channel (the "send test" button); each press is its own message. */
export function queueTest(db: Db, channelId: number, actor: AuditActor, now = Date.now()): number {
  const channel = getChannel(db, channelId);
  if (!channel) throw new NotFoundError(`No channel ${channelId}`);
  const key = `test:${channelId}:${now}:${crypto.randomBytes(4).toString("hex")}`;
  const ping: EventEnvelope = { id: key, type: "ping", version: EVENT_VERSION, createdAt: new Date(now).toISOString(), data: { channel: channel.name } };
  const message = channel.kind === "webhook" ? (ping as unknown as DeliveryMessage) : testMessage(resolveAppUrl(db), channel.name, now);
  queueMessage(db, { channelIds: [channelId], kind: "test", message, dedupeKey: key, now });
  recordAudit(db, { actor, action: "delivery.test", entityType: "delivery_channel", entityId: channelId, at: now });
  return channelId;
}

/**
 * The delivery log's "retry" / "redeliver": a failed message goes back in the queue; a webhook
 * event (sent or failed) is sent again as a new row with the same envelope id.
 */
export function retryMessage(db: Db, outboxId: number, actor: AuditActor, now = Date.now()): "requeued" | "redelivered" {
  const row = getOutbox(db, outboxId);
  if (!row) throw new NotFoundError(`No queued message ${outboxId}`);
  let outcome: "requeued" | "redelivered";
  if (row.kind === "event" && row.status !== "pending") {
    if (redeliverEvent(db, outboxId, now) === null) throw new ConflictError(`Event ${outboxId} was just redelivered; try again in a moment`);
    outcome = "redelivered";
  } else if (requeueOutbox(db, outboxId, now)) outcome = "requeued";
  else throw new ConflictError(`Message ${outboxId} is ${row.status}, not failed: nothing to retry`);
  recordAudit(db, { actor, action: outcome === "redelivered" ? "delivery.redeliver" : "delivery.retry", entityType: "delivery_outbox", entityId: outboxId, at: now });
  return outcome;
}
