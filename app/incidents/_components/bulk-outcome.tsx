"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import type { BulkConflict } from "@/db/queries/curation";
import { CURATED_FIELD_LABELS } from "@/lib/validation/curation";

/** What the last bulk edit did (on the list with query string `search`): applied, or refused for a conflict. */
export type BulkOutcomeState =
  | { kind: "applied"; search: string; message: string; ids: number[]; leftFilter: number[] }
  | { kind: "conflict"; search: string; message: string; conflicts: BulkConflict[] };

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : Array.isArray(v) ? v.join(", ") || "—" : String(v));

/**
 * The confirmation after a bulk edit, so rows that no longer match the filter don't
 * vanish unexplained, and the refusal when someone saved a selected incident first.
 * Lives in a live region that stays mounted, so screen readers hear each outcome.
 */
export function BulkOutcome({
  outcome,
  reloading,
  onReload,
  onDismiss,
}: {
  outcome: BulkOutcomeState | null;
  reloading: boolean;
  onReload: () => void;
  onDismiss: () => void;
}) {
  // A refused edit moves focus to its way out, so a keyboard user lands on "Reload the list".
  const reloadRef = useRef<HTMLButtonElement>(null);
  const conflict = outcome?.kind === "conflict" ? outcome : null;
  useEffect(() => {
    if (conflict) reloadRef.current?.focus();
  }, [conflict]);
  return (
    <>
      <div role="status" aria-live="polite" aria-atomic="true">
        {outcome?.kind === "applied" ? (
          <div className="alert alert--success" data-testid="bulk-result">
            <span>{outcome.message}</span>
            {outcome.leftFilter.length ? (
              <>
                {" "}
                <Link href={`/incidents?ids=${outcome.leftFilter.join(",")}`}>
                  Show the {outcome.leftFilter.length === 1 ? "incident" : `${outcome.leftFilter.length} incidents`} no longer in this list
                </Link>
              </>
            ) : null}
            {" · "}
            <Link href={`/incidents?ids=${outcome.ids.join(",")}`}>Show all {outcome.ids.length} edited</Link>
            {" · "}
            <button type="button" className="link-button" onClick={onDismiss}>
              Dismiss
            </button>
          </div>
        ) : null}
      </div>
      <div role="alert">
        {outcome?.kind === "conflict" ? (
          <div className="alert alert--error" data-testid="bulk-conflict">
            <p>
              <strong>{outcome.message}</strong>
            </p>
            <ul>
              {outcome.conflicts.map((c) => (
                <li key={c.incidentId} data-incident-id={c.incidentId}>
                  <Link href={`/incidents/${c.incidentId}`}>{c.sourceId}</Link> {c.title}: changed by {c.changedBy.join(", ") || "someone"} (you saw version {c.yourVersion}, now{" "}
                  {c.currentVersion})
                  {c.changedSince.length ? (
                    <ul>
                      {c.changedSince.map((f, k) => (
                        <li key={k}>
                          {CURATED_FIELD_LABELS[f.field] ?? f.field}: {show(f.from)} → {show(f.to)} ({f.by})
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
            <p className="row">
              <button ref={reloadRef} type="button" className="button button--primary" onClick={onReload} disabled={reloading}>
                {reloading ? "Reloading…" : "Reload the list"}
              </button>
              <span className="small">Your selection and choices are kept: check the changes above, then apply again.</span>
            </p>
          </div>
        ) : null}
      </div>
    </>
  );
}
