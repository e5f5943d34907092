"use client";

import { useActionState } from "react";
import { FormMessage } from "@/app/account/_components/form-field";
import { EMPTY_FORM_STATE } from "@/lib/auth/form-state";
import { removeDemoDataAction } from "../actions";

export function RemoveDemoForm() {
  const [state, action, pending] = useActionState(removeDemoDataAction, EMPTY_FORM_STATE);
  return (
    <form action={action}>
      <FormMessage ok={state.ok} message={state.message} />
      <div className="field">
        <label>
          <input type="checkbox" name="confirm" value="yes" aria-invalid={state.errors?.confirm ? true : undefined} /> I understand the demo incidents, projects,
          deploys and targets will be deleted
        </label>
        {state.errors?.confirm ? <span className="field-error" role="alert">{state.errors.confirm.join(" ")}</span> : null}
      </div>
      <button type="submit" className="button button--danger" disabled={pending}>
        {pending ? "Removing…" : "Remove demo data"}
      </button>
    </form>
  );
}
