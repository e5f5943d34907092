"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { reviewAction } from "../actions";

/** A lead marks the tag reviewed (or withdraws it). */
export function ReviewControl({ incidentId, reviewed, triaged }: { incidentId: number; reviewed: boolean; triaged: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (!triaged) return <span className="muted small">Triage it before reviewing.</span>;
  return (
    <>
      <button
        type="button"
        className={`button button--small ${reviewed ? "" : "button--primary"}`}
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await reviewAction(incidentId, !reviewed);
            setError(res.ok ? null : res.message);
            router.refresh();
          })
        }
      >
        {pending ? "Saving…" : reviewed ? "Withdraw review" : "Mark tag reviewed"}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
