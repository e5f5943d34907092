"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { hasPassword, ssoSignInCounts } from "@/db/queries/sign-in-config";
import { getUserById } from "@/db/queries/users";
import { defineFormAction, fail, ok } from "@/server/actions";
import { deleteOidcProvider, getLocalPasswords, listOidcProviders, ProviderConflictError, providerFormSchema, saveOidcProvider, setLocalPasswords } from "@/server/auth/sign-in-config";
import { providerIdSchema } from "@/lib/auth/oidc-access";

const PROVIDER_FIELDS = ["mode", "id", "name", "issuer", "clientId", "clientSecret", "scopes", "groupsClaim", "allowedDomains", "roleMap", "defaultRole", "enabled"] as const;

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

/** Adds a provider (mode "new") or saves one (mode "edit"); a blank client secret keeps the stored one. */
export const saveProviderAction = defineFormAction({
  role: "admin",
  fields: PROVIDER_FIELDS,
  keep: PROVIDER_FIELDS.filter((f) => f !== "clientSecret"),
  schema: providerFormSchema.extend({ mode: z.enum(["new", "edit"]), enabled: checkbox }),
  handler: ({ mode, ...input }, { actor }) => {
    try {
      saveOidcProvider(getDb(), input, actor, { isNew: mode === "new" });
    } catch (err) {
      if (err instanceof ProviderConflictError) return fail("Check the highlighted fields.", { id: [err.message] });
      throw err;
    }
    revalidatePath("/admin/sign-in");
    return ok(undefined, mode === "new" ? `Added "${input.name}". Register the redirect URL shown below with the provider.` : `Saved "${input.name}".`);
  },
});

export const deleteProviderAction = defineFormAction({
  role: "admin",
  fields: ["id"],
  schema: z.object({ id: providerIdSchema }),
  invalid: "Invalid provider.",
  handler: ({ id }, { actor }) => {
    const db = getDb();
    const lastWayIn = !getLocalPasswords(db).enabled && !listOidcProviders(db).some((p) => p.enabled && p.id !== id);
    if (lastWayIn) return fail("Turn password sign-in back on first: this is the last provider people can sign in with.");
    if (!deleteOidcProvider(db, id, actor)) return fail(`No provider "${id}" saved here (one from the environment is removed by unsetting OIDC_ISSUER).`);
    revalidatePath("/admin/sign-in");
    return ok(undefined, `Removed "${id}".`);
  },
});

/**
 * Turns password sign-in off (keeping one break-glass admin with a password) or back on. Off
 * only once single sign-on works: an enabled provider someone has signed in through.
 */
export const setLocalPasswordsAction = defineFormAction({
  role: "admin",
  fields: ["passwords", "breakGlassUserId"],
  schema: z.object({ passwords: z.enum(["on", "off"], { message: "Choose on or off" }), breakGlassUserId: z.string().max(100) }),
  handler: ({ passwords, breakGlassUserId }, { actor }) => {
    const db = getDb();
    if (passwords === "on") {
      setLocalPasswords(db, { enabled: true, breakGlassUserId: breakGlassUserId || null }, actor);
      revalidatePath("/admin/sign-in");
      return ok(undefined, "Password sign-in is on.");
    }
    const counts = ssoSignInCounts(db);
    const working = listOidcProviders(db).filter((p) => p.enabled && (counts.get(p.id) ?? 0) > 0);
    if (working.length === 0) return fail("Single sign-on has to work first: nobody has signed in through an enabled provider yet.");
    const target = breakGlassUserId ? getUserById(db, breakGlassUserId) : undefined;
    if (!target || target.disabled || target.role !== "admin" || !hasPassword(db, target.id)) {
      return fail("Check the highlighted fields.", { breakGlassUserId: ["Choose an active admin with a password as the break-glass admin"] });
    }
    setLocalPasswords(db, { enabled: false, breakGlassUserId: target.id }, actor);
    revalidatePath("/admin/sign-in");
    return ok(undefined, `Password sign-in is off; ${target.email} can still sign in with a password (break-glass).`);
  },
});
