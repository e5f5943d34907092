"use client";

import type { CurationState, FieldChange } from "@/db/queries/curation";
import { displayValue } from "@/lib/incidents/format";
import { CURATED_FIELD_LABELS, sameValue, type CuratedField, type CurationValues } from "@/lib/validation/curation";

export type Choice = "mine" | "theirs";

/**
 * Someone saved first. For every field they changed: what you have, what they saved,
 * and a choice. Nothing is lost: your values stay in the form until you decide.
 */
export function ConflictPanel({
  current,
  changedSince,
  mine,
  base,
  choices,
  onChoose,
  onResolve,
  onCancel,
  pending,
  timezone,
}: {
  current: CurationState;
  changedSince: FieldChange[];
  mine: CurationValues;
  base: CurationValues;
  choices: Partial<Record<CuratedField, Choice>>;
  onChoose: (field: CuratedField, choice: Choice) => void;
  onResolve: () => void;
  onCancel: () => void;
  pending: boolean;
  timezone: string;
}) {
  const theirFields = [...new Set(changedSince.map((c) => c.field))].filter((f) => !sameValue(base[f], current[f]) || changedSince.some((c) => c.field === f));
  const who = [...new Set(changedSince.map((c) => c.by))].join(", ") || current.updatedBy || "someone";
  return (
    <section className="alert alert--warning" role="alert" aria-labelledby="conflict-heading" data-testid="conflict">
      <h2 id="conflict-heading">{who} saved this incident while you were editing</h2>
      <p>
        Nothing of yours was saved yet, and nothing is lost. For each field they changed, keep yours or take theirs, then save again
        (your other changes are kept).
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Yours</th>
            <th scope="col">Theirs</th>
            <th scope="col">Keep</th>
          </tr>
        </thead>
        <tbody>
          {theirFields.map((f) => {
            const name = `choice-${f}`;
            return (
              <tr key={f} data-field={f}>
                <th scope="row">{CURATED_FIELD_LABELS[f]}</th>
                <td>{displayValue(f, mine[f], timezone)}</td>
                <td>{displayValue(f, current[f], timezone)}</td>
                <td>
                  <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
                    <legend className="sr-only">Keep for {CURATED_FIELD_LABELS[f]}</legend>
                    <label>
                      <input type="radio" name={name} checked={choices[f] === "mine"} onChange={() => onChoose(f, "mine")} /> Keep mine
                    </label>
                    <label>
                      <input type="radio" name={name} checked={choices[f] === "theirs"} onChange={() => onChoose(f, "theirs")} /> Take theirs
                    </label>
                  </fieldset>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="row">
        <button type="button" className="button button--primary" onClick={onResolve} disabled={pending}>
          {pending ? "Saving…" : "Save with these choices"}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={pending}>
          Discard my changes and reload theirs
        </button>
      </div>
    </section>
  );
}
