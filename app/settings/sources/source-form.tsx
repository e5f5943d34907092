"use client";

import { useActionState, useState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { saveSourceAction } from "./actions";

export interface KindOption {
  value: string;
  label: string;
  defaultBaseUrl: string;
  needsCredential: boolean;
  scopeHint: string;
}

export interface SourceFormValues {
  originalName: string;
  name: string;
  kind: string;
  baseUrl: string;
  scope: string;
  everyMinutes: string;
  enabled: boolean;
}

/** Add or edit one source. The credential and webhook secret are write-only: blank keeps what is stored. */
export function SourceForm({ kinds, initial, hasCredential, hasWebhookSecret }: { kinds: KindOption[]; initial: SourceFormValues; hasCredential: boolean; hasWebhookSecret: boolean }) {
  const [state, action, pending] = useActionState(saveSourceAction, null);
  const values = state && !state.ok ? state.values : undefined;
  const v = (k: keyof SourceFormValues) => values?.[k] ?? String(initial[k]);
  const [kind, setKind] = useState(v("kind"));
  const info = kinds.find((k) => k.value === kind) ?? kinds[0];
  const err = (k: string) => fieldErrorsOf(state)[k];
  const idp = initial.originalName ? `${initial.originalName}-` : "new-";
  return (
    <form action={action} noValidate aria-label={initial.originalName ? `Edit ${initial.originalName}` : "Add a source"}>
      <FormMessage ok={state?.ok} message={state?.message} />
      <input type="hidden" name="originalName" value={initial.originalName} />
      <div className="form-grid">
        <FormField id={`${idp}name`} name="name" label="Name" defaultValue={v("name")} errors={err("name")} hint="Lower-case letters, digits, dashes; the webhook address is /api/webhooks/<name>." autoComplete="off" spellCheck={false} />
        <div className="field">
          <label htmlFor={`${idp}kind`}>Kind</label>
          <select id={`${idp}kind`} name="kind" value={kind} onChange={(e) => setKind(e.target.value)} aria-invalid={err("kind") ? true : undefined}>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
          {err("kind") ? <span className="field-error" role="alert">{err("kind")!.join(" ")}</span> : null}
        </div>
        <FormField id={`${idp}baseUrl`} name="baseUrl" label="Base URL" defaultValue={v("baseUrl")} placeholder={info.defaultBaseUrl} errors={err("baseUrl")} hint={`Empty: ${info.defaultBaseUrl}. A proxy or a test server goes here.`} autoComplete="off" spellCheck={false} />
        <FormField
          id={`${idp}credential`}
          name="credential"
          label={info.needsCredential ? "API key or token" : "API key or token (not needed)"}
          type="password"
          autoComplete="off"
          errors={err("credential")}
          hint={hasCredential ? "Stored (write-only). Leave blank to keep it; type a new one to replace it." : info.needsCredential ? "Stored encrypted and never shown again." : "This kind reads a public API."}
        />
        <FormField id={`${idp}scope`} name="scope" label="Scope" defaultValue={v("scope")} errors={err("scope")} hint={info.scopeHint} autoComplete="off" spellCheck={false} />
        <FormField id={`${idp}everyMinutes`} name="everyMinutes" label="Sync every (minutes)" type="number" min={1} max={10080} defaultValue={v("everyMinutes")} errors={err("everyMinutes")} />
        <FormField
          id={`${idp}webhookSecret`}
          name="webhookSecret"
          label="Webhook signing secret"
          type="password"
          autoComplete="off"
          errors={err("webhookSecret")}
          hint={hasWebhookSecret ? "Stored (write-only). Leave blank to keep it." : "The secret the sender signs webhooks with; needed only for webhooks."}
        />
        <div className="field">
          <label>
            <input type="checkbox" name="enabled" defaultChecked={values ? values.enabled === "on" : initial.enabled} /> On (syncs on its schedule, accepts webhooks)
          </label>
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>
        {initial.originalName ? "Save" : "Add source"}
      </button>
    </form>
  );
}
