import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getChannel, getChannelByName, listChannels } from "@/db/queries/delivery";
import { deliveryChannels, type ChannelKind, type DeliveryChannelRow } from "@/db/schema";
import { issuesFromZod, NotFoundError, ValidationError, type FieldIssue } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { channelFormSchema, emailConfigSchema, webhookConfigSchema, webhookUrlSchema, type EmailConfig } from "@/lib/delivery/channels";
import { generateWebhookSecret } from "@/lib/delivery/webhooks";
import { sealChannelSecret } from "./secrets";

/** A channel as pages show it: never its secret, only whether one is stored. */
export interface ChannelView {
  id: number;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  hasSecret: boolean;
  /** Email: host, port, security, user, from, to. Slack/Teams: the webhook's host only. */
  config: Record<string, unknown>;
  consecutiveFailures: number;
  lastError: string | null;
  lastSuccessAt: number | null;
}

/** Failures in a row after which the delivery page flags a channel. */
export const FAILING_AFTER = 3;

export function channelView(row: DeliveryChannelRow): ChannelView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    hasSecret: row.secret !== null,
    config: row.config,
    consecutiveFailures: row.consecutiveFailures,
    lastError: row.lastError,
    lastSuccessAt: row.lastSuccessAt,
  };
}

export function listChannelViews(db: Db): ChannelView[] {
  return listChannels(db).map(channelView);
}

function fail(issues: FieldIssue[]): never {
  throw new ValidationError("The channel was not saved: fix the fields marked below.", issues);
}

/**
 * Creates (no `id`) or updates a channel from what the form posted. A blank secret on an
 * update keeps the stored one; a new Slack or Teams channel needs its webhook URL. Every
 * field's problem comes back at once as a ValidationError; nothing is written then.
 */
export function saveChannel(db: Db, input: unknown, actor: AuditActor, opts: { id?: number; databaseUrl?: string; now?: number } = {}): ChannelView & { generatedSecret?: string } {
  const now = opts.now ?? Date.now();
  const form = channelFormSchema.safeParse(input);
  if (!form.success) {
    // Report the kind-specific fields too when the kind itself is readable.
    const kind = (input as { kind?: unknown } | null)?.kind;
    const rest = kind === "slack" || kind === "teams" || kind === "email" || kind === "webhook" ? kindIssues({ ...(input as object), kind } as ChannelFormOutput, null) : [];
    fail([...issuesFromZod(form.error), ...rest.filter((i) => !form.error.issues.some((z) => z.path[0] === i.field))]);
  }
  const f = form.data;
  const existing = opts.id !== undefined ? getChannel(db, opts.id) : null;
  if (opts.id !== undefined && !existing) throw new NotFoundError(`No channel ${opts.id}`);
  if (existing && existing.kind !== f.kind) fail([{ field: "kind", message: "cannot change: delete the channel and add a new one" }]);
  const issues: FieldIssue[] = [];
  const taken = getChannelByName(db, f.name);
  if (taken && taken.id !== existing?.id) issues.push({ field: "name", message: `"${f.name}" is taken by another channel` });

  const checked = kindIssues(f, existing);
  issues.push(...checked);
  if (issues.length) fail(issues);
  const { config, secret } = kindValues(f, existing);

  const sealed = secret !== null ? sealChannelSecret(secret, opts.databaseUrl) : undefined;
  return db.transaction((tx) => {
    const values = { name: f.name, kind: f.kind, config, updatedAt: now, ...(sealed ? { secret: sealed } : {}) };
    const row = existing
      ? tx.update(deliveryChannels).set(values).where(eq(deliveryChannels.id, existing.id)).returning().get()
      : tx.insert(deliveryChannels).values({ ...values, createdAt: now, createdBy: actor.label }).returning().get();
    recordAudit(tx, {
      actor,
      action: existing ? "delivery.channel.update" : "delivery.channel.create",
      entityType: "delivery_channel",
      entityId: row.id,
      before: existing ? { name: existing.name, config: existing.config, secretChanged: false } : undefined,
      after: { name: row.name, kind: row.kind, config: row.config, secretChanged: sealed !== undefined },
      at: now,
    });
    // A webhook's signing secret the app generated: handed back this once, never again.
    return f.kind === "webhook" && f.secret === "" && secret !== null ? { ...channelView(row), generatedSecret: secret } : channelView(row);
  });
}

type ChannelFormOutput = z.output<typeof channelFormSchema>;

function kindIssues(f: ChannelFormOutput, existing: DeliveryChannelRow | null): FieldIssue[] {
  if (f.kind === "webhook") {
    const parsed = webhookConfigSchema.safeParse({ url: f.url ?? "", events: f.events ?? [] });
    const issues = parsed.success ? [] : issuesFromZod(parsed.error).map((i) => ({ ...i, field: i.field.startsWith("events") ? "events" : i.field }));
    if (f.secret !== "" && f.secret.length < 16) issues.push({ field: "secret", message: "must be at least 16 characters (or leave it blank to have one generated)" });
    return issues;
  }
  if (f.kind === "slack" || f.kind === "teams") {
    if (f.secret.trim() === "" && existing?.secret) return [];
    const url = webhookUrlSchema.safeParse(f.secret ?? "");
    return url.success ? [] : issuesFromZod(url.error).map((i) => ({ ...i, field: "secret" }));
  }
  const parsed = emailConfigSchema.safeParse({ host: f.host ?? "", port: f.port ?? "", security: f.security ?? "", user: f.user, from: f.from ?? "", to: f.to ?? "" });
  if (!parsed.success) return issuesFromZod(parsed.error);
  if (parsed.data.user && (f.secret ?? "") === "" && !existing?.secret) return [{ field: "secret", message: "is required with a user name (the SMTP password)" }];
  return [];
}

/** What is stored for a form kindIssues found nothing wrong with: the shown config and the secret to seal (null: keep). */
function kindValues(f: ChannelFormOutput, existing: DeliveryChannelRow | null): { config: Record<string, unknown>; secret: string | null } {
  if (f.kind === "webhook") {
    const config = webhookConfigSchema.parse({ url: f.url, events: f.events });
    return { config, secret: f.secret !== "" ? f.secret : existing?.secret ? null : generateWebhookSecret() };
  }
  if (f.kind === "slack" || f.kind === "teams") {
    if (f.secret.trim() === "" && existing) return { config: existing.config, secret: null };
    const url = webhookUrlSchema.parse(f.secret);
    return { config: { host: new URL(url).host }, secret: url };
  }
  const config: EmailConfig = emailConfigSchema.parse({ host: f.host, port: f.port, security: f.security, user: f.user, from: f.from, to: f.to });
  return { config, secret: f.secret !== "" ? f.secret : null };
}

export function deleteChannel(db: Db, id: number, actor: AuditActor, now = Date.now()): boolean {
  return db.transaction((tx) => {
    const before = getChannel(tx, id);
    if (!before) return false;
    tx.delete(deliveryChannels).where(eq(deliveryChannels.id, id)).run();
    recordAudit(tx, { actor, action: "delivery.channel.delete", entityType: "delivery_channel", entityId: id, before: { name: before.name, kind: before.kind, config: before.config }, at: now });
    return true;
  });
}

export const channelIdSchema = z.coerce.number({ error: "is not a channel id" }).int("is not a channel id").positive("is not a channel id");
