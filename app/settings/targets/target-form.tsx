"use client";

import { useActionState, useState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { EMPTY_FORM_STATE } from "@/lib/auth/form-state";
import { setTargetAction } from "../actions";

export function TargetForm({ quarters, targets, defaultQuarter }: { quarters: string[]; targets: Record<string, number>; defaultQuarter: string }) {
  const [state, action, pending] = useActionState(setTargetAction, EMPTY_FORM_STATE);
  const [quarter, setQuarter] = useState(state.values?.quarter || defaultQuarter);
  const [hours, setHours] = useState(state.values?.hours ?? "");
  const prior = targets[quarter];
  const n = hours.trim() === "" ? null : Number(hours);
  const lowering = prior !== undefined && (n === null || (Number.isFinite(n) && n < prior));
  return (
    <form action={action} noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      <div className="form-grid">
        <div className="field">
          <label htmlFor="f-quarter">Quarter</label>
          <select id="f-quarter" name="quarter" value={quarter} onChange={(e) => setQuarter(e.target.value)} aria-invalid={state.errors?.quarter ? true : undefined}>
            {quarters.map((q) => (
              <option key={q} value={q}>
                {q}
                {targets[q] != null ? ` (now ${targets[q]} h)` : ""}
              </option>
            ))}
          </select>
          {state.errors?.quarter ? <span className="field-error" role="alert">{state.errors.quarter.join(" ")}</span> : null}
        </div>
        <FormField
          name="hours"
          label="Target hours"
          type="number"
          min={0}
          step="any"
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          errors={state.errors?.hours}
          hint={prior !== undefined ? `Currently ${prior} h. Leave empty to clear.` : "No target yet."}
        />
        <FormField
          name="note"
          label={lowering ? "Reason (required when lowering or clearing)" : "Note"}
          defaultValue={state.values?.note ?? ""}
          errors={state.errors?.note}
          hint="Kept in the target's history."
          maxLength={2000}
        />
      </div>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Saving…" : "Save target"}
      </button>
    </form>
  );
}
