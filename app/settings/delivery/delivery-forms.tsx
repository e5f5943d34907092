"use client";

import { useActionState, useState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf, type ActionResult, type FormActionState } from "@/lib/actions/result";
import { CHANNEL_KIND_LABELS, SMTP_SECURITY, type ChannelKindName } from "@/lib/delivery/channels";
import { WEEKDAYS } from "@/lib/delivery/schedule";
import { EVENT_TYPES } from "@/lib/delivery/webhooks";
import { saveAlertsAction, saveAppUrlAction, saveChannelAction, saveScheduleAction } from "./actions";
import type { AlertsConfig } from "@/lib/delivery/alerts";

type FormAction = (prev: FormActionState, form: FormData) => Promise<ActionResult>;

function FieldError({ errors, id }: { errors?: string[]; id?: string }) {
  return errors?.length ? (
    <span className="field-error" role="alert" id={id}>
      {errors.join(" ")}
    </span>
  ) : null;
}

export function AppUrlForm({ initial }: { initial: string }) {
  const [state, action, pending] = useActionState(saveAppUrlAction, null);
  return (
    <form action={action} noValidate>
      <FormMessage ok={state?.ok} message={state?.message} />
      <FormField
        name="appUrl"
        label="Public URL"
        type="url"
        placeholder="https://deploy-safety.example.com"
        defaultValue={state?.values?.appUrl ?? initial}
        key={state?.values?.appUrl ?? initial}
        errors={fieldErrorsOf(state).appUrl}
        hint="The address people open the app at. Links in summaries, PDFs and messages start with it. Blank clears it."
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Saving…" : "Save public URL"}
      </button>
    </form>
  );
}

export function ChannelForm() {
  const [state, action, pending] = useActionState(saveChannelAction, null);
  const [kind, setKind] = useState<ChannelKindName>("slack");
  const err = (k: string) => fieldErrorsOf(state)[k];
  const v = (k: string, d = "") => state?.values?.[k] ?? d;
  return (
    <form action={action} noValidate aria-label="Add a channel" key={state?.ok ? `saved-${state.message}` : "form"}>
      <FormMessage ok={state?.ok} message={state?.message} />
      <input type="hidden" name="id" value="" />
      <div className="form-grid">
        <div className="field">
          <label htmlFor="f-kind">Kind</label>
          <select id="f-kind" name="kind" value={kind} onChange={(e) => setKind(e.target.value as ChannelKindName)}>
            {Object.entries(CHANNEL_KIND_LABELS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
          <FieldError errors={err("kind")} />
        </div>
        <FormField name="name" label="Name" defaultValue={v("name")} errors={err("name")} hint="How schedules and the log name it, e.g. #sre-leads" autoComplete="off" />
        {kind === "webhook" ? (
          <>
            <FormField name="url" label="Endpoint URL" type="url" defaultValue={v("url")} errors={err("url")} hint="Where events are POSTed (https)" autoComplete="off" spellCheck={false} />
            <FormField
              name="secret"
              label="Signing secret (optional)"
              type="password"
              errors={err("secret")}
              hint="Blank: one is generated and shown once. Requests carry Deploy-Safety-Signature (see docs/delivery.md)."
              autoComplete="new-password"
            />
            <fieldset className="field">
              <legend>Events</legend>
              {EVENT_TYPES.map((e) => (
                <label key={e} style={{ display: "block" }}>
                  <input type="checkbox" name="events" value={e} defaultChecked /> {e}
                </label>
              ))}
              <FieldError errors={err("events")} />
            </fieldset>
          </>
        ) : kind === "email" ? (
          <>
            <FormField name="host" label="SMTP host" defaultValue={v("host")} errors={err("host")} autoComplete="off" spellCheck={false} />
            <FormField name="port" label="Port" type="number" min={1} max={65535} defaultValue={v("port", "587")} errors={err("port")} />
            <div className="field">
              <label htmlFor="f-security">Security</label>
              <select id="f-security" name="security" defaultValue={v("security", "starttls")}>
                {SMTP_SECURITY.map((s) => (
                  <option key={s} value={s}>
                    {s === "starttls" ? "STARTTLS (port 587)" : s === "tls" ? "TLS (port 465)" : "none (a relay on this network)"}
                  </option>
                ))}
              </select>
              <FieldError errors={err("security")} />
            </div>
            <FormField name="user" label="User name (optional)" defaultValue={v("user")} errors={err("user")} autoComplete="off" />
            <FormField name="secret" label="Password" type="password" errors={err("secret")} hint="Stored encrypted; never shown again." autoComplete="new-password" />
            <FormField name="from" label="From" defaultValue={v("from")} errors={err("from")} hint="e.g. Deploy Safety <ds@example.com>" autoComplete="off" />
            <FormField name="to" label="To" defaultValue={v("to")} errors={err("to") ?? Object.entries(fieldErrorsOf(state)).filter(([k]) => k.startsWith("to.")).flatMap(([, m]) => m)} hint="Addresses separated by commas" autoComplete="off" />
          </>
        ) : (
          <FormField
            name="secret"
            label="Incoming webhook URL"
            type="password"
            errors={err("secret")}
            hint={kind === "slack" ? "Slack: Apps → Incoming Webhooks → Add New Webhook; stored encrypted, never shown again." : "Teams: a channel's Workflows → “Post to a channel when a webhook request is received”; stored encrypted."}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Saving…" : "Add channel"}
      </button>
    </form>
  );
}

export function ScheduleForm({ channels, defaultTimezone }: { channels: { id: number; name: string }[]; defaultTimezone: string }) {
  const [state, action, pending] = useActionState(saveScheduleAction, null);
  const err = (k: string) => fieldErrorsOf(state)[k];
  const v = (k: string, d = "") => state?.values?.[k] ?? d;
  return (
    <form action={action} noValidate aria-label="Add a schedule" key={state?.ok ? `saved-${state.message}` : "form"}>
      <FormMessage ok={state?.ok} message={state?.message} />
      <div className="form-grid">
        <FormField id="f-schedule-name" name="name" label="Name" defaultValue={v("name", "Weekly digest")} errors={err("name")} autoComplete="off" />
        <div className="field">
          <label htmlFor="f-schedule-kind">Sends</label>
          <select id="f-schedule-kind" name="kind" defaultValue={v("kind", "digest")}>
            <option value="digest">the weekly digest</option>
            <option value="report">the quarterly report when published</option>
          </select>
          <FieldError errors={err("kind")} />
        </div>
        <div className="field">
          <label htmlFor="f-weekday">Day</label>
          <select id="f-weekday" name="weekday" defaultValue={v("weekday", "1")}>
            {WEEKDAYS.map((d, i) => (
              <option key={d} value={String(i + 1)}>
                {d}
              </option>
            ))}
          </select>
          <FieldError errors={err("weekday")} />
        </div>
        <FormField id="f-schedule-hour" name="hour" label="Hour (0–23)" type="number" min={0} max={23} defaultValue={v("hour", "9")} errors={err("hour")} />
        <FormField id="f-schedule-timezone" name="timezone" label="Time zone (IANA)" defaultValue={v("timezone", defaultTimezone)} errors={err("timezone")} autoComplete="off" spellCheck={false} />
      </div>
      <fieldset className="field" aria-describedby={err("channelIds") ? "f-channelIds-error" : undefined}>
        <legend>Channels</legend>
        {channels.length === 0 ? <p className="muted small">No channel yet: an admin adds one above.</p> : null}
        {channels.map((c) => (
          <label key={c.id} style={{ display: "block" }}>
            <input type="checkbox" name="channelIds" value={String(c.id)} /> {c.name}
          </label>
        ))}
        <FieldError errors={err("channelIds")} id="f-channelIds-error" />
      </fieldset>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Saving…" : "Add schedule"}
      </button>
    </form>
  );
}

/** One button posting a row's id to an action, with the action's answer beside it. */
export function RowButton({ action, id, label, pendingLabel, danger }: { action: FormAction; id: number; label: string; pendingLabel: string; danger?: boolean }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} style={{ display: "inline-block", marginRight: "0.5rem" }}>
      <input type="hidden" name="id" value={String(id)} />
      <button type="submit" className={`button button--small${danger ? " button--danger" : ""}`} disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
      {state?.message ? (
        <span className={`small ${state.ok ? "" : "field-error"}`} role={state.ok ? "status" : "alert"} style={{ marginLeft: "0.5rem" }}>
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

export function AlertsForm({ initial, channels }: { initial: AlertsConfig; channels: { id: number; name: string }[] }) {
  const [state, action, pending] = useActionState(saveAlertsAction, null);
  const err = (k: string) => fieldErrorsOf(state)[k];
  return (
    <form action={action} noValidate aria-label="Alerts">
      <FormMessage ok={state?.ok} message={state?.message} />
      <div className="field">
        <label>
          <input type="checkbox" name="forecastOverTarget" value="on" defaultChecked={initial.forecastOverTarget} /> The quarter&apos;s forecast goes over its target
        </label>
      </div>
      <div className="form-grid">
        <FormField
          id="f-alert-hours"
          name="incidentHours"
          label="One incident adds more than (hours)"
          type="number"
          min={0}
          step="any"
          defaultValue={state?.values?.incidentHours ?? (initial.incidentHours === null ? "" : String(initial.incidentHours))}
          errors={err("incidentHours")}
          hint="Blank: off"
        />
        <FormField
          id="f-alert-days"
          name="untriagedDays"
          label="Untriaged for more than (days)"
          type="number"
          min={0}
          step="any"
          defaultValue={state?.values?.untriagedDays ?? (initial.untriagedDays === null ? "" : String(initial.untriagedDays))}
          errors={err("untriagedDays")}
          hint="Blank: off"
        />
      </div>
      <fieldset className="field">
        <legend>Send alerts to</legend>
        {channels.map((c) => (
          <label key={c.id} style={{ display: "block" }}>
            <input type="checkbox" name="channelIds" value={String(c.id)} defaultChecked={initial.channelIds.includes(c.id)} /> {c.name}
          </label>
        ))}
        <FieldError errors={err("channelIds")} />
      </fieldset>
      <p className="small muted">Each alert fires once per cause: once per quarter whose forecast crosses its target, once per incident.</p>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Saving…" : "Save alerts"}
      </button>
    </form>
  );
}
