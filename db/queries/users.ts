import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { account, session, user } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import { recordAudit } from "./audit";

export type UserRow = typeof user.$inferSelect;
export type UserSummary = Pick<UserRow, "id" | "name" | "email" | "role" | "disabled" | "createdAt"> & {
  activeSessions: number;
};

/** True once any account exists (first-run setup is over). */
export function hasAnyUser(db: Db): boolean {
  return db.select({ one: sql<number>`1` }).from(user).limit(1).get() !== undefined;
}

export function getUserById(db: Db, id: string): UserRow | undefined {
  return db.select().from(user).where(eq(user.id, id)).get();
}

export function getUserByEmail(db: Db, email: string): UserRow | undefined {
  return db.select().from(user).where(eq(user.email, email.trim().toLowerCase())).get();
}

export function listUsers(db: Db): UserSummary[] {
  const now = Date.now();
  return db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      disabled: user.disabled,
      createdAt: user.createdAt,
      // Spelled out: drizzle renders columns unqualified here, and "id" would bind to session.id.
      activeSessions: sql<number>`(SELECT count(*) FROM "session" s WHERE s."user_id" = "user"."id" AND s."expires_at" > ${now})`,
    })
    .from(user)
    .orderBy(asc(user.email))
    .all();
}

export function countActiveAdmins(db: Db): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(user)
      .where(sql`${user.role} = 'admin' AND ${user.disabled} = 0`)
      .get()?.n ?? 0
  );
}

type By = { id?: string | null; label: string };

/** Changes a role; audited. Returns false when the user does not exist. */
export function setUserRole(db: Db, userId: string, role: Role, by: By): boolean {
  return db.transaction((tx) => {
    const row = tx.select().from(user).where(eq(user.id, userId)).get();
    if (!row) return false;
    if (row.role === role) return true;
    tx.update(user).set({ role, updatedAt: new Date() }).where(eq(user.id, userId)).run();
    recordAudit(tx, { actor: by, action: "user.role", entityType: "user", entityId: userId, before: { email: row.email, role: row.role }, after: { email: row.email, role } });
    return true;
  });
}

/** Disables or re-enables an account; disabling ends every session it has. */
export function setUserDisabled(db: Db, userId: string, disabled: boolean, by: By): boolean {
  return db.transaction((tx) => {
    const row = tx.select().from(user).where(eq(user.id, userId)).get();
    if (!row) return false;
    tx.update(user).set({ disabled, updatedAt: new Date() }).where(eq(user.id, userId)).run();
    if (disabled) tx.delete(session).where(eq(session.userId, userId)).run();
    if (row.disabled !== disabled) {
      recordAudit(tx, { actor: by, action: disabled ? "user.disable" : "user.enable", entityType: "user", entityId: userId, before: { email: row.email, disabled: row.disabled }, after: { email: row.email, disabled } });
    }
    return true;
  });
}

/** Ends every session of a user (sign out everywhere, from the server side). */
export function deleteUserSessions(db: Db, userId: string): number {
  return db.delete(session).where(eq(session.userId, userId)).run().changes;
}

/** Sets role (and keeps the name) right after better-auth created the account. */
export function setInitialRole(db: Db, userId: string, role: Role): void {
  db.update(user).set({ role }).where(eq(user.id, userId)).run();
}

/**
 * Stores a new password hash on the account's credential row (creating it for an account that
 * had none, e.g. a proxy sign-in), ends every session it has and audits `user.password_reset`
 * (never with the password), in one transaction. Returns null when the user does not exist.
 */
export function replacePassword(db: Db, userId: string, hash: string, by: By): { email: string; sessionsEnded: number } | null {
  return db.transaction((tx) => {
    const target = tx.select({ id: user.id, email: user.email }).from(user).where(eq(user.id, userId)).get();
    if (!target) return null;
    const now = new Date();
    const credential = and(eq(account.userId, target.id), eq(account.providerId, "credential"));
    const updated = tx.update(account).set({ password: hash, updatedAt: now }).where(credential).run().changes;
    if (updated === 0) {
      tx.insert(account).values({ id: crypto.randomUUID(), accountId: target.id, providerId: "credential", userId: target.id, password: hash, createdAt: now, updatedAt: now }).run();
    }
    const sessionsEnded = tx.delete(session).where(eq(session.userId, target.id)).run().changes;
    recordAudit(tx, { actor: by, action: "user.password_reset", entityType: "user", entityId: target.id, after: { email: target.email }, detail: { sessionsEnded } });
    return { email: target.email, sessionsEnded };
  });
}

/**
 * Replaces session tokens stored in plain text (before tokens were stored hashed) with their
 * digest, so sessions from before the upgrade keep working and the table holds no usable
 * token. `hash` is lib/auth's hashSessionToken; `isHashed` tells a digest from a token.
 * Returns how many rows were rewritten; a no-op once done.
 */
export function hashPlainSessionTokens(db: Db, hash: (token: string) => string, isHashed: (value: string) => boolean): number {
  return db.transaction((tx) => {
    const rows = tx.select({ id: session.id, token: session.token }).from(session).all().filter((r) => !isHashed(r.token));
    for (const r of rows) tx.update(session).set({ token: hash(r.token) }).where(eq(session.id, r.id)).run();
    return rows.length;
  });
}
