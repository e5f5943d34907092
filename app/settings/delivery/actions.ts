"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getSchedule, publicationsSince } from "@/db/queries/delivery";
import type { FormActionState } from "@/lib/actions/result";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import { defineAction, defineFormAction, ok, readForm } from "@/server/actions";
import { saveAlertsConfig } from "@/server/delivery/alerts";
import { saveAppUrl } from "@/server/delivery/app-url";
import { deleteChannel, saveChannel } from "@/server/delivery/channels";
import { buildDigest, buildReportMessage } from "@/server/delivery/digest";
import { queueMessage, queueTest, retryMessage } from "@/server/delivery/queue";
import { kickDelivery } from "@/server/delivery/runner";
import { deleteSchedule, saveSchedule } from "@/server/delivery/schedules";

const PAGE = "/settings/delivery";
const id = z.string().trim().regex(/^\d+$/, "is not an id").transform(Number);
const CHANNEL_FIELDS = ["id", "kind", "name", "secret", "host", "port", "security", "user", "from", "to", "url"];
const SCHEDULE_FIELDS = ["name", "kind", "weekday", "hour", "timezone"];
const ALERT_FIELDS = ["forecastOverTarget", "incidentHours", "untriagedDays"];

/** The public URL links start with (admin); blank clears it. */
export const saveAppUrlAction = defineFormAction({
  role: "admin",
  fields: ["appUrl"],
  keep: ["appUrl"],
  schema: z.object({ appUrl: z.string().max(2000, "must be at most 2000 characters") }),
  handler: (input, { actor, values }) => {
    const url = saveAppUrl(getDb(), input.appUrl, actor);
    revalidatePath(PAGE);
    return ok(undefined, url ? `Links now start with ${url}.` : "The public URL was cleared: messages go out without links.", values);
  },
});

/** Adds or edits a channel (admin). The secret is sealed and never echoed back; a generated webhook secret is shown this once. */
export const saveChannelAction = defineAction({
  role: "admin",
  schema: z.object({ id: z.union([z.literal(""), id]) }).loose(),
  input: (_prev: FormActionState, form: FormData) => ({ ...readForm(form, CHANNEL_FIELDS), events: form.getAll("events").map(String) }),
  values: (_prev: FormActionState, form: FormData) => Object.fromEntries(CHANNEL_FIELDS.filter((f) => f !== "secret").map((k) => [k, String(form.get(k) ?? "")])),
  invalid: "The channel was not saved: fix the fields marked below.",
  handler: (input, { actor }) => {
    const { id: channelId, ...fields } = input as { id: number | "" } & Record<string, unknown>;
    const view = saveChannel(getDb(), fields, actor, { id: channelId === "" ? undefined : channelId });
    revalidatePath(PAGE);
    return ok(
      undefined,
      view.generatedSecret
        ? `Webhook "${view.name}" saved. Its signing secret, shown only now: ${view.generatedSecret}`
        : `Channel "${view.name}" saved.`,
    );
  },
});

export const deleteChannelAction = defineFormAction({
  role: "admin",
  fields: ["id"],
  schema: z.object({ id }),
  handler: (input, { actor }) => {
    if (!deleteChannel(getDb(), input.id, actor)) throw new NotFoundError(`No channel ${input.id}`);
    revalidatePath(PAGE);
    return ok(undefined, "Channel deleted, with its queued messages.");
  },
});

/** Queues a test message through one channel; the page's log shows the answer. */
export const sendTestAction = defineFormAction({
  role: "admin",
  fields: ["id"],
  schema: z.object({ id }),
  handler: (input, { actor }) => {
    queueTest(getDb(), input.id, actor);
    kickDelivery();
    revalidatePath(PAGE);
    return ok(undefined, "Test message queued: its answer appears in the delivery log below.");
  },
});

/** Adds a schedule (lead): a weekly digest or the quarterly report when published. */
export const saveScheduleAction = defineAction({
  role: "lead",
  schema: z.object({ name: z.string(), kind: z.string(), weekday: z.string(), hour: z.string(), timezone: z.string(), channelIds: z.array(z.string()) }),
  input: (_prev: FormActionState, form: FormData) => ({ ...readForm(form, SCHEDULE_FIELDS), channelIds: form.getAll("channelIds").map(String) }),
  values: (_prev: FormActionState, form: FormData) => Object.fromEntries(SCHEDULE_FIELDS.map((k) => [k, String(form.get(k) ?? "")])),
  handler: (input, { actor }) => {
    const row = saveSchedule(getDb(), input, actor);
    revalidatePath(PAGE);
    return ok(undefined, row.nextRunAt ? `Schedule "${row.name}" saved; next digest ${new Date(row.nextRunAt).toISOString().replace(/:00\.000Z$/, " UTC").replace("T", " ")}.` : `Schedule "${row.name}" saved; reports go out when published.`);
  },
});

export const deleteScheduleAction = defineFormAction({
  role: "lead",
  fields: ["id"],
  schema: z.object({ id }),
  handler: (input, { actor }) => {
    if (!deleteSchedule(getDb(), input.id, actor)) throw new NotFoundError(`No schedule ${input.id}`);
    revalidatePath(PAGE);
    return ok(undefined, "Schedule deleted.");
  },
});

/** Queues a schedule's message now (lead): a digest, or the latest published report. */
export const sendScheduleNowAction = defineFormAction({
  role: "lead",
  fields: ["id"],
  schema: z.object({ id }),
  handler: (input, { actor }) => {
    const db = getDb();
    const s = getSchedule(db, input.id);
    if (!s) throw new NotFoundError(`No schedule ${input.id}`);
    const now = Date.now();
    const latest = s.kind === "report" ? publicationsSince(db, 0).at(-1) : null;
    if (s.kind === "report" && !latest) throw new ValidationError("No report has been published yet: publish one under Reports.");
    const message = latest ? buildReportMessage(db, latest.quarter, latest.version) : buildDigest(db, { asOf: now, since: s.lastRunAt ?? now - 7 * 86_400_000 });
    const added = queueMessage(db, { channelIds: s.channelIds, kind: message.kind, message, dedupeKey: `${s.kind}:${s.id}:now:${now}:${actor.id}`, scheduleId: s.id, now });
    kickDelivery();
    revalidatePath(PAGE);
    return ok(undefined, `${latest ? `The ${latest.quarter} report` : "A digest"} was queued for ${added} channel${added === 1 ? "" : "s"}.`);
  },
});

/** Puts a failed message back in the queue, or sends a webhook event again (lead). */
export const retryDeliveryAction = defineFormAction({
  role: "lead",
  fields: ["id"],
  schema: z.object({ id }),
  handler: (input, { actor }) => {
    const outcome = retryMessage(getDb(), input.id, actor);
    kickDelivery();
    revalidatePath(PAGE);
    return ok(undefined, outcome === "redelivered" ? "Redelivery queued (same event id)." : "Queued again.");
  },
});

/** The alert rules (lead): forecast over target, one incident over N hours, untriaged over N days. */
export const saveAlertsAction = defineAction({
  role: "lead",
  schema: z.object({ channelIds: z.array(z.string()), forecastOverTarget: z.string(), incidentHours: z.string(), untriagedDays: z.string() }),
  input: (_prev: FormActionState, form: FormData) => ({ ...readForm(form, ALERT_FIELDS), channelIds: form.getAll("channelIds").map(String) }),
  values: (_prev: FormActionState, form: FormData) => Object.fromEntries(ALERT_FIELDS.map((k) => [k, String(form.get(k) ?? "")])),
  handler: (input, { actor }) => {
    const cfg = saveAlertsConfig(getDb(), input, actor);
    revalidatePath(PAGE);
    const on = [cfg.forecastOverTarget ? "forecast over target" : null, cfg.incidentHours !== null ? `incidents over ${cfg.incidentHours} h` : null, cfg.untriagedDays !== null ? `untriaged over ${cfg.untriagedDays} days` : null].filter(Boolean);
    return ok(undefined, on.length ? `Alerts saved: ${on.join(", ")}.` : "Alerts are off.");
  },
});
