import type { Db } from "@/db/client";
import { deliveryOutbox } from "@/db/schema";
import { saveChannel } from "@/server/delivery/channels";
import { saveSchedule } from "@/server/delivery/schedules";

/** Settings → Delivery for the action matrix: a Slack channel, a digest schedule to it, and a failed message. */
export async function seedDeliveryFixture(d: Db, by: { label: string }): Promise<{ channelId: number; scheduleId: number; failedOutboxId: number }> {
  const channel = saveChannel(d, { kind: "slack", name: "matrix-slack", secret: "https://hooks.slack.com/services/T0/B0/matrix" }, by);
  const schedule = saveSchedule(d, { name: "Matrix weekly", kind: "digest", channelIds: [String(channel.id)], weekday: "1", hour: "9", timezone: "UTC" }, by);
  const now = Date.now();
  const failed = d
    .insert(deliveryOutbox)
    .values({ channelId: channel.id, kind: "test", dedupeKey: "matrix-failed", payload: {}, status: "failed", attempts: 8, nextAttemptAt: now, lastError: "Slack failed (500)", createdAt: now })
    .returning()
    .get();
  return { channelId: channel.id, scheduleId: schedule.id, failedOutboxId: failed.id };
}
