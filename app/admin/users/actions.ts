"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { countActiveAdmins, getUserById, setUserDisabled, setUserRole } from "@/db/queries/users";
import { AppError } from "@/lib/api/errors";
import { AccountNotFoundError, createAccount, EmailTakenError, setAccountPassword } from "@/server/auth/accounts";
import { fieldErrors, formValues, type FormState } from "@/lib/auth/form-state";
import { getAuth } from "@/server/auth/instance";
import type { Actor } from "@/lib/auth/roles";
import { confirmedPasswordSchema, newAccountSchema, roleSchema } from "@/lib/auth/schemas";
import { requireActionRole } from "@/server/auth/guards";

async function admin(): Promise<Actor | FormState> {
  try {
    return await requireActionRole("admin");
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
}

function isActor(v: Actor | FormState): v is Actor {
  return "role" in v && "label" in v;
}

/** Creates an account with a role; the admin hands the password over out of band. */
export async function createUserAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await admin();
  if (!isActor(actor)) return actor;
  const values = formValues(form, ["name", "email", "role"]);
  const parsed = newAccountSchema.safeParse({ ...values, password: form.get("password") ?? "" });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values, message: "Check the highlighted fields." };
  try {
    await createAccount(getAuth(), getDb(), parsed.data, actor);
  } catch (err) {
    if (err instanceof EmailTakenError) return { errors: { email: ["An account with this email already exists"] }, values, message: "Check the highlighted fields." };
    throw err;
  }
  revalidatePath("/admin/users");
  return { ok: true, message: `Created ${parsed.data.email} as ${parsed.data.role}.` };
}

const changeRoleSchema = z.object({ userId: z.string().min(1).max(100), role: roleSchema });

export async function changeRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await admin();
  if (!isActor(actor)) return actor;
  const parsed = changeRoleSchema.safeParse(formValues(form, ["userId", "role"]));
  if (!parsed.success) return { errors: fieldErrors(parsed.error), message: "Choose a valid role." };
  const db = getDb();
  const target = getUserById(db, parsed.data.userId);
  if (!target) return { message: "That account no longer exists." };
  if (target.role === "admin" && parsed.data.role !== "admin" && !target.disabled && countActiveAdmins(db) <= 1) {
    return { errors: { role: ["The last admin cannot be demoted"] }, message: "Keep at least one active admin." };
  }
  setUserRole(db, target.id, parsed.data.role, actor);
  revalidatePath("/admin/users");
  return { ok: true, message: `${target.email} is now ${parsed.data.role}.` };
}

const disableSchema = z.object({ userId: z.string().min(1).max(100), disabled: z.enum(["true", "false"]) });

/** Disables (ending every session) or re-enables an account. */
export async function setDisabledAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await admin();
  if (!isActor(actor)) return actor;
  const parsed = disableSchema.safeParse(formValues(form, ["userId", "disabled"]));
  if (!parsed.success) return { errors: fieldErrors(parsed.error), message: "Invalid request." };
  const db = getDb();
  const target = getUserById(db, parsed.data.userId);
  if (!target) return { message: "That account no longer exists." };
  const disabled = parsed.data.disabled === "true";
  if (disabled && target.id === actor.id) return { message: "You cannot disable your own account." };
  if (disabled && target.role === "admin" && !target.disabled && countActiveAdmins(db) <= 1) return { message: "Keep at least one active admin." };
  setUserDisabled(db, target.id, disabled, actor);
  revalidatePath("/admin/users");
  return { ok: true, message: disabled ? `${target.email} is disabled and signed out everywhere.` : `${target.email} is enabled again.` };
}

const setPasswordSchema = z.intersection(z.object({ userId: z.string().min(1).max(100) }), confirmedPasswordSchema);

/**
 * Sets a new password for someone who lost theirs and signs them out everywhere; the admin
 * hands it over out of band. Admins change their own on the account page (this would sign
 * them out mid-request).
 */
export async function setPasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await admin();
  if (!isActor(actor)) return actor;
  const parsed = setPasswordSchema.safeParse({ userId: form.get("userId") ?? "", password: form.get("password") ?? "", confirm: form.get("confirm") ?? "" });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), message: "Check the highlighted fields." };
  if (parsed.data.userId === actor.id) return { message: "Change your own password on your account page." };
  try {
    const done = await setAccountPassword(getAuth(), getDb(), { userId: parsed.data.userId, password: parsed.data.password }, actor);
    revalidatePath("/admin/users");
    const ended = done.sessionsEnded === 1 ? "1 session was" : `${done.sessionsEnded} sessions were`;
    return { ok: true, message: `New password set for ${done.email}; ${ended} signed out. Hand the password over in person or another private channel.` };
  } catch (err) {
    if (err instanceof AccountNotFoundError) return { message: "That account no longer exists." };
    throw err;
  }
}
