"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { setupCodeFailures } from "@/db/queries/sign-in-config";
import { defineFormAction, fail, issueErrors } from "@/server/actions";
import { createAccount } from "@/server/auth/accounts";
import { usersExist } from "@/server/auth/identify";
import { getAuth } from "@/server/auth/instance";
import { clearSetupCode, isSetupCode } from "@/server/auth/setup-code";
import { clientAddress } from "@/lib/auth/client-address";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { emailSchema, nameSchema, passwordSchema } from "@/lib/auth/schemas";
import { SETUP_CODE_LIMITS, setupCodeAllowed } from "@/lib/auth/setup-throttle";

const setupSchema = z
  .object({
    code: z.string().trim().min(1, "Enter the setup code from the server's output").max(40, "That is not a setup code"),
    name: nameSchema,
    email: emailSchema,
    password: passwordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });

/** First run only: checks the one-time setup code, creates the first admin and signs them in. */
export const setupAction = defineFormAction({
  role: "public",
  fields: ["code", "name", "email", "password", "confirm"],
  keep: ["name", "email"],
  schema: z.unknown(),
  handler: async (input) => {
    const h = await headers();
    if (!isSameOriginRequest(h)) return fail("Cross-site request refused.");
    if (usersExist()) redirect("/sign-in");
    const parsed = setupSchema.safeParse(input);
    if (!parsed.success) return fail("Check the highlighted fields.", issueErrors(parsed.error.issues));
    const db = getDb();
    const ip = clientAddress(h);
    const now = Date.now();
    if (!setupCodeAllowed(setupCodeFailures(db, ip, now - SETUP_CODE_LIMITS.windowMs))) {
      recordAudit(db, { actor: { id: null, label: "setup" }, action: "auth.setup_refused", detail: { reason: "TOO_MANY_WRONG_CODES" }, ip });
      return fail(`Too many wrong setup codes. Wait ${SETUP_CODE_LIMITS.windowMs / 60_000} minutes, then copy the code from the server's output again.`, { code: ["Too many wrong codes; wait and try again"] });
    }
    if (!isSetupCode(parsed.data.code)) {
      recordAudit(db, { actor: { id: null, label: "setup" }, action: "auth.setup_code_failed", ip });
      return fail("Check the highlighted fields.", { code: ["That is not the setup code. Copy it from the output of npm start (or the file .setup-code next to the database)"] });
    }
    const auth = getAuth();
    await createAccount(auth, db, { name: parsed.data.name, email: parsed.data.email, password: parsed.data.password, role: "admin" }, "self");
    clearSetupCode();
    // Direct API call: the nextCookies plugin puts the session cookie on this response.
    await auth.api.signInEmail({ body: { email: parsed.data.email, password: parsed.data.password }, headers: h });
    redirect("/");
  },
});
