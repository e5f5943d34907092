import { env } from "@/lib/env";

/** What the audit log says about recent wrong passwords for an account (db/queries/audit gathers it). */
export interface SignInFailureStats {
  /** Wrong passwords for the account from this client since its last success here (or the last admin reset). */
  clientFailures: number;
  /** Epoch ms of the latest of those, or null. */
  lastClientFailureAt: number | null;
  /** Distinct client addresses with a wrong password for the account since `accountSince` (and the last reset). */
  accountClients: number;
}

/**
 * The sign-in throttle's settings (see docs/auth.md, "Sign-in throttling"):
 * - `freeFailures` wrong passwords per account and client before each further try from that
 *   client has to wait, 1 s after the first, doubling, up to `maxDelayMs`; a success from that
 *   client (or an admin setting the password) starts it over;
 * - `lockoutClients` distinct addresses failing for one account within `lockoutWindowMs`
 *   (a distributed guess) refuse that account to clients it has never signed in from; clients
 *   it has (the device cookie, a known address, a live session) still get in with the right password.
 */
export function signInThrottleConfig() {
  return {
    freeFailures: Math.floor(env("AUTH_SIGN_IN_FREE_FAILURES")),
    maxDelayMs: env("AUTH_SIGN_IN_MAX_DELAY_SECONDS") * 1000,
    clientLookbackMs: 24 * 60 * 60_000,
    lockoutClients: Math.floor(env("AUTH_ACCOUNT_LOCKOUT_MAX")),
    lockoutWindowMs: env("AUTH_ACCOUNT_LOCKOUT_MINUTES") * 60_000,
    knownClientMs: 90 * 24 * 60 * 60_000,
  };
}

export type SignInThrottleConfig = ReturnType<typeof signInThrottleConfig>;

/** How long a client must wait after `failures` wrong passwords in a row (0 while under the free allowance). */
export function delayAfter(failures: number, cfg: Pick<SignInThrottleConfig, "freeFailures" | "maxDelayMs">): number {
  if (failures < cfg.freeFailures) return 0;
  return Math.min(cfg.maxDelayMs, 1000 * 2 ** Math.min(failures - cfg.freeFailures, 30));
}

export type ThrottleVerdict = { ok: true } | { ok: false; code: "SIGN_IN_DELAYED" | "ACCOUNT_LOCKED"; retryAfterMs: number };

/**
 * Whether a sign-in attempt may have its password checked now. `trustedClient`: the client has
 * signed in to this account before (device cookie, known address or live session).
 */
export function judgeSignIn(stats: SignInFailureStats, trustedClient: boolean, now: number, cfg: SignInThrottleConfig): ThrottleVerdict {
  if (stats.lastClientFailureAt !== null) {
    const wait = stats.lastClientFailureAt + delayAfter(stats.clientFailures, cfg) - now;
    if (wait > 0) return { ok: false, code: "SIGN_IN_DELAYED", retryAfterMs: wait };
  }
  if (!trustedClient && stats.accountClients >= cfg.lockoutClients) return { ok: false, code: "ACCOUNT_LOCKED", retryAfterMs: cfg.lockoutWindowMs };
  return { ok: true };
}
