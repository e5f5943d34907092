import type { BetterAuthPlugin } from "better-auth";
import { APIError } from "better-auth/api";
import { genericOAuth, type GenericOAuthConfig } from "better-auth/plugins/generic-oauth";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { applyMappedRole } from "@/db/queries/sign-in-config";
import { deleteUserSessions } from "@/db/queries/users";
import { decideAccess, sameIssuer, type AccessDecision, type DecidingClaims } from "@/lib/auth/oidc-access";
import type { OidcProvider } from "./sign-in-config";

/** Where the provider sends the browser back: `<origin>/api/auth/callback/<id>`. */
export const CALLBACK_PATH_PREFIX = "/api/auth/callback/";

/** How long a sign-in's decision waits between the claims check and the session it leads to. */
const PENDING_MS = 2 * 60 * 1000;

type Pending = { decision: Extract<AccessDecision, { ok: true }>; provider: string; at: number };

/** Refusal codes the sign-in page explains; also what the audit trail records as the reason. */
export const SSO_REFUSALS = ["ISSUER_MISMATCH", "AUDIENCE_MISMATCH", "EMAIL_MISSING", "EMAIL_UNVERIFIED", "DOMAIN_NOT_ALLOWED", "NO_ACCESS", "PROVIDER_DISABLED"] as const;

/**
 * The OpenID Connect side of the auth instance: one better-auth generic OAuth provider per
 * enabled provider (discovery from `<issuer>/.well-known/openid-configuration`, the
 * authorization code flow with PKCE and a nonce, ID tokens verified against the provider's
 * JWKS, issuer and client id), and the checks that decide who gets in and as what.
 *
 * better-auth calls `validateUserInfo` with the verified ID token's claims before it creates,
 * links or signs in an account; the decision waits in `pending` until the callback's after
 * hook applies the role and writes the audit rows, once the session exists.
 */
export function createOidcSupport(db: Db, providers: OidcProvider[]) {
  const enabled = providers.filter((p) => p.enabled);
  const byId = new Map(enabled.map((p) => [p.id, p]));
  const pending = new Map<string, Pending>();
  const refusals = new Map<string, { code: string; claims: DecidingClaims | null; provider: string; at: number }>();
  const key = (provider: string, email: string) => `${provider}\0${email.trim().toLowerCase()}`;

  function sweep(now: number) {
    for (const [k, v] of pending) if (now - v.at > PENDING_MS) pending.delete(k);
    for (const [k, v] of refusals) if (now - v.at > PENDING_MS) refusals.delete(k);
  }

  const config: GenericOAuthConfig[] = enabled.map((p) => ({
    providerId: p.id,
    name: p.name,
    discoveryUrl: `${p.issuer}/.well-known/openid-configuration`,
    clientId: p.clientId,
    clientSecret: p.clientSecret ?? undefined,
    scopes: p.scopes,
    pkce: true,
    // No verified ID token (no jwks_uri or issuer in discovery), no sign-in.
    requireIdTokenVerification: true,
  }));

  const plugins: BetterAuthPlugin[] = enabled.length ? [genericOAuth({ config })] : [];

  /**
   * better-auth's `user.validateUserInfo`: for provider sign-ins only. Returns a refusal with a
   * code the sign-in page explains; a person who lost all access has their sessions ended.
   */
  async function validateUserInfo(data: { user: Record<string, unknown>; source: { method: string; action: string; oauth?: { providerId: string; profile?: Record<string, unknown> } } }) {
    if (data.source.method !== "oauth") return;
    const now = Date.now();
    sweep(now);
    const providerId = data.source.oauth?.providerId ?? "";
    const p = byId.get(providerId);
    const claims = data.source.oauth?.profile ?? {};
    const email = typeof data.user.email === "string" ? data.user.email : typeof claims.email === "string" ? claims.email : "";
    const refuse = (code: (typeof SSO_REFUSALS)[number], message: string, deciding: DecidingClaims | null) => {
      refusals.set(key(providerId, email), { code, claims: deciding, provider: providerId, at: now });
      return { error: code, errorDescription: message };
    };
    if (!p) return refuse("PROVIDER_DISABLED", "This sign-in provider is not enabled.", null);
    // Claims come from the ID token better-auth verified against the issuer discovery named;
    // that issuer must be the one configured, and the token must be for this app.
    if (typeof claims.iss !== "string" || !sameIssuer(claims.iss, p.issuer)) {
      return refuse("ISSUER_MISMATCH", `The identity provider answered as ${typeof claims.iss === "string" ? claims.iss : "(no issuer)"}, not ${p.issuer}.`, null);
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(p.clientId)) return refuse("AUDIENCE_MISMATCH", "The ID token was not issued to this app.", null);
    const decision = decideAccess(p, claims);
    if (!decision.ok) {
      const existing = typeof data.user.id === "string" && data.source.action === "sign-in" ? data.user.id : null;
      if (existing) endAccess(existing, email, p.id, decision);
      return refuse(decision.code, decision.message, decision.claims);
    }
    pending.set(key(p.id, email), { decision, provider: p.id, at: now });
  }

  /** Someone the provider still knows but who no longer has access: every session of theirs ends. */
  function endAccess(userId: string, email: string, provider: string, decision: Extract<AccessDecision, { ok: false }>) {
    const ended = deleteUserSessions(db, userId);
    recordAudit(db, { actor: { id: null, label: `sso:${provider}` }, action: "user.access_lost", entityType: "user", entityId: userId, after: { email }, detail: { provider, reason: decision.code, claims: decision.claims, sessionsEnded: ended } });
  }

  /** The role a brand-new account gets (user.create.before), from the pending decision. */
  function roleForNewUser(providerId: string, email: string) {
    return pending.get(key(providerId, email))?.decision.role ?? null;
  }

  /**
   * After `/callback/:id`: the session exists (or the sign-in was refused). Applies the mapped
   * role (audited as `user.role`), and audits the sign-in with the provider and the claims that
   * decided, or the refusal with its reason. Never a token.
   */
  function afterCallback(input: { providerId: string; user: { id: string; email: string } | null; failure: string | null; ip: string | null }) {
    const { providerId, ip } = input;
    if (input.user) {
      const k = key(providerId, input.user.email);
      const got = pending.get(k);
      pending.delete(k);
      if (!got) return;
      const d = got.decision;
      const change = applyMappedRole(db, input.user.id, d.role, { id: null, label: `sso:${providerId}` }, { provider: providerId, groups: d.claims.groups, matched: d.matched });
      recordAudit(db, {
        actor: { id: input.user.id, label: input.user.email },
        action: "auth.sign_in",
        entityType: "user",
        entityId: input.user.id,
        detail: { provider: providerId, claims: d.claims, matched: d.matched, role: d.role, ...(change && change.before !== change.after ? { roleBefore: change.before } : {}) },
        ip,
      });
      return;
    }
    let refusal: { code: string; claims: DecidingClaims | null } | null = null;
    for (const [k, v] of refusals) {
      if (v.provider === providerId) {
        refusal = v;
        refusals.delete(k);
        break;
      }
    }
    recordAudit(db, {
      actor: { id: null, label: refusal?.claims?.email ?? `sso:${providerId}` },
      action: "auth.sign_in_failed",
      detail: { provider: providerId, reason: refusal?.code ?? input.failure ?? "unknown", ...(refusal?.claims ? { claims: refusal.claims } : {}) },
      ip,
    });
  }

  /** Whether the provider's discovery document loads now (5 s at most). */
  async function discoveryAnswers(p: OidcProvider): Promise<boolean> {
    try {
      const res = await fetch(`${p.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000), redirect: "manual" });
      return res.ok;
    } catch {
      return false;
    }
  }

  function provider(id: string): OidcProvider | undefined {
    return byId.get(id);
  }

  return { plugins, validateUserInfo, roleForNewUser, afterCallback, provider, discoveryAnswers, providers: enabled };
}

export type OidcSupport = ReturnType<typeof createOidcSupport>;

/** A refusal at the start of a provider sign-in, with a message a person can act on. */
export function providerUnreachable(p: OidcProvider): APIError {
  return new APIError("SERVICE_UNAVAILABLE", {
    code: "PROVIDER_UNREACHABLE",
    message: `${p.name} cannot be reached right now (its discovery document at ${p.issuer}/.well-known/openid-configuration did not load). Try again in a minute; an admin with a password can still sign in.`,
  });
}
