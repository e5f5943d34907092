"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { getDb } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { defineAction, defineFormAction, fail, formPost, ok } from "@/server/actions";
import { getAuth } from "@/server/auth/instance";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { passwordSchema } from "@/lib/auth/schemas";

/** Ends this browser's session. */
export const signOutAction = formPost(
  defineAction({
  role: "public",
  schema: z.unknown(),
  handler: async () => {
    const h = await headers();
    if (isSameOriginRequest(h)) {
      try {
        await getAuth().api.signOut({ headers: h });
      } catch {
        // No session (already signed out): nothing to end.
      }
    }
    redirect("/sign-in");
  },
}),
);

/** Ends every session of the signed-in person, this one included. */
export const signOutEverywhereAction = formPost(
  defineAction({
  role: "viewer",
  schema: z.unknown(),
  handler: async (_input, { actor }) => {
    const h = await headers();
    await getAuth().api.revokeSessions({ headers: h });
    recordAudit(getDb(), { actor, action: "auth.sign_out_everywhere", entityType: "user", entityId: actor.id });
    try {
      await getAuth().api.signOut({ headers: h });
    } catch {
      // The session is already gone; the cookie is cleared by sign-out when it can be.
    }
    redirect("/sign-in");
  },
}),
);

const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password"), newPassword: passwordSchema, confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { path: ["confirm"], message: "Passwords do not match" })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one" });

/** Changes the signed-in person's password and signs out their other sessions. */
export const changePasswordAction = defineFormAction({
  role: "viewer",
  fields: ["currentPassword", "newPassword", "confirm"],
  schema: changePasswordSchema,
  handler: async (input, { actor }) => {
    try {
      await getAuth().api.changePassword({
        body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: true },
        headers: await headers(),
      });
    } catch (err) {
      if (isAPIError(err)) {
        const code = (err.body as { code?: string } | undefined)?.code;
        if (code === "INVALID_PASSWORD") return fail("Check the highlighted fields.", { currentPassword: ["The current password is wrong"] });
        if (code === "CREDENTIAL_ACCOUNT_NOT_FOUND") return fail("This account signs in through the proxy and has no password here.");
        return fail("The password could not be changed.");
      }
      throw err;
    }
    recordAudit(getDb(), { actor, action: "auth.password_change", entityType: "user", entityId: actor.id });
    return ok(undefined, "Password changed. Your other sessions were signed out.");
  },
});
