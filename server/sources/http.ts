import "server-only";
import { backoffDelay, classifyStatus, describeStatus, MAX_WAIT_MS, parseRetryAfter } from "@/lib/sources/retry";

/** A sync that cannot go on: the message is in plain words and holds no credential. */
export class SyncError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

export interface HttpOptions {
  /** Give up on one answer after this long (ms). */
  timeoutMs: number;
  /** Retries of 5xx, time-outs and unreachable hosts before the sync fails. */
  maxRetries: number;
  /** Retries of 429 before the sync fails. */
  maxRateLimited: number;
  /** First backoff step (ms); doubles per retry. */
  backoffMs: number;
  /** Bodies larger than this are refused (a page is bounded; a runaway answer is not read whole). */
  maxBodyBytes: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Called before each wait, e.g. to renew the sync lease for that long. */
  onWait?: (ms: number, why: string) => void;
}

export const DEFAULT_HTTP: HttpOptions = {
  timeoutMs: 30_000,
  maxRetries: 5,
  maxRateLimited: 10,
  backoffMs: 1000,
  maxBodyBytes: 20 * 1024 * 1024,
  fetch: (...a) => fetch(...a),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** The wait a rate-limited answer asks for: Retry-After, else PagerDuty's `ratelimit-reset` (seconds). */
function rateLimitWait(res: Response, now: number): number | null {
  const ra = parseRetryAfter(res.headers.get("retry-after"), now);
  if (ra !== null) return ra;
  const reset = res.headers.get("ratelimit-reset");
  return reset && /^\d+$/.test(reset.trim()) ? Math.min(MAX_WAIT_MS, Number(reset) * 1000) : null;
}

async function readBody(res: Response, max: number, vendor: string): Promise<string> {
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw new SyncError(`${vendor} sent a page of ${declared} bytes; at most ${max} are read (lower the page size)`);
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new SyncError(`${vendor} sent a page larger than ${max} bytes; lower the page size`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Why a request never got an answer, in plain words (the URL's host, never its query or headers). */
function unreachable(err: unknown, url: string, timeoutMs: number): string {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return "the server";
    }
  })();
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `${host} did not answer within ${Math.round(timeoutMs / 1000)} s`;
  const code = e?.cause?.code;
  if (code === "ECONNREFUSED") return `could not connect to ${host} (connection refused)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `could not find the host ${host} (check the base URL)`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `${host} closed the connection`;
  return `could not reach ${host}`;
}

/**
 * GETs `url` and returns the body of a 2xx answer as parsed JSON (and its text). Honours 429
 * with Retry-After, backs off on 5xx, time-outs and dropped connections; a malformed body is
 * retried too (a proxy's error page), then fails. Every failure is a SyncError in plain words.
 */
export async function getJson(url: string, headers: Record<string, string>, vendor: string, http: HttpOptions, now: () => number = Date.now): Promise<{ json: unknown; text: string }> {
  let retries = 0;
  let limited = 0;
  for (;;) {
    let res: Response | null = null;
    let problem: string;
    try {
      res = await http.fetch(url, { headers: { accept: "application/json", ...headers }, signal: AbortSignal.timeout(http.timeoutMs), redirect: "error" });
    } catch (err) {
      problem = unreachable(err, url, http.timeoutMs);
    }
    if (res) {
      const kind = classifyStatus(res.status);
      if (kind === "ok") {
        let text: string;
        try {
          text = await readBody(res, http.maxBodyBytes, vendor);
        } catch (err) {
          if (err instanceof SyncError) throw err;
          text = "\u0000";
        }
        try {
          return { json: JSON.parse(text) as unknown, text };
        } catch {
          problem = `${vendor} answered with a body that is not JSON`;
        }
      } else if (kind === "rate_limited") {
        await res.body?.cancel();
        if (++limited > http.maxRateLimited) throw new SyncError(describeStatus(429, vendor), true);
        const wait = rateLimitWait(res, now()) ?? backoffDelay(limited, http.backoffMs);
        http.onWait?.(wait, "rate limited");
        await http.sleep(wait);
        continue;
      } else if (kind === "retry") {
        await res.body?.cancel();
        problem = describeStatus(res.status, vendor);
      } else {
        await res.body?.cancel();
        throw new SyncError(describeStatus(res.status, vendor));
      }
    }
    if (++retries > http.maxRetries) throw new SyncError(`${problem!} (gave up after ${http.maxRetries} retries)`, true);
    const wait = backoffDelay(retries, http.backoffMs);
    http.onWait?.(wait, problem!);
    await http.sleep(wait);
  }
}
