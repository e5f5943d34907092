"use client";

import { useActionState } from "react";
import { FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { removeDemoDataAction } from "../actions";

export function RemoveDemoForm() {
  const [state, action, pending] = useActionState(removeDemoDataAction, null);
  return (
    <form action={action}>
      <FormMessage ok={state?.ok} message={state?.message} />
      <div className="field">
        <label>
          <input type="checkbox" name="confirm" value="yes" aria-invalid={fieldErrorsOf(state).confirm ? true : undefined} /> I understand the demo incidents, projects,
          deploys and targets will be deleted
        </label>
        {fieldErrorsOf(state).confirm ? <span className="field-error" role="alert">{fieldErrorsOf(state).confirm!.join(" ")}</span> : null}
      </div>
      <button type="submit" className="button button--danger" disabled={pending}>
        {pending ? "Removing…" : "Remove demo data"}
      </button>
    </form>
  );
}
