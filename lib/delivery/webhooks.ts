/**
 * Outgoing webhooks: the events, their versioned envelope, and the signature scheme.
 * Pure (node:crypto only), so a consumer's verification can be copied from here.
 *
 * Signature: header `Deploy-Safety-Signature: t=<unix seconds>,v1=<hex>` where
 * hex = HMAC-SHA256(secret, `${t}.${raw body}`). Each attempt is signed afresh, so `t` is
 * when it was sent; a consumer refuses a `t` more than 5 minutes off its clock (replays) and
 * dedupes on the envelope's `id` (a retry or "redeliver" carries the same id).
 */
import crypto from "node:crypto";

export const EVENT_TYPES = ["incident.counted", "incident.uncounted", "quarter.closed", "report.published", "policy.changed", "target.changed"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Bumped only when a field is removed or changes meaning; added fields keep the version. */
export const EVENT_VERSION = 1;
export const SIGNATURE_HEADER = "Deploy-Safety-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface EventEnvelope<T = Record<string, unknown>> {
  /** Stable across retries and redeliveries: dedupe on it. */
  id: string;
  /** `ping`: the "send test" button's event, to check the endpoint and the signature. */
  type: EventType | "ping";
  version: typeof EVENT_VERSION;
  /** ISO-8601, when the change was seen. */
  createdAt: string;
  data: T;
}

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = crypto.createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** True when `header` signs `body` with `secret` within `toleranceSeconds` of `nowSeconds`. Constant-time compare. */
export function verifySignature(secret: string, header: string | null | undefined, body: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(crypto.createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"), "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** A new signing secret: shown once when the webhook is created, then only sealed. */
export function generateWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString("base64url")}`;
}
