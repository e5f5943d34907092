"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import type { WhatIfPreview } from "@/server/dashboard/data";
import { fieldErrorsOf, type ActionResult } from "@/lib/actions/result";
import type { FieldIssue } from "@/lib/api/errors";
import { policyChangeRows, type ClosedQuarter } from "@/lib/governance/change-preview";
import type { Policy, SeverityClass } from "@/lib/metric/types";
import { savePolicyAction } from "../actions";
import styles from "../settings.module.css";
import { draftFromPolicy, policyFromDraft, samePolicy, type PolicyDraft } from "./draft";
import { WhatIfPreviewPanel } from "./what-if-preview";
import { ChangePreview } from "../_components/change-preview";
import cp from "../_components/change-preview.module.css";

/** `key` names the policy the data is for, so a confirmation never rests on a stale preview. */
type PreviewState = { status: "idle" | "loading" | "error"; data: WhatIfPreview; key: string; message?: string; issues?: FieldIssue[] };

function FieldError({ msg, id }: { msg?: string; id: string }) {
  return msg ? (
    <span className="field-error" role="alert" id={id}>
      {msg}
    </span>
  ) : null;
}

/**
 * The policy editor: a draft on the left, its what-if preview on the right (fetched
 * from /api/dashboard/what-if as the draft changes), saved as a new version only
 * when the person chooses to.
 */
export function PolicyEditor({
  current,
  currentVersion,
  initialPreview,
  canEdit,
  targets,
  closed,
}: {
  current: Policy;
  currentVersion: number;
  initialPreview: WhatIfPreview;
  canEdit: boolean;
  /** Targets in force, for the verdicts in the confirmation preview. */
  targets: Record<string, number>;
  /** Closed quarters (frozen figures, published versions) the confirmation must name. */
  closed: ClosedQuarter[];
}) {
  const router = useRouter();
  const [draft, setDraft] = useState<PolicyDraft>(() => draftFromPolicy(current));
  const [note, setNote] = useState("");
  const [preview, setPreview] = useState<PreviewState>(() => ({ status: "idle", data: initialPreview, key: JSON.stringify(current) }));
  const [confirming, setConfirming] = useState(false);
  const [noteError, setNoteError] = useState<string | null>(null);
  const [saveResult, setSaveResult] = useState<ActionResult<{ version: number }> | null>(null);
  const [saving, startSave] = useTransition();
  const nextId = useRef(draft.severity.length);
  const { policy, errors: localErrors } = useMemo(() => policyFromDraft(draft), [draft]);
  const changed = !samePolicy(policy, current);
  const hasLocalErrors = Object.keys(localErrors).length > 0;
  const serverIssues = [...(preview.issues ?? []), ...Object.entries(fieldErrorsOf(saveResult)).map(([field, messages]) => ({ field, message: messages[0] }))];
  const errorFor = (field: string) => localErrors[field] ?? serverIssues.find((i) => i.field === field || i.field.startsWith(`${field}.`))?.message;

  useEffect(() => {
    if (hasLocalErrors) return;
    const ctrl = new AbortController();
    const timer = setTimeout(async () => {
      setPreview((p) => ({ ...p, status: "loading" }));
      try {
        const res = await fetch("/api/dashboard/what-if", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ policy }), signal: ctrl.signal });
        const body = await res.json();
        if (res.ok) setPreview({ status: "idle", data: body as WhatIfPreview, key: JSON.stringify(policy) });
        else setPreview((p) => ({ ...p, status: "error", message: body.message ?? `Preview failed (${res.status})`, issues: body.issues }));
      } catch (err) {
        if ((err as Error).name !== "AbortError") setPreview((p) => ({ ...p, status: "error", message: "Preview failed: the server could not be reached." }));
      }
    }, 350);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [policy, hasLocalErrors]);

  const set = <K extends keyof PolicyDraft>(k: K, v: PolicyDraft[K]) => {
    setSaveResult(null);
    setConfirming(false);
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const setSev = (id: number, patch: Partial<{ key: string; cls: SeverityClass }>) => set("severity", draft.severity.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  const save = () =>
    startSave(async () => {
      const r = await savePolicyAction({ policy, note, baseVersion: currentVersion, confirmed: true });
      setSaveResult(r);
      setConfirming(false);
      if (r.ok) {
        setNote("");
        router.refresh();
      }
    });
  // The confirmation shows what the draft restates; it needs a reason first and a preview of exactly this draft.
  const askToConfirm = () => {
    setSaveResult(null);
    if (!note.trim()) {
      setNoteError("Give a reason: a new version restates every past quarter, and the note is kept with it.");
      return;
    }
    setNoteError(null);
    setConfirming(true);
  };
  const previewCurrent = preview.status === "idle" && preview.key === JSON.stringify(policy);
  const restated = useMemo(() => policyChangeRows(preview.data.quarters, targets, closed), [preview.data, targets, closed]);

  const draftMinutes = policy.mediumRule.minDurationMinutes ?? null;
  const disabled = !canEdit || saving;

  return (
    <div className={styles.split}>
      <section className="card" aria-labelledby="draft-title">
        <div className="card__header">
          <h2 id="draft-title">{canEdit ? "Draft policy" : "Current policy"}</h2>
          <span className="badge badge--neutral">based on version {currentVersion}</span>
        </div>
        <fieldset className={styles.fieldset} disabled={disabled}>
          <legend>Medium-severity rule</legend>
          <div className={styles.inline} role="radiogroup" aria-label="Select a medium incident when">
            <span className="small">Select when</span>
            <label>
              <input type="radio" name="match" checked={draft.match === "any"} onChange={() => set("match", "any")} /> any condition holds
            </label>
            <label>
              <input type="radio" name="match" checked={draft.match === "all"} onChange={() => set("match", "all")} /> all conditions hold
            </label>
          </div>
          <div className="form-grid" style={{ marginTop: "0.75rem" }}>
            <div className="field">
              <label htmlFor="p-minDuration">Minimum duration (minutes)</label>
              <input id="p-minDuration" type="number" min={0} step="any" value={draft.minDurationMinutes} onChange={(e) => set("minDurationMinutes", e.target.value)} aria-invalid={errorFor("mediumRule.minDurationMinutes") ? true : undefined} aria-describedby="p-minDuration-hint" />
              <span className="hint" id="p-minDuration-hint">
                The blip threshold. Empty: no duration condition.
              </span>
              <FieldError id="p-minDuration-err" msg={errorFor("mediumRule.minDurationMinutes")} />
            </div>
            <div className="field">
              <label htmlFor="p-minImpact">Minimum customer impact (%)</label>
              <input id="p-minImpact" type="number" min={0} max={100} step="any" value={draft.minCustomerImpactPct} onChange={(e) => set("minCustomerImpactPct", e.target.value)} aria-invalid={errorFor("mediumRule.minCustomerImpactPct") ? true : undefined} />
              <span className="hint">Empty: no impact condition.</span>
              <FieldError id="p-minImpact-err" msg={errorFor("mediumRule.minCustomerImpactPct")} />
            </div>
            <div className="field">
              <label htmlFor="p-features">Affected features</label>
              <input id="p-features" type="text" value={draft.features} onChange={(e) => set("features", e.target.value)} placeholder="messaging, login" />
              <span className="hint">Comma-separated; selects when any is affected.</span>
              <FieldError id="p-features-err" msg={errorFor("mediumRule.features")} />
            </div>
            <div className="field">
              <label htmlFor="p-services">Services</label>
              <input id="p-services" type="text" value={draft.services} onChange={(e) => set("services", e.target.value)} placeholder="payments-api" />
              <span className="hint">Comma-separated; selects when any is involved.</span>
              <FieldError id="p-services-err" msg={errorFor("mediumRule.services")} />
            </div>
          </div>
        </fieldset>

        <fieldset className={styles.fieldset} disabled={disabled}>
          <legend>Counting</legend>
          <div className="field">
            <label>
              <input type="checkbox" checked={draft.requireChangeTriggered} onChange={(e) => set("requireChangeTriggered", e.target.checked)} /> Count only change-triggered incidents
            </label>
            <span className="hint">Off: every incident the severity rules select counts, whatever its trigger.</span>
          </div>
          <div className="field">
            <label htmlFor="p-overlap">Overlapping incidents</label>
            <select id="p-overlap" value={draft.overlap} onChange={(e) => set("overlap", e.target.value as "sum" | "union")}>
              <option value="sum">Sum: add every incident&apos;s hours</option>
              <option value="union">Union: count each moment of impact once</option>
            </select>
          </div>
        </fieldset>

        <fieldset className={styles.fieldset} disabled={disabled}>
          <legend>Severity classes</legend>
          <p className="hint small muted">Raw severities from your incident tools, matched case-insensitively. Unlisted severities never count.</p>
          {draft.severity.map((r, i) => (
            <div key={r.id}>
              <div className={styles.sevRow}>
                <input type="text" aria-label={`Severity ${i + 1} name`} value={r.key} onChange={(e) => setSev(r.id, { key: e.target.value })} aria-invalid={errorFor(`severity.${i}`) ? true : undefined} />
                <select aria-label={`Class of ${r.key || `severity ${i + 1}`}`} value={r.cls} onChange={(e) => setSev(r.id, { cls: e.target.value as SeverityClass })}>
                  <option value="high">high: counts</option>
                  <option value="medium">medium: rule decides</option>
                  <option value="low">low: never counts</option>
                </select>
                <button type="button" className="button button--small" onClick={() => set("severity", draft.severity.filter((x) => x.id !== r.id))} aria-label={`Remove ${r.key || `severity ${i + 1}`}`}>
                  Remove
                </button>
              </div>
              <FieldError id={`sev-${i}-err`} msg={errorFor(`severity.${i}`) ?? errorFor(`severityClasses.${r.key}`)} />
            </div>
          ))}
          <button type="button" className="button button--small" onClick={() => set("severity", [...draft.severity, { id: nextId.current++, key: "", cls: "medium" }])}>
            Add severity
          </button>
        </fieldset>

        {canEdit ? (
          <div>
            <div className="field">
              <label htmlFor="p-note">Reason (required, kept in the version history)</label>
              <textarea
                id="p-note"
                value={note}
                onChange={(e) => {
                  setNote(e.target.value);
                  if (e.target.value.trim()) setNoteError(null);
                }}
                maxLength={2000}
                placeholder="Why this change (e.g. agreed with the SRE leads on 3 March)"
                aria-invalid={noteError || errorFor("note") ? true : undefined}
              />
              <FieldError id="p-note-err" msg={noteError ?? errorFor("note")} />
            </div>
            {saveResult ? (
              <div className={`alert ${saveResult.ok ? "alert--success" : "alert--error"}`} role={saveResult.ok ? "status" : "alert"} data-testid="policy-save-result">
                {saveResult.message}
              </div>
            ) : null}
            <div className="row">
              <button type="button" className="button button--primary" onClick={askToConfirm} disabled={!changed || hasLocalErrors || saving || preview.status === "error" || confirming}>
                Save as new version…
              </button>
              <button type="button" className="button" onClick={() => { setDraft(draftFromPolicy(current)); setSaveResult(null); setConfirming(false); }} disabled={!changed || saving}>
                Discard changes
              </button>
              {!changed ? <span className="small muted">No changes from version {currentVersion}.</span> : null}
            </div>
            {confirming && changed ? (
              <div className={cp.confirm} role="group" aria-labelledby="policy-confirm-title" data-testid="policy-confirm">
                <strong id="policy-confirm-title">Confirm version {currentVersion + 1}</strong>
                {previewCurrent ? (
                  <ChangePreview rows={restated} caption="Every figure is recomputed under the new version." />
                ) : (
                  <p className="small muted" role="status">
                    Updating the preview of this draft…
                  </p>
                )}
                <p className="small">Reason: “{note.trim()}”</p>
                <div className={cp.actions}>
                  <button type="button" className="button button--primary" onClick={save} disabled={!previewCurrent || saving}>
                    {saving ? "Saving…" : "Confirm and save"}
                  </button>
                  <button type="button" className="button" onClick={() => setConfirming(false)} disabled={saving}>
                    Back to the draft
                  </button>
                </div>
              </div>
            ) : null}
          </div>
        ) : (
          <p className="small muted">A program lead can change the policy.</p>
        )}
      </section>

      <section className={`card ${styles.sticky}`} aria-labelledby="preview-title" aria-busy={preview.status === "loading"}>
        <div className="card__header">
          <h2 id="preview-title">What-if preview</h2>
          <span className="small muted" role="status">
            {preview.status === "loading" ? "Updating…" : hasLocalErrors ? "Fix the draft to update" : changed ? "Draft vs current" : "No changes yet"}
          </span>
        </div>
        {preview.status === "error" ? (
          <div className="alert alert--error" role="alert">
            {preview.message}
            {preview.issues?.length ? (
              <ul>
                {preview.issues.map((i) => (
                  <li key={`${i.field}:${i.message}`}>
                    {i.field}: {i.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <WhatIfPreviewPanel preview={preview.data} draftMinutes={draftMinutes} currentMinutes={current.mediumRule.minDurationMinutes ?? null} changed={changed} />
      </section>
    </div>
  );
}
