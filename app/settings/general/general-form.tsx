"use client";

import { useActionState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import type { GeneralSettings } from "@/db/queries/general-settings";
import { fieldErrorsOf } from "@/lib/actions/result";
import { updateGeneralSettingsAction } from "../actions";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export function GeneralForm({ initial, timezones, canEdit }: { initial: GeneralSettings; timezones: string[]; canEdit: boolean }) {
  const [state, action, pending] = useActionState(updateGeneralSettingsAction, null);
  const v = (k: keyof GeneralSettings) => state?.values?.[k] ?? String(initial[k]);
  const err = (k: string) => fieldErrorsOf(state)[k];
  return (
    <form action={action} noValidate aria-describedby="general-help">
      <p id="general-help" className="muted small">
        Quarters start at local midnight on the 1st of their first month in the time zone below. Changing these moves quarter boundaries
        for every figure, including past ones (closed quarters keep their frozen figures).
      </p>
      <FormMessage ok={state?.ok} message={state?.message} />
      <fieldset disabled={!canEdit || pending} style={{ border: 0, padding: 0, margin: 0 }}>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="f-fiscalYearStartMonth">Fiscal year starts in</label>
            <select id="f-fiscalYearStartMonth" name="fiscalYearStartMonth" defaultValue={v("fiscalYearStartMonth")} key={`m-${v("fiscalYearStartMonth")}`} aria-invalid={err("fiscalYearStartMonth") ? true : undefined}>
              {MONTHS.map((m, i) => (
                <option key={m} value={String(i + 1)}>
                  {m}
                </option>
              ))}
            </select>
            {err("fiscalYearStartMonth") ? <span className="field-error" role="alert">{err("fiscalYearStartMonth")!.join(" ")}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="f-fiscalYearLabel">Fiscal year is named by</label>
            <select id="f-fiscalYearLabel" name="fiscalYearLabel" defaultValue={v("fiscalYearLabel")} key={`l-${v("fiscalYearLabel")}`}>
              <option value="end">the calendar year it ends in</option>
              <option value="start">the calendar year it starts in</option>
            </select>
            {err("fiscalYearLabel") ? <span className="field-error" role="alert">{err("fiscalYearLabel")!.join(" ")}</span> : null}
          </div>
          <FormField
            name="timezone"
            label="Time zone (IANA)"
            defaultValue={v("timezone")}
            key={`tz-${v("timezone")}`}
            list="tz-list"
            errors={err("timezone")}
            hint="e.g. UTC, Europe/London, America/Los_Angeles"
            autoComplete="off"
            spellCheck={false}
          />
          <FormField
            name="maturityDays"
            label="Maturity (days)"
            type="number"
            min={0}
            max={3650}
            defaultValue={v("maturityDays")}
            key={`md-${v("maturityDays")}`}
            errors={err("maturityDays")}
            hint="A quarter stays provisional at least this many days after it ends, and longer while any of its incidents is untriaged, awaiting impact analysis or ongoing."
          />
          <FormField
            name="deployWindowMinutes"
            label="Deploy suggestion window (minutes)"
            type="number"
            min={0}
            max={10080}
            defaultValue={v("deployWindowMinutes")}
            key={`dw-${v("deployWindowMinutes")}`}
            errors={err("deployWindowMinutes")}
            hint="A deploy that finished this long before impact began suggests “change-triggered” in triage."
          />
          <FormField
            name="causeWindowHours"
            label="Causing-change window (hours)"
            type="number"
            min={1}
            max={720}
            defaultValue={v("causeWindowHours")}
            key={`cw-${v("causeWindowHours")}`}
            errors={err("causeWindowHours")}
            hint="An incident's page offers the deploys of its services that finished this long before the impact as its possible cause."
          />
          <FormField
            name="rollbackWindowHours"
            label="Rollback window (hours)"
            type="number"
            min={1}
            max={720}
            defaultValue={v("rollbackWindowHours")}
            key={`rw-${v("rollbackWindowHours")}`}
            errors={err("rollbackWindowHours")}
            hint="A rollback counts the service's latest deployment as failed if it finished at most this long before (change fail rate)."
          />
        </div>
        <datalist id="tz-list">
          {timezones.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
        {canEdit ? (
          <button type="submit" className="button button--primary">
            {pending ? "Saving…" : "Save settings"}
          </button>
        ) : null}
      </fieldset>
    </form>
  );
}
