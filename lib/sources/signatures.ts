import crypto from "node:crypto";

/**
 * Webhook signature checks, each as its sender documents it. Pure: raw body and headers in,
 * a verdict out. Comparisons are constant-time. `reason` is safe to show (it never holds a
 * secret or an expected signature).
 */
export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

export function hmac(secret: string | Buffer, data: string, encoding: "hex" | "base64"): string {
  return crypto.createHmac("sha256", secret).update(data, "utf8").digest(encoding);
}

/** Constant-time equality of two strings (different lengths are unequal without a timing hint about content). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  if (ab.length !== bb.length) {
    crypto.timingSafeEqual(ab, ab);
    return false;
  }
  return crypto.timingSafeEqual(ab, bb);
}

/**
 * PagerDuty v3 webhook subscriptions: `X-PagerDuty-Signature: v1=<hex HMAC-SHA256(secret, raw body)>`,
 * possibly several comma-separated (while a secret rotates); one match is enough.
 */
export function verifyPagerDuty(body: string, header: string | null, secret: string): Verdict {
  if (!header) return no("the X-PagerDuty-Signature header is missing");
  const expected = `v1=${hmac(secret, body, "hex")}`;
  const given = header.split(",").map((s) => s.trim()).filter((s) => s.startsWith("v1="));
  if (!given.length) return no("X-PagerDuty-Signature holds no v1= signature");
  return given.some((g) => safeEqual(g, expected)) ? OK : no("the signature does not match (wrong secret, or the body was altered)");
}

/**
 * Standard Webhooks / Svix, as incident.io sends them: `webhook-id`, `webhook-timestamp` (Unix
 * seconds) and `webhook-signature` (space-separated `v1,<base64>`), signed over
 * `<id>.<timestamp>.<raw body>` with the secret's bytes (`whsec_` + base64, decoded).
 * A timestamp more than `toleranceS` from now is refused (replay).
 */
export function verifyStandardWebhook(
  body: string,
  h: { id: string | null; timestamp: string | null; signature: string | null },
  secret: string,
  now: number,
  toleranceS = 300,
): Verdict {
  if (!h.id || !h.timestamp || !h.signature) return no("the webhook-id, webhook-timestamp or webhook-signature header is missing");
  if (!/^\d{1,12}$/.test(h.timestamp)) return no("webhook-timestamp is not Unix seconds");
  if (Math.abs(now / 1000 - Number(h.timestamp)) > toleranceS) return no(`webhook-timestamp is more than ${toleranceS} s from now (a stale or replayed delivery)`);
  const key = secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
  const expected = hmac(key, `${h.id}.${h.timestamp}.${body}`, "base64");
  const given = h.signature.split(" ").map((s) => s.trim()).filter((s) => s.startsWith("v1,")).map((s) => s.slice(3));
  if (!given.length) return no("webhook-signature holds no v1 signature");
  return given.some((g) => safeEqual(g, expected)) ? OK : no("the signature does not match (wrong secret, or the body was altered)");
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export function verifyGitHub(body: string, header: string | null, secret: string): Verdict {
  if (!header) return no("the X-Hub-Signature-256 header is missing");
  if (!header.startsWith("sha256=")) return no("X-Hub-Signature-256 is not sha256=<hex>");
  return safeEqual(header, `sha256=${hmac(secret, body, "hex")}`) ? OK : no("the signature does not match (wrong secret, or the body was altered)");
}

/**
 * The generic deploy webhook: `X-Deploy-Timestamp: <Unix seconds>` and
 * `X-Deploy-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`; the
 * timestamp must be within `toleranceS` of now.
 */
export function verifyGenericDeploy(body: string, h: { timestamp: string | null; signature: string | null }, secret: string, now: number, toleranceS = 300): Verdict {
  if (!h.timestamp || !h.signature) return no("the X-Deploy-Timestamp or X-Deploy-Signature header is missing");
  if (!/^\d{1,12}$/.test(h.timestamp)) return no("X-Deploy-Timestamp is not Unix seconds");
  if (Math.abs(now / 1000 - Number(h.timestamp)) > toleranceS) return no(`X-Deploy-Timestamp is more than ${toleranceS} s from now (a stale or replayed delivery)`);
  return safeEqual(h.signature, `sha256=${hmac(secret, `${h.timestamp}.${body}`, "hex")}`) ? OK : no("the signature does not match (wrong secret, or the body was altered)");
}

/**
 * Argo CD notifications sign nothing: the webhook service sends a header the admin sets
 * (`Authorization: Bearer <secret>`), compared in constant time.
 */
export function verifyBearer(header: string | null, secret: string): Verdict {
  if (!header) return no("the Authorization header is missing");
  return safeEqual(header, `Bearer ${secret}`) ? OK : no("the Authorization header does not match the source's secret");
}

/** Whether an event time (from the payload) is within `toleranceMs` of now; null when unreadable. */
export function withinWindow(eventTime: unknown, now: number, toleranceMs: number): boolean | null {
  if (typeof eventTime !== "string") return null;
  const t = Date.parse(eventTime);
  if (Number.isNaN(t)) return null;
  return Math.abs(now - t) <= toleranceMs;
}
