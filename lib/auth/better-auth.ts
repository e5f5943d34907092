import { betterAuth, type BetterAuthPlugin } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { countRecentSignInFailures, recordAudit } from "@/db/queries/audit";
import { account, rateLimit, session, user, verification } from "@/db/schema";
import { resolveAuthSecret } from "./secret";
import { clientIp, requestHost } from "./origin";

/** Sign-in attempts per client address per window; env AUTH_SIGN_IN_MAX / AUTH_SIGN_IN_WINDOW_SECONDS override. */
export function signInRateLimit(): { window: number; max: number } {
  const max = Number(process.env.AUTH_SIGN_IN_MAX ?? 10);
  const window = Number(process.env.AUTH_SIGN_IN_WINDOW_SECONDS ?? 60);
  return { window: Number.isFinite(window) && window > 0 ? window : 60, max: Number.isFinite(max) && max > 0 ? max : 10 };
}

/**
 * Failed sign-ins allowed per account per window, whatever address they come from: the
 * per-address limit trusts X-Forwarded-For, which a client can set when no proxy rewrites it.
 */
export function accountLockout(): { max: number; windowMs: number } {
  const max = Number(process.env.AUTH_ACCOUNT_LOCKOUT_MAX ?? 10);
  const minutes = Number(process.env.AUTH_ACCOUNT_LOCKOUT_MINUTES ?? 15);
  return { max: Number.isFinite(max) && max > 0 ? max : 10, windowMs: (Number.isFinite(minutes) && minutes > 0 ? minutes : 15) * 60_000 };
}

function extraTrustedOrigins(): string[] {
  return (process.env.AUTH_TRUSTED_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The origin the browser addressed (its Host header) plus AUTH_TRUSTED_ORIGINS. Next may hand
 * route handlers a request URL with a different host (localhost for 127.0.0.1), so the Host
 * header, which a cross-site page cannot set, is what "same origin" is measured against.
 */
function trustedOriginsFor(request?: Request): string[] {
  const extra = extraTrustedOrigins();
  const host = request ? requestHost(request.headers) : null;
  // Only plain host[:port] values: better-auth reads "*" in a trusted origin as a wildcard.
  if (!host || !/^[a-z0-9.\-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(host)) return extra;
  return [...extra, `http://${host}`, `https://${host}`];
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

/**
 * The better-auth instance over our database. The base URL is taken from each request
 * (the app runs on whatever host and port it is given) unless BETTER_AUTH_URL is set;
 * better-auth then trusts the request's own origin, plus AUTH_TRUSTED_ORIGINS.
 * Self sign-up is off: accounts come from /setup, the admin page and the CLI.
 */
export function createAuth(db: Db, opts: { databaseUrl?: string; plugins?: BetterAuthPlugin[] } = {}) {
  const signIn = signInRateLimit();
  return betterAuth({
    appName: "Deploy Safety",
    secret: resolveAuthSecret(opts.databaseUrl),
    database: drizzleAdapter(db, { provider: "sqlite", schema: { user, session, account, verification, rateLimit } }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
    },
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        disabled: { type: "boolean", required: false, defaultValue: false, input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": signIn },
    },
    trustedOrigins: trustedOriginsFor,
    telemetry: { enabled: false },
    // better-auth skips its origin check under NODE_ENV=test; keep it on so tests see production behaviour.
    advanced: { disableOriginCheck: false },
    logger: { level: "error" },
    databaseHooks: {
      session: {
        create: {
          before: async (s) => {
            const row = db.select({ disabled: user.disabled }).from(user).where(eq(user.id, s.userId)).get();
            if (!row || row.disabled) throw new APIError("FORBIDDEN", { message: "This account is disabled." });
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" || typeof ctx.body?.email !== "string") return;
        const email = ctx.body.email.trim().toLowerCase().slice(0, 320);
        const lockout = accountLockout();
        if (countRecentSignInFailures(db, email, Date.now() - lockout.windowMs) >= lockout.max) {
          throw new APIError("TOO_MANY_REQUESTS", { message: "Too many failed sign-ins for this account. Try again later.", code: "ACCOUNT_LOCKED" });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email.trim().toLowerCase().slice(0, 320) : "(none)";
        const ip = ctx.headers ? clientIp(ctx.headers) : null;
        const returned = ctx.context.returned;
        const created = ctx.context.newSession;
        if (created && !isAPIError(returned)) {
          recordAudit(db, { actor: { id: created.user.id, label: created.user.email }, action: "auth.sign_in", entityType: "user", entityId: created.user.id, ip });
        } else {
          const reason = isAPIError(returned) ? returned.body?.code ?? returned.status : "unknown";
          recordAudit(db, { actor: { id: null, label: email }, action: "auth.sign_in_failed", detail: { reason }, ip });
        }
      }),
    },
    plugins: opts.plugins ?? [],
  });
}

export type Auth = ReturnType<typeof createAuth>;
