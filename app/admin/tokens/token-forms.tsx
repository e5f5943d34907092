"use client";

import { useActionState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { ROLES } from "@/lib/auth/roles";
import { createTokenAction, revokeTokenAction } from "./actions";

export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, null);
  const e = fieldErrorsOf(state);
  return (
    <form action={action} noValidate>
      <FormMessage ok={state?.ok} message={state?.message} />
      {(state?.ok ? state.data.token : undefined) ? (
        <div className="field">
          <label htmlFor="new-token">New token</label>
          <input id="new-token" type="text" readOnly value={(state?.ok ? state.data.token : undefined)} className="mono" onFocus={(ev) => ev.currentTarget.select()} data-testid="new-token" />
          <span className="hint">Send it as <code>Authorization: Bearer &lt;token&gt;</code>.</span>
        </div>
      ) : null}
      <div className="form-grid">
        <FormField name="name" label="Name" required hint="What uses it, e.g. ci-deploys." defaultValue={state?.ok ? "" : state?.values?.name} errors={e.name} key={`n${(state?.ok ? state.data.token : undefined) ?? ""}`} />
        <div className="field">
          <label htmlFor="f-token-role">Role</label>
          <select id="f-token-role" name="role" defaultValue={state?.values?.role || "editor"}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {e.role ? <span className="field-error">{e.role.join(" ")}</span> : null}
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}

export function RevokeTokenForm({ id, name }: { id: number; name: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, null);
  return (
    <form action={action} className="row">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="button button--small button--danger" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </button>
      {state?.message && !state?.ok ? <span className="field-error">{state?.message}</span> : null}
    </form>
  );
}
