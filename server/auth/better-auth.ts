import { betterAuth, type BetterAuthPlugin } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { hasSignedInFrom, recordAudit, signInFailureStats } from "@/db/queries/audit";
import { getUserByEmail, hashPlainSessionTokens } from "@/db/queries/users";
import { account, rateLimit, session, user, verification } from "@/db/schema";
import { env } from "@/lib/env";
import { CLIENT_HEADER, clientAddress } from "@/lib/auth/client-address";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/password-policy";
import { requestHost } from "@/lib/auth/origin";
import { profileUpdateSchema } from "@/lib/auth/profile";
import { resolveAuthSecret } from "./secret";
import { hashSessionToken, isHashedSessionToken, withHashedSessionTokens } from "@/lib/auth/session-token-hash";
import { judgeSignIn, signInThrottleConfig } from "@/lib/auth/sign-in-throttle";
import { createOidcSupport, providerUnreachable } from "./oidc";
import { getLocalPasswords, type OidcProvider } from "./sign-in-config";

/** Sign-in attempts per client address per window; env AUTH_SIGN_IN_MAX / AUTH_SIGN_IN_WINDOW_SECONDS override. */
export function signInRateLimit(): { window: number; max: number } {
  return { window: env("AUTH_SIGN_IN_WINDOW_SECONDS"), max: env("AUTH_SIGN_IN_MAX") };
}

function extraTrustedOrigins(): string[] {
  return env("AUTH_TRUSTED_ORIGINS");
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

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

/** The better-auth endpoints that set a password, and the body field that carries it. */
const PASSWORD_FIELDS: Record<string, string> = { "/sign-up/email": "password", "/change-password": "newPassword", "/reset-password": "newPassword", "/set-password": "newPassword" };

/**
 * Endpoints that hand session tokens to the browser's script or take one back: with tokens
 * stored hashed, a listed session carries a digest that revokes nothing. The app does not use
 * them (/account signs out everywhere instead).
 */
const DISABLED_PATHS = ["/list-sessions", "/revoke-session", "/revoke-other-sessions", "/link-social", "/unlink-account", "/list-accounts", "/account-info", "/get-access-token", "/refresh-token"];

/** A browser that signed in to an account before carries its user id in this signed cookie. */
const DEVICE_COOKIE = "deploy-safety.device";
const DEVICE_COOKIE_MAX_IDS = 5;
const DEVICE_COOKIE_MAX_AGE = 180 * 24 * 60 * 60;

function normalizeEmail(v: unknown): string | null {
  return typeof v === "string" ? v.trim().toLowerCase().slice(0, 320) : null;
}

function deviceIds(value: string | false | null): string[] {
  return value ? value.split(",").filter(Boolean) : [];
}

/**
 * The better-auth instance over our database. The base URL is taken from each request
 * (the app runs on whatever host and port it is given) unless BETTER_AUTH_URL is set;
 * better-auth then trusts the request's own origin, plus AUTH_TRUSTED_ORIGINS.
 * Self sign-up is off: accounts come from /setup, the admin page and the CLI.
 */
export function createAuth(db: Db, opts: { databaseUrl?: string; plugins?: BetterAuthPlugin[]; providers?: OidcProvider[] } = {}) {
  const signIn = signInRateLimit();
  const oidc = createOidcSupport(db, opts.providers ?? []);
  // Sessions created before tokens were stored hashed keep working, and stop being readable.
  hashPlainSessionTokens(db, hashSessionToken, isHashedSessionToken);
  const auth = betterAuth({
    appName: "Deploy Safety",
    secret: resolveAuthSecret(opts.databaseUrl),
    database: withHashedSessionTokens(drizzleAdapter(db, { provider: "sqlite", schema: { user, session, account, verification, rateLimit } })),
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
      validateUserInfo: (data) => oidc.validateUserInfo(data as Parameters<typeof oidc.validateUserInfo>[0]),
    },
    account: {
      // An identity provider that says the email is verified may sign in to the local account
      // with that email (an admin created it); the groups then decide its role like anyone's.
      accountLinking: { enabled: true, requireLocalEmailVerified: false },
    },
    // Errors in a provider's redirect back (state, code) land on the sign-in page, which explains them.
    onAPIError: { errorURL: "/sign-in" },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    disabledPaths: DISABLED_PATHS,
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 300,
      // Starting a provider sign-in only sends the browser to the provider, which does the checking;
      // better-auth's default for /sign-in/* (3 in 10 s) would refuse a person who clicks twice.
      customRules: { "/sign-in/email": signIn, "/sign-in/social": { window: 60, max: 30 } },
    },
    trustedOrigins: trustedOriginsFor,
    telemetry: { enabled: false },
    advanced: {
      // better-auth skips its origin check under NODE_ENV=test; keep it on so tests see production behaviour.
      disableOriginCheck: false,
      // Set by our handler from the socket address and trusted proxies only (lib/auth/client-address.ts).
      ipAddress: { ipAddressHeaders: [CLIENT_HEADER] },
    },
    logger: { level: "error" },
    databaseHooks: {
      session: {
        create: {
          before: async (s) => {
            const row = db.select({ disabled: user.disabled }).from(user).where(eq(user.id, s.userId)).get();
            if (!row || row.disabled) throw new APIError("FORBIDDEN", { message: "This account is disabled.", code: "ACCOUNT_DISABLED" });
          },
        },
      },
      account: {
        // Provider tokens are not kept: the app reads the ID token's claims once, at sign-in.
        create: { before: async (a) => ({ data: a.providerId === "credential" ? a : { ...a, accessToken: null, refreshToken: null, idToken: null } }) },
        update: { before: async (a) => ({ data: { ...a, ...("accessToken" in a ? { accessToken: null } : {}), ...("refreshToken" in a ? { refreshToken: null } : {}), ...("idToken" in a ? { idToken: null } : {}) } }) },
      },
      user: {
        create: {
          before: async (u, ctx) => {
            // Just-in-time accounts from a provider start with the role their groups map to.
            const providerId = ctx?.path === "/callback/:id" ? (ctx.params as { id?: string } | undefined)?.id : undefined;
            const role = providerId ? oidc.roleForNewUser(providerId, u.email) : null;
            return role ? { data: { ...u, role } } : { data: u };
          },
          after: async (u, ctx) => {
            const providerId = ctx?.path === "/callback/:id" ? (ctx.params as { id?: string } | undefined)?.id : undefined;
            if (!providerId) return;
            const role = (u as { role?: string }).role ?? "viewer";
            recordAudit(db, { actor: { id: u.id, label: u.email }, action: "user.create", entityType: "user", entityId: u.id, after: { email: u.email, name: u.name, role }, detail: { source: "sso", provider: providerId } });
          },
        },
        update: {
          after: async (updated, ctx) => {
            // Profile changes through better-auth's /update-user: the session read before the
            // update holds the old values.
            if (ctx?.path !== "/update-user") return;
            const before = ctx.context.session?.user;
            if (!before) return;
            recordAudit(db, {
              actor: { id: before.id, label: before.email },
              action: "user.profile_update",
              entityType: "user",
              entityId: before.id,
              before: { name: before.name, image: before.image ?? null },
              after: { name: updated.name, image: updated.image ?? null },
              ip: clientAddress(ctx.headers ?? new Headers()),
            });
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const passwordField = PASSWORD_FIELDS[ctx.path];
        if (passwordField) {
          const pw = ctx.body?.[passwordField];
          if (typeof pw === "string" && isCommonPassword(pw)) throw new APIError("BAD_REQUEST", { message: `${COMMON_PASSWORD_MESSAGE}.`, code: "PASSWORD_TOO_COMMON" });
        }
        if (ctx.path === "/update-user") {
          const parsed = profileUpdateSchema.safeParse(ctx.body ?? {});
          if (!parsed.success) throw new APIError("BAD_REQUEST", { message: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; "), code: "INVALID_PROFILE" });
          return { context: { body: parsed.data } };
        }
        if (ctx.path === "/sign-in/social") {
          // Only the authorization code flow: an ID token posted here would skip state and PKCE.
          if (ctx.body?.idToken) throw new APIError("BAD_REQUEST", { message: "Sign-in with a posted ID token is off; use the provider's sign-in button.", code: "ID_TOKEN_SIGN_IN_OFF" });
          const id = typeof ctx.body?.provider === "string" ? ctx.body.provider : "";
          const p = oidc.provider(id);
          if (!p) throw new APIError("NOT_FOUND", { message: `There is no sign-in provider "${id.slice(0, 40)}".`, code: "PROVIDER_NOT_FOUND" });
          // Discovery failed when the instance was made; better-auth retries it next, but first
          // make sure the provider answers at all, so a person learns it is down, not "not found".
          if (!(await ctx.context.socialProviders).some((x) => x.id === id) && !(await oidc.discoveryAnswers(p))) throw providerUnreachable(p);
          return;
        }
        if (ctx.path !== "/sign-in/email") return;
        const email = normalizeEmail(ctx.body?.email);
        if (!email) return;
        const local = getLocalPasswords(db);
        if (!local.enabled && getUserByEmail(db, email)?.id !== local.breakGlassUserId) {
          recordAudit(db, { actor: { id: null, label: email }, action: "auth.sign_in_failed", detail: { reason: "PASSWORDS_OFF" }, ip: clientAddress(ctx.headers ?? new Headers()) });
          throw new APIError("FORBIDDEN", { message: "Password sign-in is turned off here: use your organisation's sign-in button.", code: "PASSWORDS_OFF" });
        }
        const cfg = signInThrottleConfig();
        const now = Date.now();
        const ip = clientAddress(ctx.headers ?? new Headers());
        const stats = signInFailureStats(db, email, ip, now - cfg.clientLookbackMs, now - cfg.lockoutWindowMs);
        const needsTrust = stats.accountClients >= cfg.lockoutClients;
        const verdict = judgeSignIn(stats, needsTrust ? await isTrustedClient(ctx, email, ip, now - cfg.knownClientMs) : false, now, cfg);
        if (!verdict.ok) {
          // The after hook does not run for a refusal here; audit it so the trail shows the throttle at work.
          recordAudit(db, { actor: { id: null, label: email }, action: "auth.sign_in_failed", detail: { reason: verdict.code }, ip });
          const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
          const message =
            verdict.code === "SIGN_IN_DELAYED"
              ? `Too many wrong passwords for this account from here. Try again in ${seconds} s.`
              : "Too many failed sign-ins for this account from many places. Sign in from a browser you have used before, or try again later.";
          throw new APIError("TOO_MANY_REQUESTS", { message, code: verdict.code }, { "Retry-After": String(seconds) });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path === "/callback/:id") {
          const providerId = (ctx.params as { id?: string } | undefined)?.id ?? "";
          const created = ctx.context.newSession;
          const returned = ctx.context.returned;
          let failure: string | null = null;
          if (!created && isAPIError(returned)) {
            const location = returned.headers ? new Headers(returned.headers).get("location") : null;
            failure = location && URL.canParse(location, "http://x") ? new URL(location, "http://x").searchParams.get("error") : returned.body?.code ?? String(returned.status);
          }
          oidc.afterCallback({ providerId, user: created ? { id: created.user.id, email: created.user.email } : null, failure, ip: ctx.headers ? clientAddress(ctx.headers) : null });
          return;
        }
        if (ctx.path !== "/sign-in/email") return;
        const email = normalizeEmail(ctx.body?.email) ?? "(none)";
        const ip = ctx.headers ? clientAddress(ctx.headers) : null;
        const returned = ctx.context.returned;
        const created = ctx.context.newSession;
        if (created && !isAPIError(returned)) {
          recordAudit(db, { actor: { id: created.user.id, label: created.user.email }, action: "auth.sign_in", entityType: "user", entityId: created.user.id, ip });
          const ids = deviceIds(await ctx.getSignedCookie(DEVICE_COOKIE, ctx.context.secret)).filter((id) => id !== created.user.id);
          const attrs = ctx.context.authCookies.sessionToken.attributes;
          await ctx.setSignedCookie(DEVICE_COOKIE, [created.user.id, ...ids].slice(0, DEVICE_COOKIE_MAX_IDS).join(","), ctx.context.secret, {
            httpOnly: true,
            sameSite: "lax",
            path: "/",
            secure: attrs.secure,
            maxAge: DEVICE_COOKIE_MAX_AGE,
          });
        } else {
          const reason = isAPIError(returned) ? returned.body?.code ?? returned.status : "unknown";
          recordAudit(db, { actor: { id: null, label: email }, action: "auth.sign_in_failed", detail: { reason }, ip });
        }
      }),
    },
    plugins: [...(opts.plugins ?? []), ...oidc.plugins],
  });

  /**
   * A client this account has signed in from before: the browser's device cookie names it, the
   * address has a successful sign-in for it, or the request carries one of its live sessions.
   */
  async function isTrustedClient(ctx: Parameters<Parameters<typeof createAuthMiddleware>[0]>[0], email: string, ip: string | null, since: number): Promise<boolean> {
    const target = getUserByEmail(db, email);
    if (!target) return false;
    if (deviceIds(await ctx.getSignedCookie(DEVICE_COOKIE, ctx.context.secret)).includes(target.id)) return true;
    if (ip && hasSignedInFrom(db, email, ip, since)) return true;
    try {
      return (await getSessionFromCtx(ctx))?.user.id === target.id;
    } catch {
      return false;
    }
  }

  const handle = auth.handler;
  /** Every HTTP request reaches better-auth with its trustworthy client address in CLIENT_HEADER. */
  auth.handler = (request: Request) => {
    const headers = new Headers(request.headers);
    const ip = clientAddress(headers);
    if (ip) headers.set(CLIENT_HEADER, ip);
    else headers.delete(CLIENT_HEADER);
    return handle(new Request(request, { headers }));
  };
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;
