"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { countActiveAdmins, getUserById, setUserDisabled, setUserRole } from "@/db/queries/users";
import { defineFormAction, fail, ok } from "@/server/actions";
import { AccountNotFoundError, createAccount, EmailTakenError, setAccountPassword } from "@/server/auth/accounts";
import { getAuth } from "@/server/auth/instance";
import { confirmedPasswordSchema, newAccountSchema, roleSchema } from "@/lib/auth/schemas";

/** Creates an account with a role; the admin hands the password over out of band. */
export const createUserAction = defineFormAction({
  role: "admin",
  fields: ["name", "email", "role", "password"],
  keep: ["name", "email", "role"],
  schema: newAccountSchema,
  handler: async (input, { actor }) => {
    try {
      await createAccount(getAuth(), getDb(), input, actor);
    } catch (err) {
      if (err instanceof EmailTakenError) return fail("Check the highlighted fields.", { email: ["An account with this email already exists"] });
      throw err;
    }
    revalidatePath("/admin/users");
    return ok(undefined, `Created ${input.email} as ${input.role}.`);
  },
});

export const changeRoleAction = defineFormAction({
  role: "admin",
  fields: ["userId", "role"],
  schema: z.object({ userId: z.string().min(1).max(100), role: roleSchema }),
  invalid: "Choose a valid role.",
  handler: (input, { actor }) => {
    const db = getDb();
    const target = getUserById(db, input.userId);
    if (!target) return fail("That account no longer exists.");
    if (target.role === "admin" && input.role !== "admin" && !target.disabled && countActiveAdmins(db) <= 1) {
      return fail("Keep at least one active admin.", { role: ["The last admin cannot be demoted"] });
    }
    setUserRole(db, target.id, input.role, actor);
    revalidatePath("/admin/users");
    return ok(undefined, `${target.email} is now ${input.role}.`);
  },
});

/** Disables (ending every session) or re-enables an account. */
export const setDisabledAction = defineFormAction({
  role: "admin",
  fields: ["userId", "disabled"],
  schema: z.object({ userId: z.string().min(1).max(100), disabled: z.enum(["true", "false"]) }),
  invalid: "Invalid request.",
  handler: (input, { actor }) => {
    const db = getDb();
    const target = getUserById(db, input.userId);
    if (!target) return fail("That account no longer exists.");
    const disabled = input.disabled === "true";
    if (disabled && target.id === actor.id) return fail("You cannot disable your own account.");
    if (disabled && target.role === "admin" && !target.disabled && countActiveAdmins(db) <= 1) return fail("Keep at least one active admin.");
    setUserDisabled(db, target.id, disabled, actor);
    revalidatePath("/admin/users");
    return ok(undefined, disabled ? `${target.email} is disabled and signed out everywhere.` : `${target.email} is enabled again.`);
  },
});

/**
 * Sets a new password for someone who lost theirs and signs them out everywhere; the admin
 * hands it over out of band. Admins change their own on the account page (this would sign
 * them out mid-request).
 */
export const setPasswordAction = defineFormAction({
  role: "admin",
  fields: ["userId", "password", "confirm"],
  schema: z.intersection(z.object({ userId: z.string().min(1).max(100) }), confirmedPasswordSchema),
  handler: async (input, { actor }) => {
    if (input.userId === actor.id) return fail("Change your own password on your account page.");
    try {
      const done = await setAccountPassword(getAuth(), getDb(), { userId: input.userId, password: input.password }, actor);
      revalidatePath("/admin/users");
      const ended = done.sessionsEnded === 1 ? "1 session was" : `${done.sessionsEnded} sessions were`;
      return ok(undefined, `New password set for ${done.email}; ${ended} signed out. Hand the password over in person or another private channel.`);
    } catch (err) {
      if (err instanceof AccountNotFoundError) return fail("That account no longer exists.");
      throw err;
    }
  },
});
