"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { fieldErrorsOf } from "@/lib/actions/result";
import { publishReportAction } from "../actions";

/** Publish with an explicit confirmation; on success opens the new version's permanent link. */
export function PublishForm({ quarter, nextVersion }: { quarter: string; nextVersion: number }) {
  const [state, action, pending] = useActionState(publishReportAction, null);
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) router.push(`/reports/${quarter}?version=${state.data.version}`);
  }, [state, quarter, router]);
  const confirmErrors = fieldErrorsOf(state).confirm ?? [];
  return (
    <form action={action} className="no-print" noValidate>
      <input type="hidden" name="quarter" value={quarter} />
      <p className="small muted">
        Publishing freezes {quarter}&apos;s figure, contributions and this narrative as version {nextVersion}, at a permanent link. Later tag changes show as a
        restatement instead of changing it.
      </p>
      <div className="field">
        <label className="row" style={{ fontWeight: 400 }}>
          <input type="checkbox" name="confirm" value="yes" aria-invalid={confirmErrors.length ? true : undefined} />
          I have reviewed the figures and want to publish version {nextVersion}
        </label>
        {confirmErrors.length ? <span className="field-error">{confirmErrors.join(" ")}</span> : null}
      </div>
      <div className="row">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? "Publishing…" : `Publish ${quarter}`}
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
