"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { getDb } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { AppError } from "@/lib/api/errors";
import { fieldErrors, type FormState } from "@/lib/auth/form-state";
import { getAuth } from "@/server/auth/instance";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { passwordSchema } from "@/lib/auth/schemas";
import { requireActionRole } from "@/server/auth/guards";

/** Ends this browser's session. */
export async function signOutAction(): Promise<void> {
  const h = await headers();
  if (isSameOriginRequest(h)) {
    try {
      await getAuth().api.signOut({ headers: h });
    } catch {
      // No session (already signed out): nothing to end.
    }
  }
  redirect("/sign-in");
}

/** Ends every session of the signed-in person, this one included. */
export async function signOutEverywhereAction(): Promise<void> {
  const actor = await requireActionRole("viewer");
  const h = await headers();
  await getAuth().api.revokeSessions({ headers: h });
  recordAudit(getDb(), { actor, action: "auth.sign_out_everywhere", entityType: "user", entityId: actor.id });
  try {
    await getAuth().api.signOut({ headers: h });
  } catch {
    // The session is already gone; the cookie is cleared by sign-out when it can be.
  }
  redirect("/sign-in");
}

const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password"), newPassword: passwordSchema, confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { path: ["confirm"], message: "Passwords do not match" })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one" });

/** Changes the signed-in person's password and signs out their other sessions. */
export async function changePasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  let actor;
  try {
    actor = await requireActionRole("viewer");
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
  const parsed = changePasswordSchema.safeParse({
    currentPassword: form.get("currentPassword") ?? "",
    newPassword: form.get("newPassword") ?? "",
    confirm: form.get("confirm") ?? "",
  });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), message: "Check the highlighted fields." };
  try {
    await getAuth().api.changePassword({
      body: { currentPassword: parsed.data.currentPassword, newPassword: parsed.data.newPassword, revokeOtherSessions: true },
      headers: await headers(),
    });
  } catch (err) {
    if (isAPIError(err)) {
      const code = (err.body as { code?: string } | undefined)?.code;
      if (code === "INVALID_PASSWORD") return { errors: { currentPassword: ["The current password is wrong"] }, message: "Check the highlighted fields." };
      if (code === "CREDENTIAL_ACCOUNT_NOT_FOUND") return { message: "This account signs in through the proxy and has no password here." };
      return { message: "The password could not be changed." };
    }
    throw err;
  }
  recordAudit(getDb(), { actor, action: "auth.password_change", entityType: "user", entityId: actor.id });
  return { ok: true, message: "Password changed. Your other sessions were signed out." };
}
