"use client";

import { useActionState } from "react";
import { applySuggestedTargetAction } from "../actions";

/** Applies one suggestion as the quarter's target (the lead decides; history and audit are kept by setTarget). */
export function ApplyTargetButton({ quarter, hours, reasoning }: { quarter: string; hours: number; reasoning: string }) {
  const [state, action, pending] = useActionState(applySuggestedTargetAction, null);
  return (
    <form action={action} className="stack" style={{ gap: "0.25rem" }}>
      <input type="hidden" name="quarter" value={quarter} />
      <input type="hidden" name="hours" value={hours} />
      <input type="hidden" name="reasoning" value={reasoning} />
      <button type="submit" className="button button--small button--primary" disabled={pending} aria-label={`Apply ${hours} h as the target for ${quarter}`}>
        {pending ? "Applying…" : "Apply as target"}
      </button>
      {state?.message ? (
        <span className={state?.ok ? "small" : "field-error"} role={state?.ok ? "status" : "alert"}>
          {state?.message}
        </span>
      ) : null}
    </form>
  );
}
