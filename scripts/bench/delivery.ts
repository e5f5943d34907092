/**
 * Bench section "delivery": (1) the sender: 500 queued Slack messages to a local receiver
 * (tests/support/fake-receivers/http.ts on 127.0.0.1), one pass after another until the
 * outbox is empty: seconds and messages per second; (2) the weekly digest and one event
 * collection (which re-evaluates which incidents count) over BENCH_DELIVERY_INCIDENTS
 * incidents (default 20,000): milliseconds each, since both run on the server's main thread.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase } from "@/db/client";
import { saveChannel } from "@/server/delivery/channels";
import { buildDigest } from "@/server/delivery/digest";
import { collectEvents } from "@/server/delivery/events";
import { queueMessage, testMessage } from "@/server/delivery/queue";
import { runSenderPass } from "@/server/delivery/sender";
import { addIncident } from "../../tests/db/incidents-helpers";
import { startFakeReceiver } from "../../tests/support/fake-receivers/http";

const MESSAGES = 500;
const N = Number(process.env.BENCH_DELIVERY_INCIDENTS) || 20_000;

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-delivery-"));
  const url = `file:${path.join(dir, "bench.sqlite")}`;
  const db = openMigratedDatabase(url);
  const receiver = await startFakeReceiver();
  try {
    const by = { label: "bench" };
    const slack = saveChannel(db, { kind: "slack", name: "bench", secret: receiver.url }, by, { databaseUrl: url });
    const now = Date.now();
    for (let i = 0; i < MESSAGES; i++) queueMessage(db, { channelIds: [slack.id], kind: "test", message: testMessage(null, "bench", now), dedupeKey: `bench:${i}`, now });
    const t0 = performance.now();
    let passes = 0;
    while (receiver.received.length < MESSAGES && passes < 1000) {
      await runSenderPass(db, { databaseUrl: url, limit: 50 });
      passes++;
    }
    const sendSeconds = (performance.now() - t0) / 1000;

    saveChannel(db, { kind: "webhook", name: "bench-hook", url: receiver.url, events: ["incident.counted"], secret: "" }, by, { databaseUrl: url });
    const day = 86_400_000;
    db.$client.transaction(() => {
      for (let i = 0; i < N; i++) {
        const startedAt = now - 700 * day + Math.floor((i * 699 * day) / N);
        addIncident(db, { startedAt, resolvedAt: startedAt + ((i % 7) + 1) * 1_800_000, trigger: i % 3 === 0 ? "change" : i % 3 === 1 ? "other" : "unknown", severity: i % 2 ? "SEV1" : "SEV2", sourceId: `B-${i}` });
      }
    })();
    const d0 = performance.now();
    buildDigest(db, { asOf: now, since: now - 7 * day });
    const digestMs = performance.now() - d0;
    collectEvents(db, now); // first look: sets the cursor (evaluates once)
    addIncident(db, { startedAt: now - 3_600_000, resolvedAt: now - 1_800_000, trigger: "change", severity: "SEV1", sourceId: "B-new" });
    const e0 = performance.now();
    const queued = collectEvents(db, now + 1000);
    const eventsMs = performance.now() - e0;
    return {
      delivery_messages: MESSAGES,
      delivery_send_seconds: Number(sendSeconds.toFixed(2)),
      delivery_messages_per_second: Math.round(MESSAGES / sendSeconds),
      delivery_incidents: N,
      delivery_digest_ms: Math.round(digestMs),
      delivery_event_collection_ms: Math.round(eventsMs),
      delivery_events_queued: queued,
    };
  } finally {
    await receiver.close();
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
