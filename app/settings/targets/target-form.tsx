"use client";

import { useActionState, useState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { setTargetAction } from "../actions";
import { ChangePreview } from "../_components/change-preview";
import styles from "../_components/change-preview.module.css";

/**
 * Sets a quarter's target. After a refusal every field shows what was entered: React 19
 * resets a form after its action, so the quarter select is uncontrolled with the submitted
 * value as its default (remounted by `key` when that changes), and the local state the
 * hints read is re-synced from each new action result.
 */
export function TargetForm({ quarters, targets, defaultQuarter }: { quarters: string[]; targets: Record<string, number>; defaultQuarter: string }) {
  const [state, action, pending] = useActionState(setTargetAction, null);
  const submittedQuarter = state?.values?.quarter || defaultQuarter;
  const [quarter, setQuarter] = useState(submittedQuarter);
  const [hours, setHours] = useState(state?.values?.hours ?? "");
  const [seen, setSeen] = useState(state);
  if (seen !== state) {
    setSeen(state);
    setQuarter(submittedQuarter);
    setHours(state?.values?.hours ?? "");
  }
  const prior = targets[quarter];
  const n = hours.trim() === "" ? null : Number(hours);
  const lowering = prior !== undefined && (n === null || (Number.isFinite(n) && n < prior));
  const pendingPreview = state && !state.ok ? state.detail : undefined;
  const errors = fieldErrorsOf(state);
  return (
    <form action={action} noValidate>
      <FormMessage ok={state?.ok} message={state?.message} />
      <div className="form-grid">
        <div className="field">
          <label htmlFor="f-quarter">Quarter</label>
          <select
            key={`q-${submittedQuarter}`}
            id="f-quarter"
            name="quarter"
            defaultValue={submittedQuarter}
            onChange={(e) => setQuarter(e.target.value)}
            aria-invalid={errors.quarter ? true : undefined}
          >
            {quarters.map((q) => (
              <option key={q} value={q}>
                {q}
                {targets[q] != null ? ` (now ${targets[q]} h)` : ""}
              </option>
            ))}
          </select>
          {errors.quarter ? (
            <span className="field-error" role="alert">
              {errors.quarter!.join(" ")}
            </span>
          ) : null}
        </div>
        <FormField
          name="hours"
          label="Target hours"
          type="number"
          min={0}
          step="any"
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          errors={errors.hours}
          hint={prior !== undefined ? `${quarter} is now ${prior} h. Leave empty to clear.` : `${quarter} has no target yet.`}
        />
        <FormField
          key={`n-${state?.values?.note ?? ""}`}
          name="note"
          label={lowering ? "Reason (required when lowering or clearing)" : "Reason"}
          defaultValue={state?.values?.note ?? ""}
          errors={errors.note}
          hint="Kept in the target's history. Required for a quarter that has ended."
          maxLength={2000}
        />
      </div>
      {pendingPreview ? (
        <div className={styles.confirm} role="group" aria-labelledby="target-confirm-title" data-testid="target-confirm">
          <strong id="target-confirm-title">Confirm this change</strong>
          <ChangePreview rows={pendingPreview.preview} caption="The quarter has ended: its verdict has been read." />
          <input type="hidden" name="confirmFor" value={pendingPreview.confirmFor} />
          <div className={styles.actions}>
            <button type="submit" className="button button--primary" disabled={pending}>
              {pending ? "Saving…" : "Confirm and save"}
            </button>
            <span className="small muted">Changing a field asks again.</span>
          </div>
        </div>
      ) : (
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? "Saving…" : "Save target"}
        </button>
      )}
    </form>
  );
}
