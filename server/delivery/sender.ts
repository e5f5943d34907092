import "server-only";
import crypto from "node:crypto";
import os from "node:os";
import type { Db } from "@/db/client";
import { claimOutbox, dueOutboxIds, finishAttempt, getChannel } from "@/db/queries/delivery";
import type { DeliveryMessage } from "@/lib/delivery/message";
import { sendThrough, type TransportOptions } from "./transports";

/** Attempts before a message is given up on (the first one included). */
export const MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 60 * 60_000;

/**
 * Exponential back-off: 30 s after the first failure, doubling, at most an hour; a receiver's
 * Retry-After is honoured when longer (capped at an hour too). Deterministic, so a test can
 * advance the clock to the exact retry.
 */
export function backoffMs(attemptsSoFar: number, retryAfterMs?: number | null): number {
  const exp = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attemptsSoFar - 1));
  return Math.min(MAX_BACKOFF_MS, Math.max(exp, retryAfterMs ?? 0));
}

/** This process's name as a lease owner. */
export const PROCESS_OWNER = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;

export interface SenderOptions extends TransportOptions {
  now?: () => number;
  owner?: string;
  /** Rows per pass (default 20). */
  limit?: number;
}

export interface SenderPass {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * One pass of the sender: claims each due outbox row (a conditional UPDATE, so another
 * process's sender never gets the same row), sends it once, and records the answer with the
 * row's new state in one transaction. A process that dies mid-send leaves its claim to
 * expire; the row is then sent again (at least once: receivers get a stable message id).
 */
export async function runSenderPass(db: Db, opts: SenderOptions = {}): Promise<SenderPass> {
  const now = opts.now ?? Date.now;
  const owner = opts.owner ?? PROCESS_OWNER;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pass: SenderPass = { sent: 0, retrying: 0, failed: 0 };
  for (const id of dueOutboxIds(db, now(), opts.limit ?? 20)) {
    const started = now();
    const row = claimOutbox(db, id, owner, started, started + timeoutMs * 3 + 60_000);
    if (!row) continue;
    const channel = getChannel(db, row.channelId);
    if (!channel) continue;
    const t0 = performance.now();
    const result = !channel.enabled
      ? { ok: false, code: null, detail: `channel "${channel.name}" is turned off`, retry: false }
      : await sendThrough(channel, row.payload as unknown as DeliveryMessage, `<outbox-${row.id}.${row.dedupeKey.replace(/[^A-Za-z0-9.-]/g, "-")}@deploy-safety>`, {
          ...opts,
          now,
          timeoutMs,
          // Loaded only when an email attaches a report: the PDF renderer is heavy.
          reportPdf: opts.reportPdf ?? (async (quarter, version) => (await import("./report-attachment")).renderReportAttachment(db, quarter, version)),
        });
    const attempts = row.attempts + 1;
    const giveUp = result.ok || !result.retry || attempts >= MAX_ATTEMPTS;
    const at = now();
    const detail = !result.ok && result.retry && attempts >= MAX_ATTEMPTS ? `${result.detail}; gave up after ${attempts} attempts` : result.detail;
    finishAttempt(db, row, owner, { ok: result.ok, code: result.code, detail, durationMs: Math.round(performance.now() - t0), retryAt: giveUp ? null : at + backoffMs(attempts, result.retryAfterMs) }, at);
    if (result.ok) pass.sent++;
    else if (giveUp) pass.failed++;
    else pass.retrying++;
  }
  return pass;
}
