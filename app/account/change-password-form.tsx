"use client";

import { useActionState } from "react";
import { fieldErrorsOf } from "@/lib/actions/result";
import { changePasswordAction } from "./actions";
import { FormField, FormMessage } from "./_components/form-field";

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, null);
  return (
    <form action={action} noValidate>
      <FormMessage ok={state?.ok} message={state?.message} />
      <FormField name="currentPassword" label="Current password" type="password" autoComplete="current-password" required errors={fieldErrorsOf(state).currentPassword} />
      <FormField name="newPassword" label="New password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." errors={fieldErrorsOf(state).newPassword} />
      <FormField name="confirm" label="Confirm new password" type="password" autoComplete="new-password" required errors={fieldErrorsOf(state).confirm} />
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
