"use client";

import { formatInstant } from "@/lib/incidents/format";
import type { Suggestions } from "@/lib/suggestions";
import type { FormValues } from "./form-model";

/** Suggestions with their evidence. Applying one only fills the form; a person saves. */
export function SuggestionPanel({
  suggestions: s,
  windowMinutes,
  form,
  canTag,
  timezone,
  onApply,
}: {
  suggestions: Suggestions;
  windowMinutes: number;
  form: FormValues;
  canTag: boolean;
  timezone: string;
  onApply: (patch: Partial<FormValues>) => void;
}) {
  const none = s.text.length === 0 && s.deploys.length === 0;
  return (
    <section className="card" aria-labelledby="suggest-heading" data-testid="suggestions">
      <div className="card__header">
        <h2 id="suggest-heading">Suggestions</h2>
        {s.trigger ? <span className="badge badge--info">Suggests {s.trigger === "change" ? "change-triggered" : "not change-triggered"}</span> : null}
      </div>
      {none ? (
        <p className="muted small">
          No text rule matched and no deploy to these services finished in the {windowMinutes} minutes before the impact started.
        </p>
      ) : null}
      {s.deploys.length ? (
        <ul className="stack" style={{ paddingLeft: "1.1rem" }}>
          {s.deploys.map((d) => (
            <li key={d.deploy.id}>
              <span>{d.evidence}</span> <span className="muted small">({formatInstant(d.deploy.finishedAt, timezone)})</span>
              {canTag ? (
                <div className="row">
                  {form.linkedDeployId === d.deploy.id ? (
                    <>
                      <span className="badge badge--success">Linked (save to keep)</span>
                      <button type="button" className="button button--small" onClick={() => onApply({ linkedDeployId: null })}>
                        Unlink
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => onApply({ linkedDeployId: d.deploy.id, ...(form.deploySystem ? {} : { deploySystem: d.deploy.deploySystem ?? "" }) })}
                    >
                      Link this deploy
                    </button>
                  )}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {s.text.length ? (
        <ul style={{ paddingLeft: "1.1rem" }}>
          {s.text.map((t) => (
            <li key={t.rule} className="small">
              <strong>{t.rule}</strong> → {t.trigger === "change" ? "change-triggered" : "not change-triggered"}
              {t.changeType ? ` (${t.changeType})` : ""}: matched “<mark>{t.evidence}</mark>” in the {t.field} — <span className="muted">{t.excerpt}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {canTag && s.trigger ? (
        <button
          type="button"
          className="button"
          onClick={() =>
            onApply({
              trigger: s.trigger!,
              ...(s.changeType && !form.changeType ? { changeType: s.changeType } : {}),
              ...(s.deploySystem && !form.deploySystem ? { deploySystem: s.deploySystem } : {}),
              ...(s.deployId ? { linkedDeployId: s.deployId } : {}),
            })
          }
        >
          Apply suggestion to the form
        </button>
      ) : null}
    </section>
  );
}
