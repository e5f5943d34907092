"use client";

import { useActionState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { DEFAULT_ROLES } from "@/lib/auth/oidc-access";
import { deleteProviderAction, saveProviderAction, setLocalPasswordsAction } from "./actions";

export interface ProviderValues {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  scopes: string;
  groupsClaim: string;
  allowedDomains: string;
  roleMap: string;
  defaultRole: string;
  enabled: boolean;
  hasSecret: boolean;
}

const BLANK: ProviderValues = { id: "", name: "", issuer: "", clientId: "", scopes: "openid email profile groups", groupsClaim: "groups", allowedDomains: "", roleMap: "", defaultRole: "none", enabled: true, hasSecret: false };

/** Adds a provider, or edits one (`initial`). The client secret is write-only: never sent back to the page. */
export function ProviderForm({ initial }: { initial?: ProviderValues }) {
  const [state, action, pending] = useActionState(saveProviderAction, null);
  const e = fieldErrorsOf(state);
  const v = { ...BLANK, ...initial, ...(state && !state.ok ? state.values : {}) } as Record<string, unknown>;
  const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
  const editing = !!initial;
  const p = editing ? `${initial.id}-` : "new-";
  return (
    <form action={action} noValidate data-testid={editing ? `provider-form-${initial.id}` : "provider-form-new"}>
      <FormMessage ok={state?.ok} message={state?.message} />
      <input type="hidden" name="mode" value={editing ? "edit" : "new"} />
      <div className="form-grid">
        {editing ? <input type="hidden" name="id" value={initial.id} /> : <FormField id={`${p}id`} name="id" label="Id" required hint="Part of the redirect URL, e.g. okta." defaultValue={str("id")} errors={e.id} />}
        <FormField id={`${p}name`} name="name" label="Button name" required hint='The button says "Sign in with <name>".' defaultValue={str("name")} errors={e.name} />
        <FormField id={`${p}issuer`} name="issuer" label="Issuer URL" required hint="Discovery is read from <issuer>/.well-known/openid-configuration." defaultValue={str("issuer")} errors={e.issuer} />
        <FormField id={`${p}clientId`} name="clientId" label="Client id" required defaultValue={str("clientId")} errors={e.clientId} />
        <FormField
          id={`${p}clientSecret`}
          name="clientSecret"
          label="Client secret"
          type="password"
          autoComplete="off"
          hint={initial?.hasSecret ? "A secret is stored (encrypted). Leave blank to keep it." : "Stored encrypted; never shown again."}
          errors={e.clientSecret}
        />
        <FormField id={`${p}scopes`} name="scopes" label="Scopes" defaultValue={str("scopes")} hint="openid is always asked for." errors={e.scopes} />
        <FormField id={`${p}groupsClaim`} name="groupsClaim" label="Groups claim" defaultValue={str("groupsClaim")} hint="e.g. groups, roles, realm_access.roles" errors={e.groupsClaim} />
        <FormField id={`${p}allowedDomains`} name="allowedDomains" label="Allowed email domains" defaultValue={str("allowedDomains")} hint="Comma-separated; blank lets any domain in." errors={e.allowedDomains} />
      </div>
      <div className="field">
        <label htmlFor={`${p}roleMap`}>Group → role mapping</label>
        <textarea id={`${p}roleMap`} name="roleMap" rows={4} defaultValue={str("roleMap")} aria-describedby={`${p}roleMap-hint`} />
        <span id={`${p}roleMap-hint`} className="hint">
          One per line: <code>group = viewer|editor|lead|admin</code>. The highest role among a person&apos;s groups wins.
        </span>
        {e.roleMap ? <span className="field-error" role="alert">{e.roleMap.join(" ")}</span> : null}
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${p}defaultRole`}>Everyone else</label>
          <select id={`${p}defaultRole`} name="defaultRole" defaultValue={str("defaultRole") || "none"}>
            {DEFAULT_ROLES.map((r) => (
              <option key={r} value={r}>
                {r === "none" ? "no access" : r}
              </option>
            ))}
          </select>
          {e.defaultRole ? <span className="field-error">{e.defaultRole.join(" ")}</span> : null}
        </div>
        <div className="field">
          <label>
            <input type="checkbox" name="enabled" defaultChecked={v.enabled === true || v.enabled === "on"} /> Enabled
          </label>
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Saving…" : editing ? "Save provider" : "Add provider"}
      </button>
    </form>
  );
}

export function DeleteProviderForm({ id }: { id: string }) {
  const [state, action, pending] = useActionState(deleteProviderAction, null);
  return (
    <form action={action} className="row">
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="button button--small button--danger" disabled={pending} aria-label={`Remove ${id}`}>
        Remove
      </button>
      {state?.message && !state.ok ? <span className="field-error">{state.message}</span> : null}
    </form>
  );
}

export function LocalPasswordsForm({ enabled, breakGlassUserId, admins }: { enabled: boolean; breakGlassUserId: string | null; admins: { id: string; email: string }[] }) {
  const [state, action, pending] = useActionState(setLocalPasswordsAction, null);
  const e = fieldErrorsOf(state);
  return (
    <form action={action} noValidate>
      <FormMessage ok={state?.ok} message={state?.message} />
      <div className="form-grid">
        <div className="field">
          <label htmlFor="f-passwords">Password sign-in</label>
          <select id="f-passwords" name="passwords" defaultValue={enabled ? "on" : "off"}>
            <option value="on">on for every account</option>
            <option value="off">off, except the break-glass admin</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-breakGlassUserId">Break-glass admin</label>
          <select id="f-breakGlassUserId" name="breakGlassUserId" defaultValue={breakGlassUserId ?? ""}>
            <option value="">(choose an admin with a password)</option>
            {admins.map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
              </option>
            ))}
          </select>
          {e.breakGlassUserId ? <span className="field-error" role="alert">{e.breakGlassUserId.join(" ")}</span> : null}
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
