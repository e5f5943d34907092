"use client";

import { useActionState, useState, type FormEvent } from "react";
import { FormMessage } from "@/app/account/_components/form-field";
import { PROJECT_FILE_MAX_BYTES } from "@/lib/api/body-limits";
import { fieldErrorsOf } from "@/lib/actions/result";
import { importProjectsAction } from "../actions";

/** Upload a CSV or JSON file of projects; every row is checked and nothing is written unless all are valid. */
export function ImportProjectsForm() {
  const [state, action, pending] = useActionState(importProjectsAction, null);
  const rowErrors = Object.entries(fieldErrorsOf(state)).filter(([k]) => k !== "file");
  // A body past the server actions' limit never reaches the action's own check (Next fails the whole action), so refuse it here.
  const [sizeError, setSizeError] = useState<string | null>(null);
  const checkSize = (e: FormEvent<HTMLFormElement>) => {
    const file = (e.currentTarget.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    const tooBig = !!file && file.size > PROJECT_FILE_MAX_BYTES;
    setSizeError(tooBig ? `The file is larger than ${PROJECT_FILE_MAX_BYTES / 1024} KB` : null);
    if (tooBig) e.preventDefault();
  };
  const fileError = sizeError ?? fieldErrorsOf(state).file?.join(" ");
  return (
    <form action={action} onSubmit={checkSize} className="stack" aria-label="Import projects">
      <FormMessage ok={state?.ok} message={state?.message} />
      {rowErrors.length ? (
        <ul className="small" data-testid="import-errors">
          {rowErrors.map(([field, messages]) => (
            <li key={field}>
              <code>{field.replace(/^rows\.(\d+)/, "row $1")}</code>: {messages.join(" ")}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="field">
        <label htmlFor="f-file">CSV or JSON file</label>
        <input id="f-file" name="file" type="file" accept=".csv,.json,text/csv,application/json" required aria-describedby="f-file-hint" aria-invalid={fileError ? true : undefined} />
        <span id="f-file-hint" className="hint">
          Columns (or JSON keys): slug, name, owner_team, description, status (planned, in_progress, delivered, curtailed), delivered_on (YYYY-MM-DD),
          scope_services, scope_deploy_systems, scope_change_types (separated by ;), lag_min_months, lag_max_months, expected_effect_hours. An existing slug is
          updated.
        </span>
        {fileError ? (
          <span className="field-error" role="alert">
            {fileError}
          </span>
        ) : null}
      </div>
      <div>
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Importing…" : "Import projects"}
        </button>
      </div>
    </form>
  );
}
