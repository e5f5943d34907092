"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { fieldErrorsOf, type ActionResult } from "@/lib/actions/result";
import { compileRule, textSuggestions, type SuggestionRule } from "@/lib/suggestions";
import { saveSuggestionRulesAction } from "./actions";
import styles from "./rules.module.css";

const BLANK: SuggestionRule = { label: "", match: "phrase", pattern: "", trigger: "change", changeType: null, enabled: true };

export function RulesForm({
  initialRules,
  initialWindow,
  customised,
  defaults,
  canEdit,
}: {
  initialRules: SuggestionRule[];
  initialWindow: number;
  customised: boolean;
  defaults: SuggestionRule[];
  canEdit: boolean;
}) {
  const router = useRouter();
  const [rules, setRules] = useState<SuggestionRule[]>(initialRules);
  const [windowMinutes, setWindowMinutes] = useState(String(initialWindow));
  const [sample, setSample] = useState("Errors on checkout after deploy; the release was rolled back.");
  const [result, setResult] = useState<ActionResult | null>(null);
  const [pending, start] = useTransition();
  const matches = useMemo(() => textSuggestions(sample, null, rules.filter((r) => r.pattern.trim() && compileRule(r))), [sample, rules]);
  const err = (k: string) => fieldErrorsOf(result)[k];

  const update = (k: number, patch: Partial<SuggestionRule>) => setRules((rs) => rs.map((r, i) => (i === k ? { ...r, ...patch } : r)));
  const save = (next: SuggestionRule[]) =>
    start(async () => {
      const res = await saveSuggestionRulesAction({ rules: next, windowMinutes: Number(windowMinutes) });
      setResult(res);
      if (res.ok) router.refresh();
    });

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save(rules);
      }}
      noValidate
    >
      {result ? (
        <div className={`alert ${result.ok ? "alert--success" : "alert--error"}`} role={result.ok ? "status" : "alert"}>
          {result.message}
        </div>
      ) : null}
      {!canEdit ? <p className="alert alert--info">A lead or admin can change these rules.</p> : null}
      <fieldset disabled={!canEdit || pending} className={styles.fieldset}>
        <section className="card">
          <h2>Deploy window</h2>
          <div className="field" style={{ maxWidth: 320 }}>
            <label htmlFor="window">Minutes before the impact starts</label>
            <input id="window" type="number" min={1} max={1440} value={windowMinutes} onChange={(e) => setWindowMinutes(e.target.value)} aria-invalid={err("windowMinutes") ? true : undefined} />
            <span className="hint">A deploy to an affected service that finished within this window suggests change-triggered. Default 60.</span>
            {err("windowMinutes") ? <span className="field-error">{err("windowMinutes")!.join(" ")}</span> : null}
          </div>
        </section>
        <section className="card">
          <div className="card__header">
            <h2>Text rules</h2>
            <span className="muted small">{customised ? "Customised" : "Using the defaults"}</span>
          </div>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">On</th>
                  <th scope="col">Label</th>
                  <th scope="col">Match</th>
                  <th scope="col">Phrase or pattern</th>
                  <th scope="col">Suggests</th>
                  <th scope="col">Change type</th>
                  <th scope="col">
                    <span className="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r, k) => {
                  const e = (f: string) => err(`rules.${k}.${f}`);
                  return (
                    <tr key={k}>
                      <td>
                        <input type="checkbox" aria-label={`Rule ${k + 1} enabled`} checked={r.enabled} onChange={(ev) => update(k, { enabled: ev.target.checked })} />
                      </td>
                      <td>
                        <input type="text" aria-label={`Rule ${k + 1} label`} value={r.label} onChange={(ev) => update(k, { label: ev.target.value })} aria-invalid={e("label") ? true : undefined} />
                        {e("label") ? <div className="field-error">{e("label")!.join(" ")}</div> : null}
                      </td>
                      <td>
                        <select aria-label={`Rule ${k + 1} match`} value={r.match} onChange={(ev) => update(k, { match: ev.target.value as SuggestionRule["match"] })}>
                          <option value="phrase">Phrase</option>
                          <option value="regex">Regex</option>
                        </select>
                      </td>
                      <td>
                        <input
                          type="text"
                          className={styles.pattern}
                          aria-label={`Rule ${k + 1} pattern`}
                          value={r.pattern}
                          onChange={(ev) => update(k, { pattern: ev.target.value })}
                          aria-invalid={e("pattern") || (r.pattern && !compileRule(r)) ? true : undefined}
                        />
                        {e("pattern") ? <div className="field-error">{e("pattern")!.join(" ")}</div> : r.pattern && !compileRule(r) ? <div className="field-error">not a valid regular expression</div> : null}
                      </td>
                      <td>
                        <select aria-label={`Rule ${k + 1} suggests`} value={r.trigger} onChange={(ev) => update(k, { trigger: ev.target.value as SuggestionRule["trigger"], changeType: ev.target.value === "other" ? null : r.changeType })}>
                          <option value="change">Change-triggered</option>
                          <option value="other">Not change-triggered</option>
                        </select>
                      </td>
                      <td>
                        <input type="text" aria-label={`Rule ${k + 1} change type`} value={r.changeType ?? ""} disabled={r.trigger === "other"} onChange={(ev) => update(k, { changeType: ev.target.value || null })} aria-invalid={e("changeType") ? true : undefined} />
                        {e("changeType") ? <div className="field-error">{e("changeType")!.join(" ")}</div> : null}
                      </td>
                      <td>
                        <button type="button" className="button button--small button--danger" onClick={() => setRules((rs) => rs.filter((_, i) => i !== k))} aria-label={`Remove rule ${k + 1}`}>
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {rules.length === 0 ? <p className="muted small">No rules: saving an empty list restores the defaults. To turn suggestions off, untick the rules instead.</p> : null}
          <div className="row">
            <button type="button" className="button" onClick={() => setRules((rs) => [...rs, { ...BLANK }])}>
              Add a rule
            </button>
            <button type="button" className="button" onClick={() => setRules(defaults)}>
              Reset to defaults
            </button>
          </div>
        </section>
      </fieldset>
      <section className="card">
        <h2>Try the rules</h2>
        <div className="field">
          <label htmlFor="sample">Sample title or description</label>
          <textarea id="sample" value={sample} onChange={(e) => setSample(e.target.value)} />
        </div>
        {matches.length ? (
          <ul className="small">
            {matches.map((m) => (
              <li key={m.rule}>
                <strong>{m.rule}</strong> → {m.trigger === "change" ? "change-triggered" : "not change-triggered"}
                {m.changeType ? ` (${m.changeType})` : ""}: “<mark>{m.evidence}</mark>”
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">No rule matches this text.</p>
        )}
      </section>
      {canEdit ? (
        <div className="row">
          <button type="submit" className="button button--primary" disabled={pending}>
            {pending ? "Saving…" : "Save rules"}
          </button>
        </div>
      ) : null}
    </form>
  );
}
