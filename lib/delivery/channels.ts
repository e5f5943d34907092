/**
 * What an admin enters for a channel, per kind, as one zod schema: the form, the server
 * action and the tests read it. Secrets (a webhook URL, an SMTP password) are separate from
 * the shown configuration: they are sealed when saved and never shown again.
 */
import { z } from "zod";
import { EVENT_TYPES } from "./webhooks";

export const CHANNEL_KIND_LABELS = { slack: "Slack (incoming webhook)", teams: "Microsoft Teams (incoming webhook)", email: "Email (SMTP)", webhook: "Outgoing webhook (signed JSON events)" } as const;
export type ChannelKindName = keyof typeof CHANNEL_KIND_LABELS;

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

/** An incoming-webhook URL: https, or http on this machine only (a local relay or a test receiver). */
export const webhookUrlSchema = z
  .string()
  .trim()
  .min(1, "is required: paste the incoming webhook's URL")
  .refine((v) => URL.canParse(v), { message: "is not a URL (paste the whole incoming webhook URL, https://…)", abort: true })
  .refine((v) => {
    const u = new URL(v);
    return u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK.includes(u.hostname));
  }, "must use https (http only on 127.0.0.1 or localhost)");

const email = z.email({ error: "is not an email address" });

/** A sender as mail clients write it: `ds@example.com` or `Deploy Safety <ds@example.com>`. */
const sender = z
  .string()
  .trim()
  .refine((v) => {
    const m = /^(?:[^<>]*<([^<>]+)>|([^<>\s]+))$/.exec(v);
    return m !== null && email.safeParse(m[1] ?? m[2]).success;
  }, "is not an email address (ds@example.com or Deploy Safety <ds@example.com>)");

const recipients = z
  .string()
  .trim()
  .min(1, "is required: at least one address")
  .transform((v) => v.split(/[,;\s]+/).filter(Boolean))
  .pipe(z.array(email).min(1, "is required: at least one address").max(50, "at most 50 addresses"));

const wholePort = z
  .string()
  .trim()
  .regex(/^\d+$/, "must be a whole number from 1 to 65535")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, "must be a whole number from 1 to 65535");

export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;

const name = z.string().trim().min(1, "is required").max(60, "must be at most 60 characters");

/** The shown part of an email channel. */
export const emailConfigSchema = z.object({
  host: z.string().trim().min(1, "is required (the SMTP server's host name)").max(253, "is too long"),
  port: wholePort,
  security: z.enum(SMTP_SECURITY, { error: "choose STARTTLS, TLS or none" }),
  user: z.string().trim().max(200, "is too long").optional().transform((v) => v || null),
  from: sender,
  to: recipients,
});
export type EmailConfig = z.output<typeof emailConfigSchema>;

/**
 * A channel form as posted: `secret` is the webhook URL (Slack, Teams) or the SMTP password
 * (email); blank when editing keeps the stored one. The kind-specific fields are checked by
 * `emailConfigSchema` / `webhookUrlSchema` after this, so every field's problem is reported at once.
 */
export const channelFormSchema = z.object({
  kind: z.enum(["slack", "teams", "email", "webhook"], { error: "choose Slack, Teams, email or an outgoing webhook" }),
  name,
  secret: z.string().default(""),
  host: z.string().optional(),
  port: z.string().optional(),
  security: z.string().optional(),
  user: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** Outgoing webhook: where events are POSTed, and which. */
  url: z.string().optional(),
  events: z.array(z.string()).optional(),
});
export type ChannelForm = z.input<typeof channelFormSchema>;

/** The shown part of an outgoing webhook: its URL and the events it wants. */
export const webhookConfigSchema = z.object({
  url: webhookUrlSchema,
  events: z.array(z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(", ")}` })).min(1, "choose at least one event"),
});
