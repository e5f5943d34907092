import { z } from "zod";
import { ROLES, type Role } from "./roles";

/** A provider's default for people no group mapping names: a role, or "none" (refused). */
export const DEFAULT_ROLES = [...ROLES, "none"] as const;
export type DefaultRole = (typeof DEFAULT_ROLES)[number];

export interface RoleMapping {
  /** The group (or role) name exactly as the claim carries it. */
  group: string;
  role: Role;
}

/** What decides who may sign in through a provider, and as what. */
export interface AccessPolicy {
  /** Lower-case domains (`example.com`); empty lets any domain in. */
  allowedDomains: string[];
  /** The claim holding groups or roles; a dotted path reaches into objects (`realm_access.roles`). */
  groupsClaim: string;
  roleMap: RoleMapping[];
  defaultRole: DefaultRole;
}

/** The claims that decided, kept in the audit trail (never a token). */
export interface DecidingClaims {
  sub: string | null;
  email: string | null;
  groups: string[];
}

export type AccessDecision =
  | { ok: true; role: Role; matched: string[]; claims: DecidingClaims }
  | { ok: false; code: "EMAIL_MISSING" | "EMAIL_UNVERIFIED" | "DOMAIN_NOT_ALLOWED" | "NO_ACCESS"; message: string; claims: DecidingClaims };

/**
 * The groups in `claims` at the dotted path `claim`: an array of strings, or one string of
 * names separated by commas or spaces (some providers send that). Anything else is no groups.
 */
export function readGroups(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claim in claims ? claims[claim] : undefined;
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), claims);
  }
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string" && g.length > 0).slice(0, 500);
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean).slice(0, 500);
  return [];
}

function truthy(v: unknown): boolean {
  return v === true || v === "true";
}

/**
 * Who gets in and as what, from an identity provider's verified claims: the email must be
 * present, verified (`email_verified`, unless the policy is told the provider omits it) and in
 * an allowed domain; the role is the highest one any of the person's groups maps to, else the
 * default role, and "none" refuses. Pure: the caller records and applies the decision.
 */
export function decideAccess(policy: AccessPolicy, claims: Record<string, unknown>, opts: { requireVerifiedEmail?: boolean } = {}): AccessDecision {
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null;
  const groups = readGroups(claims, policy.groupsClaim);
  const deciding: DecidingClaims = { sub: typeof claims.sub === "string" ? claims.sub : null, email, groups };
  if (!email) return { ok: false, code: "EMAIL_MISSING", message: "The identity provider sent no email address. Ask its administrator to release the email claim.", claims: deciding };
  if ((opts.requireVerifiedEmail ?? true) && "email_verified" in claims && !truthy(claims.email_verified)) {
    return { ok: false, code: "EMAIL_UNVERIFIED", message: "The identity provider says this email address is not verified.", claims: deciding };
  }
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (policy.allowedDomains.length > 0 && !policy.allowedDomains.includes(domain)) {
    return { ok: false, code: "DOMAIN_NOT_ALLOWED", message: `Accounts from ${domain} may not sign in here.`, claims: deciding };
  }
  const present = new Set(groups);
  const matched = policy.roleMap.filter((m) => present.has(m.group));
  const best = matched.reduce<Role | null>((top, m) => (top === null || ROLES.indexOf(m.role) > ROLES.indexOf(top) ? m.role : top), null);
  if (best) return { ok: true, role: best, matched: matched.map((m) => m.group), claims: deciding };
  if (policy.defaultRole === "none") {
    return { ok: false, code: "NO_ACCESS", message: "None of your groups gives access to Deploy Safety. Ask an admin to add your group.", claims: deciding };
  }
  return { ok: true, role: policy.defaultRole, matched: [], claims: deciding };
}

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "is not a domain name like example.com");

/** `a.com, b.org` (commas or white space) → lower-case domains; a bad one is named. */
export const domainListSchema = z.string().transform((raw, ctx) => {
  const out: string[] = [];
  for (const part of raw.split(/[\s,]+/).filter(Boolean)) {
    const r = domainSchema.safeParse(part.replace(/^@/, ""));
    if (!r.success) ctx.addIssue({ code: "custom", message: `"${part}" ${r.error.issues[0]?.message ?? "is not a domain"}` });
    else if (!out.includes(r.data)) out.push(r.data);
  }
  return out;
});

/**
 * One mapping per line or comma: `group = role` (or `group: role`). Group names keep their case
 * and may contain spaces and slashes (Keycloak sends `/team/sre`); the role must be one of ROLES.
 */
export const roleMapSchema = z.string().transform((raw, ctx) => {
  const out: RoleMapping[] = [];
  for (const line of raw.split(/[\n,]/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*[=:]\s*([a-z]+)$/.exec(line);
    if (!m) {
      ctx.addIssue({ code: "custom", message: `"${line}" is not "group = role"` });
      continue;
    }
    const [, group, role] = m;
    if (!(ROLES as readonly string[]).includes(role)) ctx.addIssue({ code: "custom", message: `"${line}": role must be one of ${ROLES.join(", ")}` });
    else if (group.length > 200) ctx.addIssue({ code: "custom", message: `"${group.slice(0, 20)}…" is longer than 200 characters` });
    else out.push({ group, role: role as Role });
  }
  if (out.length > 200) ctx.addIssue({ code: "custom", message: "at most 200 mappings" });
  return out;
});

/** The role map as the form shows it, one `group = role` per line. */
export function formatRoleMap(map: RoleMapping[]): string {
  return map.map((m) => `${m.group} = ${m.role}`).join("\n");
}

/** A provider id: part of the redirect URL, so letters, digits and dashes. */
export const providerIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use 1–40 lower-case letters, digits and dashes, starting with a letter or digit");

/** An issuer URL: https, or http only on a loopback address (local testing). No query or fragment. */
export const issuerSchema = z
  .string()
  .trim()
  .max(500, "The issuer URL is too long")
  .refine((v) => URL.canParse(v), "Enter the issuer URL, e.g. https://login.example.com/realms/main")
  .refine((v) => {
    if (!URL.canParse(v)) return true;
    const u = new URL(v);
    return u.protocol === "https:" || (u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname));
  }, "The issuer must use https (http only on 127.0.0.1 or localhost)")
  .refine((v) => !URL.canParse(v) || (!new URL(v).search && !new URL(v).hash), "The issuer URL takes no query or fragment")
  .transform((v) => v.replace(/\/+$/, ""));

export const scopesSchema = z
  .string()
  .trim()
  .transform((v) => v.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, "A scope has no spaces or quotes")).max(20, "At most 20 scopes"))
  .transform((s) => (s.includes("openid") ? s : ["openid", ...s]));

/** Issuer URLs compare without a trailing slash. */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}
