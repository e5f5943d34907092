import { afterAll, describe, expect, test } from "vitest";
import { deliveryChannels, deliveryOutbox } from "@/db/schema";
import { createTestDb } from "../support/db";

const t = createTestDb();
afterAll(() => t.cleanup());

describe("delivery tables (migration 0008)", () => {
  test("an outbox row's dedupe key is unique, so a message is queued once", () => {
    const ch = t.db.insert(deliveryChannels).values({ name: "c", kind: "slack", config: {}, createdAt: 1, updatedAt: 1 }).returning().get();
    const row = { channelId: ch.id, kind: "test" as const, dedupeKey: "k1", payload: {}, nextAttemptAt: 1, createdAt: 1 };
    t.db.insert(deliveryOutbox).values(row).run();
    expect(() => t.db.insert(deliveryOutbox).values(row).run()).toThrow(/UNIQUE/);
    // Deleting the channel takes its queue with it.
    t.db.delete(deliveryChannels).run();
    expect(t.db.select().from(deliveryOutbox).all()).toHaveLength(0);
  });
});
