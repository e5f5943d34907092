/**
 * When to try a vendor's API again, and after how long: pure, so the sync runner and its
 * tests share one rule. Times in milliseconds.
 */

/** Never wait longer than this for one answer, whatever a Retry-After asks. */
export const MAX_WAIT_MS = 5 * 60_000;

/**
 * The wait a `Retry-After` header asks for: delta-seconds (`120`) or an HTTP date, measured
 * from `now`. Null when absent or unreadable (the caller backs off instead); never negative,
 * at most MAX_WAIT_MS.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.min(MAX_WAIT_MS, Math.round(Number(v) * 1000));
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.min(MAX_WAIT_MS, Math.max(0, at - now));
}

/**
 * Exponential backoff with full jitter for the `attempt`-th retry (1-based): a random wait in
 * [base·2^(attempt-1)/2, base·2^(attempt-1)], capped at `maxMs`. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs = 60_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** What to do with an HTTP status: retry (rate limit, server trouble), or give up and say why. */
export function classifyStatus(status: number): "ok" | "rate_limited" | "retry" | "fatal" {
  if (status >= 200 && status < 300) return "ok";
  if (status === 429) return "rate_limited";
  if (status === 408 || status >= 500) return "retry";
  return "fatal";
}

/** A failed answer in plain words for an admin (the status and what it usually means). */
export function describeStatus(status: number, vendor: string): string {
  if (status === 401) return `${vendor} refused the credential (401): check the API key or token`;
  if (status === 403) return `${vendor} says the credential may not read this (403): check the key's permissions and the scope`;
  if (status === 404) return `${vendor} has nothing at this address (404): check the base URL and the scope`;
  if (status === 429) return `${vendor} kept rate-limiting the requests (429)`;
  if (status >= 500) return `${vendor} had a server error (${status}) and kept having it after retries`;
  return `${vendor} answered ${status}`;
}
