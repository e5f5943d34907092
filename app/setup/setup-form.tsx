"use client";

import { useActionState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { setupAction } from "./actions";

export function SetupForm() {
  const [state, action, pending] = useActionState(setupAction, null);
  const e = fieldErrorsOf(state);
  return (
    <form action={action} noValidate>
      <FormMessage ok={state?.ok} message={state?.message} />
      <FormField name="code" label="Setup code" autoComplete="off" required spellCheck={false} hint="Printed by npm start in its output, e.g. ABCD-EFGH-JKLM." errors={e.code} />
      <FormField name="name" label="Name" autoComplete="name" required defaultValue={state?.values?.name} errors={e.name} />
      <FormField name="email" label="Email" type="email" autoComplete="username" required defaultValue={state?.values?.email} errors={e.email} />
      <FormField name="password" label="Password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." errors={e.password} />
      <FormField name="confirm" label="Confirm password" type="password" autoComplete="new-password" required errors={e.confirm} />
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Creating…" : "Create admin account"}
      </button>
    </form>
  );
}
