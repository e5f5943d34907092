import "server-only";
import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, user } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/actor";
import type { SignInFailureStats } from "@/lib/auth/sign-in-throttle";

/** A database or a transaction over it: audit rows are written inside the change's own transaction. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditEntry {
  /** Who: a user id or token id (null for the system), and the label the trail shows. */
  actor: AuditActor;
  /** Dotted verb, e.g. `incident.update`, `auth.sign_in`, `token.use`. */
  action: string;
  entityType?: string | null;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
  ip?: string | null;
  /** Epoch ms; defaults to now. */
  at?: number;
}

/** Appends one audit row. Synchronous so it can run inside a better-sqlite3 transaction. */
export function recordAudit(db: DbOrTx, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      at: entry.at ?? Date.now(),
      actorId: entry.actor.id ?? null,
      actorLabel: entry.actor.label,
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      before: entry.before === undefined ? null : entry.before,
      after: entry.after === undefined ? null : entry.after,
      detail: entry.detail === undefined ? null : entry.detail,
      ip: entry.ip ?? null,
    })
    .run();
}

export interface AuditFilters {
  /** Exact action, or a prefix ending in "." (`incident.`) for a family. */
  action?: string;
  /** Substring of the actor label (email or `token:NAME`). */
  actor?: string;
  entityType?: string;
  entityId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Rows with id below this (keyset paging, newest first). */
  beforeId?: number;
  limit?: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => "\\" + c);
}

function auditWhere(f: AuditFilters): SQL | undefined {
  const conds: SQL[] = [];
  if (f.action) {
    conds.push(
      f.action.endsWith(".")
        ? sql`${auditLog.action} LIKE ${escapeLike(f.action) + "%"} ESCAPE '\\'`
        : eq(auditLog.action, f.action),
    );
  }
  if (f.actor) conds.push(sql`${auditLog.actorLabel} LIKE ${"%" + escapeLike(f.actor) + "%"} ESCAPE '\\'`);
  if (f.entityType) conds.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.from !== undefined) conds.push(gte(auditLog.at, f.from));
  if (f.to !== undefined) conds.push(lt(auditLog.at, f.to));
  if (f.beforeId !== undefined) conds.push(lt(auditLog.id, f.beforeId));
  return conds.length ? and(...conds) : undefined;
}

/** Newest first. `limit` defaults to 200; pass a large one for exports. */
export function listAudit(db: Db, filters: AuditFilters = {}): AuditRow[] {
  return db
    .select()
    .from(auditLog)
    .where(auditWhere(filters))
    .orderBy(desc(auditLog.id))
    .limit(Math.max(1, Math.min(filters.limit ?? 200, 100_000)))
    .all();
}

/** An entity's history, oldest first (e.g. an incident's change log). */
export function listEntityAudit(db: Db, entityType: string, entityId: string | number): AuditRow[] {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, String(entityId))))
    .orderBy(auditLog.id)
    .all();
}

/** Distinct actions seen, for the filter's choices. */
export function listAuditActions(db: Db): string[] {
  return db
    .selectDistinct({ action: auditLog.action })
    .from(auditLog)
    .orderBy(auditLog.action)
    .all()
    .map((r) => r.action);
}

/** The last time `action` was recorded for an entity, or null; used to throttle noisy events. */
export function lastAuditAt(db: Db, action: string, entityType: string, entityId: string): number | null {
  const row = db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId), lte(auditLog.at, Date.now())))
    .orderBy(desc(auditLog.id))
    .limit(1)
    .get();
  return row?.at ?? null;
}

/** The `detail.reason` of a failed sign-in that was a wrong password (not a refusal to check one). */
export const WRONG_PASSWORD_REASON = "INVALID_EMAIL_OR_PASSWORD";

/**
 * The sign-in throttle's counters, read from the audit trail (`auth.sign_in_failed` rows with
 * reason WRONG_PASSWORD_REASON), so they hold across restarts and processes. `ip` null is the
 * bucket of requests whose address is unknown. Failures before the account's last
 * admin-set password (`user.password_reset`) were against the old password and do not count.
 */
export function signInFailureStats(db: Db, email: string, ip: string | null, clientSince: number, accountSince: number): SignInFailureStats {
  const lastReset =
    db
      .select({ at: auditLog.at })
      .from(auditLog)
      .innerJoin(user, eq(user.id, auditLog.entityId))
      .where(and(eq(auditLog.action, "user.password_reset"), eq(auditLog.entityType, "user"), eq(user.email, email)))
      .orderBy(desc(auditLog.id))
      .limit(1)
      .get()?.at ?? -1;
  const sameClient = ip === null ? sql`${auditLog.ip} IS NULL` : eq(auditLog.ip, ip);
  const lastOkHere =
    db
      .select({ at: auditLog.at })
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in"), eq(auditLog.actorLabel, email), sameClient))
      .orderBy(desc(auditLog.id))
      .limit(1)
      .get()?.at ?? -1;
  const wrongPassword = and(eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.actorLabel, email), sql`json_extract(${auditLog.detail}, '$.reason') = ${WRONG_PASSWORD_REASON}`);
  const client = db
    .select({ n: sql<number>`count(*)`, last: sql<number | null>`max(${auditLog.at})` })
    .from(auditLog)
    .where(and(wrongPassword, sameClient, gte(auditLog.at, Math.max(clientSince, lastOkHere + 1, lastReset + 1))))
    .get();
  const account = db
    .select({ n: sql<number>`count(DISTINCT coalesce(${auditLog.ip}, ''))` })
    .from(auditLog)
    .where(and(wrongPassword, gte(auditLog.at, Math.max(accountSince, lastReset + 1))))
    .get();
  return { clientFailures: client?.n ?? 0, lastClientFailureAt: client?.last ?? null, accountClients: account?.n ?? 0 };
}

/** True when `email` signed in successfully from address `ip` at or after `since`: a client it has used before. */
export function hasSignedInFrom(db: Db, email: string, ip: string, since: number): boolean {
  return (
    db
      .select({ one: sql<number>`1` })
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in"), eq(auditLog.actorLabel, email), eq(auditLog.ip, ip), gte(auditLog.at, since)))
      .limit(1)
      .get() !== undefined
  );
}
