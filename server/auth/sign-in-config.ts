import { z } from "zod";
import type { Db } from "@/db/client";
import { getSignInConfig, setSignInConfig } from "@/db/queries/sign-in-config";
import type { AuditActor } from "@/lib/audit/actor";
import { DEFAULT_ROLES, domainListSchema, issuerSchema, providerIdSchema, roleMapSchema, scopesSchema, type AccessPolicy } from "@/lib/auth/oidc-access";
import { ROLES } from "@/lib/auth/roles";
import { openSecret, sealSecret } from "@/lib/auth/secret-box";
import { env, EnvError } from "@/lib/env";
import { resolveSignInKey } from "./secret";

/** An OpenID Connect provider as the sign-in code uses it (secret in clear, in memory only). */
export interface OidcProvider extends AccessPolicy {
  id: string;
  /** The button says "Sign in with <name>". */
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string[];
  enabled: boolean;
  /** "env": from OIDC_* variables (read-only in the admin page); "admin": saved under Admin → Sign-in. */
  source: "env" | "admin";
}

/** What the database keeps per provider: the secret sealed (lib/auth/secret-box.ts). */
const storedProviderSchema = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  clientSecretSealed: z.string().nullable(),
  scopes: z.array(z.string()),
  groupsClaim: z.string(),
  allowedDomains: z.array(z.string()),
  roleMap: z.array(z.object({ group: z.string(), role: z.enum(ROLES) })),
  defaultRole: z.enum(DEFAULT_ROLES),
  enabled: z.boolean(),
});
type StoredProvider = z.infer<typeof storedProviderSchema>;

const localPasswordsSchema = z.object({ enabled: z.boolean(), breakGlassUserId: z.string().nullable() });
export type LocalPasswords = z.infer<typeof localPasswordsSchema>;

function storedProviders(db: Db): StoredProvider[] {
  const parsed = z.array(storedProviderSchema).safeParse(getSignInConfig(db, "oidc_providers") ?? []);
  return parsed.success ? parsed.data : [];
}

/**
 * The provider the OIDC_* variables describe, or null when OIDC_ISSUER is unset. The set is
 * checked together: an issuer without a client id is an EnvError naming what is missing.
 */
export function envProvider(): OidcProvider | null {
  const issuerRaw = env("OIDC_ISSUER");
  const clientId = env("OIDC_CLIENT_ID");
  if (!issuerRaw) {
    if (clientId) throw new EnvError("OIDC_CLIENT_ID is set but OIDC_ISSUER is not: set both (and OIDC_CLIENT_SECRET) to sign in with OpenID Connect");
    return null;
  }
  const fail = (name: string, r: { error: z.ZodError }, raw: string | undefined) => new EnvError(`${name} "${raw ?? ""}" ${r.error.issues.map((i) => i.message).join("; ")}`);
  const issuer = issuerSchema.safeParse(issuerRaw);
  if (!issuer.success) throw fail("OIDC_ISSUER", issuer, issuerRaw);
  if (!clientId) throw new EnvError("OIDC_ISSUER is set but OIDC_CLIENT_ID is not: set the client id the provider gave this app");
  const scopes = scopesSchema.safeParse(env("OIDC_SCOPES"));
  if (!scopes.success) throw fail("OIDC_SCOPES", scopes, env("OIDC_SCOPES"));
  const domains = domainListSchema.safeParse(env("OIDC_ALLOWED_DOMAINS") ?? "");
  if (!domains.success) throw fail("OIDC_ALLOWED_DOMAINS", domains, env("OIDC_ALLOWED_DOMAINS"));
  const roleMap = roleMapSchema.safeParse(env("OIDC_ROLE_MAP") ?? "");
  if (!roleMap.success) throw fail("OIDC_ROLE_MAP", roleMap, env("OIDC_ROLE_MAP"));
  return {
    id: env("OIDC_PROVIDER_ID"),
    name: env("OIDC_NAME"),
    issuer: issuer.data,
    clientId,
    clientSecret: env("OIDC_CLIENT_SECRET") ?? null,
    scopes: scopes.data,
    groupsClaim: env("OIDC_GROUPS_CLAIM"),
    allowedDomains: domains.data,
    roleMap: roleMap.data,
    defaultRole: env("OIDC_DEFAULT_ROLE"),
    enabled: true,
    source: "env",
  };
}

/**
 * Every provider, the environment's first; secrets decrypted with the key next to the database.
 * A secret that no longer decrypts leaves its provider disabled (its sign-in would fail at the
 * token exchange anyway) rather than stopping every sign-in.
 */
export function listOidcProviders(db: Db, databaseUrl?: string): OidcProvider[] {
  const out: OidcProvider[] = [];
  const fromEnv = envProvider();
  if (fromEnv) out.push(fromEnv);
  const stored = storedProviders(db);
  const key = stored.some((p) => p.clientSecretSealed) ? resolveSignInKey(databaseUrl) : "";
  for (const p of stored) {
    if (out.some((o) => o.id === p.id)) continue;
    let secret: string | null = null;
    let enabled = p.enabled;
    if (p.clientSecretSealed) {
      try {
        secret = openSecret(p.clientSecretSealed, key);
      } catch {
        enabled = false;
      }
    }
    out.push({ ...p, clientSecret: secret, enabled, source: "admin" });
  }
  return out;
}

export function getLocalPasswords(db: Db): LocalPasswords {
  const parsed = localPasswordsSchema.safeParse(getSignInConfig(db, "local_passwords"));
  return parsed.success ? parsed.data : { enabled: true, breakGlassUserId: null };
}

export function setLocalPasswords(db: Db, value: LocalPasswords, actor: AuditActor): void {
  setSignInConfig(db, "local_passwords", value, { actor, before: getLocalPasswords(db), after: value });
}

/** The admin form's fields for one provider. The secret is write-only: blank keeps the stored one. */
export const providerFormSchema = z.object({
  id: providerIdSchema,
  name: z.string().trim().min(1, "Enter the name the button shows").max(60, "At most 60 characters"),
  issuer: issuerSchema,
  clientId: z.string().trim().min(1, "Enter the client id").max(500, "The client id is too long"),
  clientSecret: z.string().max(2000, "The client secret is too long").optional(),
  scopes: scopesSchema,
  groupsClaim: z.string().trim().min(1, "Enter the claim that carries groups (e.g. groups)").max(100, "At most 100 characters"),
  allowedDomains: domainListSchema,
  roleMap: roleMapSchema,
  defaultRole: z.enum(DEFAULT_ROLES, { message: `Default role must be one of ${DEFAULT_ROLES.join(", ")}` }),
  enabled: z.boolean(),
});
export type ProviderForm = z.infer<typeof providerFormSchema>;

/** What the audit trail shows of a provider: everything but the secret, and whether one is set. */
function auditView(p: StoredProvider | undefined) {
  if (!p) return null;
  const { clientSecretSealed, ...rest } = p;
  return { ...rest, clientSecret: clientSecretSealed ? "(set)" : "(none)" };
}

export class ProviderConflictError extends Error {}

/**
 * Adds or replaces the admin provider `input.id` (a blank secret keeps the stored one). The
 * environment's provider id cannot be taken. Audited without the secret.
 */
export function saveOidcProvider(db: Db, input: ProviderForm, actor: AuditActor, opts: { databaseUrl?: string; isNew: boolean }): void {
  const env = envProvider();
  if (env && env.id === input.id) throw new ProviderConflictError(`"${input.id}" is the provider set by the OIDC_* environment variables; choose another id`);
  const list = storedProviders(db);
  const existing = list.find((p) => p.id === input.id);
  if (opts.isNew && existing) throw new ProviderConflictError(`A provider with id "${input.id}" already exists`);
  if (!opts.isNew && !existing) throw new ProviderConflictError(`No provider with id "${input.id}"`);
  const secret = input.clientSecret?.trim();
  const sealed = secret ? sealSecret(secret, resolveSignInKey(opts.databaseUrl)) : existing?.clientSecretSealed ?? null;
  const next: StoredProvider = {
    id: input.id,
    name: input.name,
    issuer: input.issuer,
    clientId: input.clientId,
    clientSecretSealed: sealed,
    scopes: input.scopes,
    groupsClaim: input.groupsClaim,
    allowedDomains: input.allowedDomains,
    roleMap: input.roleMap,
    defaultRole: input.defaultRole,
    enabled: input.enabled,
  };
  const value = existing ? list.map((p) => (p.id === input.id ? next : p)) : [...list, next];
  setSignInConfig(db, "oidc_providers", value, { actor, before: auditView(existing), after: auditView(next) });
}

export function deleteOidcProvider(db: Db, id: string, actor: AuditActor): boolean {
  const list = storedProviders(db);
  const existing = list.find((p) => p.id === id);
  if (!existing) return false;
  setSignInConfig(
    db,
    "oidc_providers",
    list.filter((p) => p.id !== id),
    { actor, before: auditView(existing), after: null },
  );
  return true;
}
