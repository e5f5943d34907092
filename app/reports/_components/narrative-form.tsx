"use client";

import { useActionState } from "react";
import { fieldErrorsOf } from "@/lib/actions/result";
import { saveNarrativeAction } from "../actions";

export function NarrativeForm({ quarter, narrative, maxChars }: { quarter: string; narrative: string; maxChars: number }) {
  const [state, action, pending] = useActionState(saveNarrativeAction, null);
  const errors = fieldErrorsOf(state).narrative ?? [];
  return (
    <form action={action} className="no-print" noValidate>
      <input type="hidden" name="quarter" value={quarter} />
      <div className="field">
        <label htmlFor="narrative">Program lead&apos;s narrative</label>
        <textarea
          id="narrative"
          name="narrative"
          rows={6}
          defaultValue={state?.values?.narrative ?? narrative}
          maxLength={maxChars}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby="narrative-hint"
          placeholder="What happened this quarter, what the figure means, what comes next."
        />
        <span className="hint" id="narrative-hint">
          Plain text; a blank line starts a new paragraph. Shown on the report, the PDF and the summary; frozen when you publish.
        </span>
        {errors.length ? <span className="field-error">{errors.join(" ")}</span> : null}
      </div>
      <div className="row">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? "Saving…" : "Save narrative"}
        </button>
        {state?.message ? (
          <span role="status" className={state?.ok ? "small" : "field-error"}>
            {state?.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
