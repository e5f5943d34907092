import "server-only";
import nodemailer from "nodemailer";
import type { DeliveryChannelRow } from "@/db/schema";
import type { EmailConfig } from "@/lib/delivery/channels";
import { toEmail, toSlackPayload, toTeamsPayload, type DeliveryMessage } from "@/lib/delivery/message";
import { SIGNATURE_HEADER, signatureHeader, type EventEnvelope } from "@/lib/delivery/webhooks";
import { openChannelSecret } from "./secrets";

/** What one attempt came to. `retry`: worth trying again (429, 5xx, time-out, connection); else final. */
export interface SendResult {
  ok: boolean;
  code: number | null;
  detail: string;
  retry: boolean;
  /** The receiver asked to wait this long (Retry-After), in ms. */
  retryAfterMs?: number | null;
}

export interface TransportOptions {
  /** Per attempt, ms (default 10 s). */
  timeoutMs?: number;
  databaseUrl?: string;
  /** The report PDF for an email that attaches one; rendered by the caller at send time. */
  reportPdf?: (quarter: string, version: number | null) => Promise<{ filename: string; content: Buffer }>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

const seconds = (ms: number) => `${ms < 1000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;

function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** POSTs JSON (an object, or the exact text when it is signed) and says what the answer means, in words an admin can act on. */
export async function postJson(service: string, url: string, body: unknown, opts: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "deploy-safety-delivery", ...opts.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: "error",
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") return { ok: false, code: null, detail: `${service} did not answer within ${seconds(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)}`, retry: true };
    return { ok: false, code: null, detail: `${service} could not be reached (${e.cause?.code ?? e.message})`, retry: true };
  }
  const text = (await res.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ").trim();
  if (res.ok) return { ok: true, code: res.status, detail: `${service} accepted it (${res.status}${text ? ` ${text}` : ""})`, retry: false };
  if (res.status === 429) return { ok: false, code: 429, detail: `${service} is rate-limiting (429)${text ? `: ${text}` : ""}`, retry: true, retryAfterMs: retryAfterMs(res.headers.get("retry-after")) };
  if (res.status >= 500) return { ok: false, code: res.status, detail: `${service} failed (${res.status})${text ? `: ${text}` : ""}`, retry: true };
  const hint =
    res.status === 404 || res.status === 410 || res.status === 403
      ? ": the webhook URL is wrong, revoked or its channel was removed; paste a new one under Settings → Delivery"
      : ": the message was refused; it will not be retried";
  return { ok: false, code: res.status, detail: `${service} refused it (${res.status}${text ? ` ${text}` : ""})${hint}`, retry: false };
}

async function sendEmail(channel: DeliveryChannelRow, m: DeliveryMessage, messageId: string, opts: TransportOptions): Promise<SendResult> {
  const c = channel.config as unknown as EmailConfig;
  const password = channel.secret ? openChannelSecret(channel.secret, channel.name, opts.databaseUrl) : null;
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.security === "tls",
    requireTLS: c.security === "starttls",
    ignoreTLS: c.security === "none",
    auth: c.user ? { user: c.user, pass: password ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    const mail = toEmail(m);
    const attachments = m.attachReport && opts.reportPdf ? [{ ...(await opts.reportPdf(m.attachReport.quarter, m.attachReport.version)), contentType: "application/pdf" }] : [];
    const info = await transport.sendMail({ from: c.from, to: c.to, subject: mail.subject, text: mail.text, html: mail.html, messageId, attachments });
    return { ok: true, code: 250, detail: `the SMTP server accepted it for ${info.accepted.length} recipient${info.accepted.length === 1 ? "" : "s"} (${String(info.response).slice(0, 120)})`, retry: false };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string; response?: string };
    const code = e.responseCode ?? null;
    if (e.code === "EAUTH") return { ok: false, code, detail: `the SMTP server refused the user name or password (${e.response ?? e.message}); fix them under Settings → Delivery`, retry: false };
    if (code !== null && code >= 500) return { ok: false, code, detail: `the SMTP server refused the message (${String(e.response ?? e.message).slice(0, 200)})`, retry: false };
    return { ok: false, code, detail: `the SMTP server could not take it now (${e.code ?? ""} ${String(e.response ?? e.message).slice(0, 200)})`.replace(/\(\s+/, "("), retry: true };
  } finally {
    transport.close();
  }
}

/** Signs and POSTs an event envelope to an outgoing webhook, signed at send time (see lib/delivery/webhooks.ts). */
async function sendEvent(channel: DeliveryChannelRow, envelope: EventEnvelope, opts: TransportOptions & { now?: () => number }): Promise<SendResult> {
  if (!channel.secret) return { ok: false, code: null, detail: `webhook "${channel.name}" has no signing secret; save it again under Settings → Delivery`, retry: false };
  const secret = openChannelSecret(channel.secret, channel.name, opts.databaseUrl);
  const body = JSON.stringify(envelope);
  const t = Math.floor((opts.now ?? Date.now)() / 1000);
  return postJson("The webhook", String(channel.config.url), body, {
    timeoutMs: opts.timeoutMs,
    headers: { [SIGNATURE_HEADER]: signatureHeader(secret, body, t), "Deploy-Safety-Event": envelope.type, "Deploy-Safety-Event-Id": envelope.id },
  });
}

/** Sends one message (or, to an outgoing webhook, one event) through one channel, once. Never throws: every failure is a SendResult. */
export async function sendThrough(channel: DeliveryChannelRow, m: DeliveryMessage, messageId: string, opts: TransportOptions & { now?: () => number } = {}): Promise<SendResult> {
  try {
    if (channel.kind === "webhook") return await sendEvent(channel, m as unknown as EventEnvelope, opts);
    if (channel.kind === "email") return await sendEmail(channel, m, messageId, opts);
    if (!channel.secret) return { ok: false, code: null, detail: `channel "${channel.name}" has no webhook URL; enter one under Settings → Delivery`, retry: false };
    const url = openChannelSecret(channel.secret, channel.name, opts.databaseUrl);
    if (channel.kind === "slack") return await postJson("Slack", url, toSlackPayload(m), { timeoutMs: opts.timeoutMs });
    return await postJson("Teams", url, toTeamsPayload(m), { timeoutMs: opts.timeoutMs });
  } catch (err) {
    return { ok: false, code: null, detail: err instanceof Error ? err.message : "the message could not be sent", retry: false };
  }
}
