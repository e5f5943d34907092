import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** What a channel is: where a message goes and how it is laid out. */
/** `webhook`: an outgoing webhook for automation (signed JSON events); the others carry messages for people. */
export const CHANNEL_KINDS = ["slack", "teams", "email", "webhook"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** What a queued message is. */
export const MESSAGE_KINDS = ["test", "digest", "report", "event", "alert"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;

/**
 * Delivery's own settings, one JSON value per key: `app_url` (the public URL an admin set;
 * APP_URL in the environment wins), `alerts` (the alert rules a lead set).
 */
export const deliverySettings = sqliteTable("delivery_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

/**
 * A channel an admin set up under Settings → Delivery. `config` holds what may be shown
 * (SMTP host, port, sender, recipients); `secret` the webhook URL or SMTP password, sealed
 * (lib/auth/secret-box.ts, the delivery purpose) and never shown again.
 */
export const deliveryChannels = sqliteTable("delivery_channels", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  kind: text("kind", { enum: CHANNEL_KINDS }).notNull(),
  config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  secret: text("secret"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** Failed attempts in a row; reset by a success. The delivery page flags a channel that keeps failing. */
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastError: text("last_error"),
  lastSuccessAt: integer("last_success_at"),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by"),
  updatedAt: integer("updated_at").notNull(),
});

/** A schedule a lead set: a weekly digest, or the quarterly report when it is published. */
export const deliverySchedules = sqliteTable("delivery_schedules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  kind: text("kind", { enum: ["digest", "report"] }).notNull(),
  channelIds: text("channel_ids", { mode: "json" }).$type<number[]>().notNull(),
  /** 1 = Monday ... 7 = Sunday (ISO); digests only. */
  weekday: integer("weekday").notNull().default(1),
  hour: integer("hour").notNull().default(9),
  timezone: text("timezone").notNull().default("UTC"),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** The next occurrence (epoch ms) not yet queued; the scheduler queues it and moves this on in one transaction. */
  nextRunAt: integer("next_run_at"),
  /** Digest: the previous occurrence, so "newly counted" means since then. */
  lastRunAt: integer("last_run_at"),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * The outbox: one row per message per channel. A row is written in the same transaction
 * that decides it is due, under a unique `dedupe_key`, so a crash never loses it and a
 * second scheduler never queues it twice. The sender claims a row with a conditional UPDATE
 * of the lease columns; a dead sender's claim expires and the row is tried again.
 */
export const deliveryOutbox = sqliteTable(
  "delivery_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channelId: integer("channel_id")
      .notNull()
      .references(() => deliveryChannels.id, { onDelete: "cascade" }),
    scheduleId: integer("schedule_id").references(() => deliverySchedules.id, { onDelete: "set null" }),
    kind: text("kind", { enum: MESSAGE_KINDS }).notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    /** The message, rendered when queued (subject, text, blocks, links), so a retry sends the same thing. */
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [
    uniqueIndex("delivery_outbox_dedupe_idx").on(t.dedupeKey),
    index("delivery_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("delivery_outbox_channel_idx").on(t.channelId, t.id),
    index("delivery_outbox_schedule_idx").on(t.scheduleId, t.id),
  ],
);

/** Every attempt at sending an outbox row, with the channel's answer. */
export const deliveryAttempts = sqliteTable(
  "delivery_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    outboxId: integer("outbox_id")
      .notNull()
      .references(() => deliveryOutbox.id, { onDelete: "cascade" }),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    /** HTTP status or SMTP reply code, when there was an answer. */
    code: integer("code"),
    detail: text("detail").notNull(),
    durationMs: integer("duration_ms").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("delivery_attempts_outbox_idx").on(t.outboxId, t.id)],
);

export type DeliveryChannelRow = typeof deliveryChannels.$inferSelect;
export type DeliveryScheduleRow = typeof deliverySchedules.$inferSelect;
export type DeliveryOutboxRow = typeof deliveryOutbox.$inferSelect;
export type DeliveryAttemptRow = typeof deliveryAttempts.$inferSelect;
