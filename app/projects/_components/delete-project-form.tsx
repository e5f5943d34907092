"use client";

import { useActionState, useState } from "react";
import { deleteProjectAction } from "../actions";

/** Delete with an explicit confirmation step. */
export function DeleteProjectForm({ slug, name }: { slug: string; name: string }) {
  const [state, action, pending] = useActionState(deleteProjectAction, null);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="button button--danger" onClick={() => setConfirming(true)}>
        Delete project…
      </button>
    );
  }
  return (
    <form action={action} className="row" aria-label={`Confirm deleting ${name}`}>
      <input type="hidden" name="slug" value={slug} />
      <span>Delete “{name}” and its attributions?</span>
      <button type="submit" className="button button--danger" disabled={pending} autoFocus>
        {pending ? "Deleting…" : "Yes, delete"}
      </button>
      <button type="button" className="button" onClick={() => setConfirming(false)}>
        Keep it
      </button>
      {state?.message ? (
        <span className="field-error" role="alert">
          {state?.message}
        </span>
      ) : null}
    </form>
  );
}
