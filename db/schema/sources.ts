import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { importBatches } from "./imports";

/** The tools a source can be (connectors); the webhook-only kinds have no connector. */
export const SOURCE_KINDS = ["pagerduty", "incidentio", "statuspage", "jira", "opsgenie", "github", "argocd", "deploy-webhook"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * A live source an admin configured under Settings → Sources: where to read (base URL,
 * scope), how often, and its credentials sealed with the sources key (never shown again).
 * The lease columns make one sync of a source at a time across processes (server and CLI):
 * a process takes the lease with a conditional UPDATE and renews it per page.
 */
export const sources = sqliteTable("sources", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  kind: text("kind", { enum: SOURCE_KINDS }).notNull(),
  baseUrl: text("base_url").notNull(),
  /** Kind-specific scope: service/team ids, a JQL query, a Statuspage page... */
  scope: text("scope", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  everyMinutes: integer("every_minutes").notNull().default(15),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** API key / token, sealed (lib/auth/secret-box.ts, the sources key); null when the kind needs none. */
  credential: text("credential"),
  /** The shared secret webhook signatures are checked with, sealed likewise. */
  webhookSecret: text("webhook_secret"),
  /** Where the last complete sync ended (epoch ms): the next window starts here, less an overlap. */
  syncedUntil: integer("synced_until"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  nextRunAt: integer("next_run_at"),
  leaseOwner: text("lease_owner"),
  leaseUntil: integer("lease_until"),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * One sync of a source: its window, the cursor of the next page (written in the same
 * transaction as the page it follows, so a crash resumes exactly there) and the import
 * batch every page lands in.
 */
export const sourceRuns = sqliteTable(
  "source_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sourceId: integer("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    trigger: text("trigger", { enum: ["manual", "schedule", "cli"] }).notNull(),
    status: text("status", { enum: ["running", "succeeded", "failed"] }).notNull().default("running"),
    windowSince: integer("window_since"),
    windowUntil: integer("window_until").notNull(),
    /** The next page to read (kind-specific: an offset, an `after` cursor, a token); null before the first page. */
    cursor: text("cursor", { mode: "json" }).$type<Record<string, unknown> | null>(),
    batchId: integer("batch_id").references(() => importBatches.id, { onDelete: "set null" }),
    pages: integer("pages").notNull().default(0),
    fetched: integer("fetched").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    /** The last failure in plain words (never a credential or a raw response). */
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("source_runs_source_idx").on(t.sourceId, t.id), index("source_runs_batch_idx").on(t.batchId)],
);

/** What an inbound webhook delivered: accepted or why not. Replays are told by the delivery id. */
export const webhookReceipts = sqliteTable(
  "webhook_receipts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sourceId: integer("source_id")
      .notNull()
      .references(() => sources.id, { onDelete: "cascade" }),
    deliveryId: text("delivery_id"),
    event: text("event"),
    outcome: text("outcome", { enum: ["accepted", "rejected", "ignored"] }).notNull(),
    detail: text("detail"),
    bytes: integer("bytes").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [uniqueIndex("webhook_receipts_delivery_idx").on(t.sourceId, t.deliveryId), index("webhook_receipts_source_idx").on(t.sourceId, t.id)],
);

export type SourceRow = typeof sources.$inferSelect;
export type SourceRunRow = typeof sourceRuns.$inferSelect;
export type WebhookReceiptRow = typeof webhookReceipts.$inferSelect;
