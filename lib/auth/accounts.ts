import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getUserByEmail, setInitialRole } from "@/db/queries/users";
import { account, session, user } from "@/db/schema";
import type { Auth } from "./better-auth";
import type { Role } from "./roles";
import { newAccountSchema, passwordSchema } from "./schemas";

export class EmailTakenError extends Error {
  constructor(email: string) {
    super(`an account for ${email} already exists`);
  }
}

/**
 * Creates an email+password account with better-auth's own password hashing and account
 * records (what its sign-up endpoint does), without signing anyone in: the caller stays
 * who they were. Throws a ZodError for bad input and EmailTakenError for a duplicate.
 */
export async function createAccount(
  auth: Auth,
  db: Db,
  input: { name: string; email: string; password: string; role: Role },
  by: { id?: string | null; label: string } | "self",
): Promise<{ id: string; email: string; role: Role }> {
  const data = newAccountSchema.parse(input);
  if (getUserByEmail(db, data.email)) throw new EmailTakenError(data.email);
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(data.password);
  const created = await ctx.internalAdapter.createUser({ email: data.email, name: data.name, emailVerified: false, role: data.role, disabled: false }, { method: "email-password" });
  if (!created) throw new Error("could not create the account");
  await ctx.internalAdapter.linkAccount({ userId: created.id, providerId: "credential", accountId: created.id, password: hash });
  setInitialRole(db, created.id, data.role);
  const actor = by === "self" ? { id: created.id, label: data.email } : by;
  recordAudit(db, { actor, action: "user.create", entityType: "user", entityId: created.id, after: { email: data.email, name: data.name, role: data.role } });
  return { id: created.id, email: data.email, role: data.role };
}

export class AccountNotFoundError extends Error {
  constructor(what: string) {
    super(`no account ${what}`);
  }
}

/**
 * Sets a new password for someone who lost theirs: an admin on /admin/users, or the CLI when
 * the only admin is locked out. Hashed the way better-auth hashes (so its sign-in accepts it);
 * the credential row is created if the account had none (a proxy sign-in account). One
 * transaction: the password, the end of every session the account had, and an audit row
 * (`user.password_reset`, which also lifts the failed-sign-in lockout). Throws a ZodError for
 * a bad password and AccountNotFoundError for an unknown user.
 */
export async function setAccountPassword(
  auth: Auth,
  db: Db,
  input: { userId: string; password: string },
  by: { id?: string | null; label: string },
): Promise<{ email: string; sessionsEnded: number }> {
  const password = passwordSchema.parse(input.password);
  if (!db.select({ id: user.id }).from(user).where(eq(user.id, input.userId)).get()) throw new AccountNotFoundError(`with id ${input.userId}`);
  const hash = await (await auth.$context).password.hash(password);
  return db.transaction((tx) => {
    // Checked again inside the transaction: the account may have been deleted while hashing.
    const target = tx.select({ id: user.id, email: user.email }).from(user).where(eq(user.id, input.userId)).get();
    if (!target) throw new AccountNotFoundError(`with id ${input.userId}`);
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
