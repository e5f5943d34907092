import "server-only";
import { runWithEndpointContext, type AuthEndpointContext } from "@better-auth/core/context";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getUserByEmail, replacePassword, setInitialRole } from "@/db/queries/users";
import type { Auth } from "./better-auth";
import type { Role } from "@/lib/auth/roles";
import { newAccountSchema, passwordSchema } from "@/lib/auth/schemas";

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
  // Outside an HTTP request there is no endpoint context, which better-auth's user validation
  // (the sign-in provider checks, server/auth/oidc.ts) asks for; this one passes for passwords.
  const created = await runWithEndpointContext({ context: ctx as unknown as AuthEndpointContext["context"] }, () =>
    ctx.internalAdapter.createUser({ email: data.email, name: data.name, emailVerified: false, role: data.role, disabled: false }, { method: "email-password" }),
  );
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
 * the write is replacePassword (db/queries/users.ts): the credential row (created for a proxy
 * sign-in account), the end of every session, and an audit row (`user.password_reset`, which
 * also lifts the failed-sign-in lockout), in one transaction. Throws a ZodError for
 * a bad password and AccountNotFoundError for an unknown user.
 */
export async function setAccountPassword(
  auth: Auth,
  db: Db,
  input: { userId: string; password: string },
  by: { id?: string | null; label: string },
): Promise<{ email: string; sessionsEnded: number }> {
  const password = passwordSchema.parse(input.password);
  const hash = await (await auth.$context).password.hash(password);
  const done = replacePassword(db, input.userId, hash, by);
  if (!done) throw new AccountNotFoundError(`with id ${input.userId}`);
  return done;
}
