import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { account, session, signInConfig, user } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/actor";
import type { Role } from "@/lib/auth/roles";
import { recordAudit } from "./audit";

export type SignInConfigKey = "oidc_providers" | "local_passwords";

/** The stored value of `key`, or undefined when an admin never set it. */
export function getSignInConfig(db: Db, key: SignInConfigKey): unknown {
  return db.select({ value: signInConfig.value }).from(signInConfig).where(eq(signInConfig.key, key)).get()?.value;
}

/**
 * Stores `value` under `key` and audits `sign_in.update` with the before and after the caller
 * passes (secrets already left out of both).
 */
export function setSignInConfig(db: Db, key: SignInConfigKey, value: unknown, audit: { actor: AuditActor; before: unknown; after: unknown; now?: number }): void {
  const now = audit.now ?? Date.now();
  db.transaction((tx) => {
    tx.insert(signInConfig)
      .values({ key, value, updatedAt: now, updatedBy: audit.actor.label })
      .onConflictDoUpdate({ target: signInConfig.key, set: { value, updatedAt: now, updatedBy: audit.actor.label } })
      .run();
    recordAudit(tx, { actor: { id: audit.actor.id ?? null, label: audit.actor.label }, action: "sign_in.update", entityType: "sign_in_config", entityId: key, before: audit.before, after: audit.after, at: now });
  });
}

/** Changes whenever any sign-in setting is saved: the auth instance is rebuilt when it moves. */
export function signInConfigStamp(db: Db): string {
  const row = db.select({ n: sql<number>`count(*)`, at: sql<number | null>`max(${signInConfig.updatedAt})` }).from(signInConfig).get();
  return `${row?.n ?? 0}:${row?.at ?? 0}`;
}

type By = { id?: string | null; label: string };

/**
 * The role the identity provider's groups gave, applied at sign-in: audited as `user.role`
 * like an admin's change, with the provider and the groups that decided. No-op when unchanged.
 */
export function applyMappedRole(db: Db, userId: string, role: Role, by: By, detail: { provider: string; groups: string[]; matched: string[] }): { before: Role; after: Role } | null {
  return db.transaction((tx) => {
    const row = tx.select({ email: user.email, role: user.role }).from(user).where(eq(user.id, userId)).get();
    if (!row) return null;
    if (row.role === role) return { before: row.role, after: role };
    tx.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, userId)).run();
    recordAudit(tx, { actor: by, action: "user.role", entityType: "user", entityId: userId, before: { email: row.email, role: row.role }, after: { email: row.email, role }, detail: { source: "sso", ...detail } });
    return { before: row.role, after: role };
  });
}

/** Ends every session of the account that signs in through `providerId` as `email`, if one exists; returns its id. */
export function endSessionsOfEmail(db: Db, email: string): { userId: string; ended: number } | null {
  const row = db.select({ id: user.id }).from(user).where(eq(user.email, email.trim().toLowerCase())).get();
  if (!row) return null;
  return { userId: row.id, ended: db.delete(session).where(eq(session.userId, row.id)).run().changes };
}

/** Whether the account has a password (a credential row with a hash). */
export function hasPassword(db: Db, userId: string): boolean {
  return (
    db
      .select({ one: sql<number>`1` })
      .from(account)
      .where(and(eq(account.userId, userId), eq(account.providerId, "credential"), sql`${account.password} IS NOT NULL`))
      .get() !== undefined
  );
}

/** Active admins that have a password: who may be the break-glass admin. */
export function listPasswordAdmins(db: Db): { id: string; email: string }[] {
  return db
    .select({ id: user.id, email: user.email })
    .from(user)
    .where(sql`${user.role} = 'admin' AND ${user.disabled} = 0 AND EXISTS (SELECT 1 FROM "account" a WHERE a."user_id" = "user"."id" AND a."provider_id" = 'credential' AND a."password" IS NOT NULL)`)
    .orderBy(user.email)
    .all();
}

/** How many successful sign-ins each provider has had (audit rows `auth.sign_in` with detail.provider). */
export function ssoSignInCounts(db: Db): Map<string, number> {
  const rows = db.$client
    .prepare(`SELECT json_extract(detail, '$.provider') AS provider, count(*) AS n FROM audit_log WHERE action = 'auth.sign_in' AND json_extract(detail, '$.provider') IS NOT NULL GROUP BY 1`)
    .all() as { provider: string; n: number }[];
  return new Map(rows.map((r) => [r.provider, r.n]));
}

/** Wrong setup codes since `since` (epoch ms): from `ip`, and from anywhere. */
export function setupCodeFailures(db: Db, ip: string | null, since: number): { fromIp: number; total: number } {
  const row = db.$client
    .prepare(`SELECT count(*) AS total, coalesce(sum(CASE WHEN ip IS ? THEN 1 ELSE 0 END), 0) AS fromIp FROM audit_log WHERE action = 'auth.setup_code_failed' AND at >= ?`)
    .get(ip, since) as { total: number; fromIp: number };
  return row;
}
