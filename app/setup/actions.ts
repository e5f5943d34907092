"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { createAccount } from "@/server/auth/accounts";
import { fieldErrors, formValues, type FormState } from "@/lib/auth/form-state";
import { usersExist } from "@/server/auth/identify";
import { getAuth } from "@/server/auth/instance";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { emailSchema, nameSchema, passwordSchema } from "@/lib/auth/schemas";

const setupSchema = z
  .object({ name: nameSchema, email: emailSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });

/** First run only: creates the first admin and signs them in. */
export async function setupAction(_prev: FormState, form: FormData): Promise<FormState> {
  const h = await headers();
  if (!isSameOriginRequest(h)) return { message: "Cross-site request refused." };
  if (usersExist()) redirect("/sign-in");
  const values = formValues(form, ["name", "email"]);
  const parsed = setupSchema.safeParse({ ...values, password: form.get("password") ?? "", confirm: form.get("confirm") ?? "" });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values, message: "Check the highlighted fields." };
  const auth = getAuth();
  await createAccount(auth, getDb(), { name: parsed.data.name, email: parsed.data.email, password: parsed.data.password, role: "admin" }, "self");
  // Direct API call: the nextCookies plugin puts the session cookie on this response.
  await auth.api.signInEmail({ body: { email: parsed.data.email, password: parsed.data.password }, headers: h });
  redirect("/");
}
