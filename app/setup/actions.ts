"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { defineFormAction, fail, issueErrors } from "@/server/actions";
import { createAccount } from "@/server/auth/accounts";
import { usersExist } from "@/server/auth/identify";
import { getAuth } from "@/server/auth/instance";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { emailSchema, nameSchema, passwordSchema } from "@/lib/auth/schemas";

const setupSchema = z
  .object({ name: nameSchema, email: emailSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });

/** First run only: creates the first admin and signs them in. */
export const setupAction = defineFormAction({
  role: "public",
  fields: ["name", "email", "password", "confirm"],
  keep: ["name", "email"],
  schema: z.unknown(),
  handler: async (input) => {
    const h = await headers();
    if (!isSameOriginRequest(h)) return fail("Cross-site request refused.");
    if (usersExist()) redirect("/sign-in");
    const parsed = setupSchema.safeParse(input);
    if (!parsed.success) return fail("Check the highlighted fields.", issueErrors(parsed.error.issues));
    const auth = getAuth();
    await createAccount(auth, getDb(), { name: parsed.data.name, email: parsed.data.email, password: parsed.data.password, role: "admin" }, "self");
    // Direct API call: the nextCookies plugin puts the session cookie on this response.
    await auth.api.signInEmail({ body: { email: parsed.data.email, password: parsed.data.password }, headers: h });
    redirect("/");
  },
});
