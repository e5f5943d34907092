"use client";

import { useActionState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { ROLES, type Role } from "@/lib/auth/roles";
import styles from "./users.module.css";
import { changeRoleAction, createUserAction, setDisabledAction, setPasswordAction } from "./actions";

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, null);
  const e = fieldErrorsOf(state);
  return (
    <form action={action} noValidate>
      <FormMessage ok={state?.ok} message={state?.message} />
      <div className="form-grid">
        <FormField name="name" label="Name" required defaultValue={state?.ok ? "" : state?.values?.name} errors={e.name} key={`n${state?.ok}`} />
        <FormField name="email" label="Email" type="email" required autoComplete="off" defaultValue={state?.ok ? "" : state?.values?.email} errors={e.email} key={`e${state?.ok}`} />
        <div className="field">
          <label htmlFor="f-role">Role</label>
          <select id="f-role" name="role" defaultValue={state?.values?.role || "viewer"} aria-invalid={e.role ? true : undefined}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {e.role ? <span className="field-error">{e.role.join(" ")}</span> : null}
        </div>
        <FormField name="password" label="Initial password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters; they can change it on their account page." errors={e.password} />
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Creating…" : "Create account"}
      </button>
    </form>
  );
}

export function RoleForm({ userId, email, role }: { userId: string; email: string; role: Role }) {
  const [state, action, pending] = useActionState(changeRoleAction, null);
  return (
    <form action={action} className="row">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role for {email}
      </label>
      <select id={`role-${userId}`} name="role" defaultValue={role}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small" disabled={pending}>
        Change role
      </button>
      {state?.message ? (
        <span className={state?.ok ? "small" : "field-error"} role={state?.ok ? "status" : "alert"}>
          {state?.message}
        </span>
      ) : null}
    </form>
  );
}

export function DisableForm({ userId, email, disabled }: { userId: string; email: string; disabled: boolean }) {
  const [state, action, pending] = useActionState(setDisabledAction, null);
  return (
    <form action={action} className="row">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <button type="submit" className={`button button--small ${disabled ? "" : "button--danger"}`} disabled={pending} aria-label={`${disabled ? "Enable" : "Disable"} ${email}`}>
        {disabled ? "Enable" : "Disable"}
      </button>
      {state?.message && !state?.ok ? (
        <span className="field-error" role="alert">
          {state?.message}
        </span>
      ) : null}
    </form>
  );
}

/** "Set password" behind a disclosure, so the table stays one line per person until it is needed. */
export function SetPasswordForm({ userId, email }: { userId: string; email: string }) {
  const [state, action, pending] = useActionState(setPasswordAction, null);
  const e = fieldErrorsOf(state);
  return (
    <details className={styles.password}>
      <summary aria-label={`Set a new password for ${email}`}>Set password</summary>
      <form action={action} noValidate key={state?.ok ? state?.message : "form"}>
        <input type="hidden" name="userId" value={userId} />
        <FormField name="password" id={`pw-${userId}`} label="New password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters. Signs them out everywhere." errors={e.password} />
        <FormField name="confirm" id={`pwc-${userId}`} label="Repeat it" type="password" autoComplete="new-password" required errors={e.confirm} />
        <button type="submit" className="button button--small" disabled={pending}>
          {pending ? "Setting…" : "Set password"}
        </button>
      </form>
      <FormMessage ok={state?.ok} message={state?.message} />
    </details>
  );
}
