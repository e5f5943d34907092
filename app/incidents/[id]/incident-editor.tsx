"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import type { CurationState, FieldChange, QuarterDelta } from "@/db/queries/curation";
import { explainIncident, toEngineIncident } from "@/lib/incidents/explain";
import type { TimeBounds } from "@/lib/metric/time-bounds";
import { formatInstant } from "@/lib/incidents/format";
import { formatDelta } from "@/lib/format/hours";
import type { Policy, Settings } from "@/lib/metric/types";
import type { Suggestions } from "@/lib/suggestions";
import { CHANGE_TYPES, CURATED_FIELDS, REMEDIATIONS, sameValue, type CuratedField, type CurationValues } from "@/lib/validation/curation";
import { saveCurationAction } from "../actions";
import { ConflictPanel, type Choice } from "./conflict-panel";
import { changedFields, fromForm, patchOf, toForm, type FormValues } from "./form-model";
import { SuggestionPanel } from "./suggestion-panel";
import { WhyPanel } from "./why-panel";
import styles from "./incident.module.css";

interface Props {
  incidentId: number;
  source: { severity: string; startedAt: number; resolvedAt: number | null };
  initial: CurationState;
  settings: Settings;
  policy: Policy;
  asOf: number;
  timeBounds: TimeBounds;
  canTag: boolean;
  projects: { slug: string; name: string }[];
  deploySystems: string[];
  suggestions: Suggestions;
  windowMinutes: number;
}


function valuesOf(s: CurationState): CurationValues {
  return Object.fromEntries(CURATED_FIELDS.map((f) => [f, f === "projects" ? [...s.projects].sort() : s[f]])) as unknown as CurationValues;
}

function Field({ id, label, errors, hint, children }: { id: string; label: string; errors?: string[]; hint?: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {errors?.length ? (
        <span className="field-error" id={`${id}-error`} role="alert">
          {errors.join(" ")}
        </span>
      ) : null}
    </div>
  );
}

export function IncidentEditor(props: Props) {
  const { incidentId, source, settings, policy, asOf, timeBounds, canTag, timezone } = { ...props, timezone: props.settings.timezone };
  const router = useRouter();
  const [base, setBase] = useState<CurationState>(props.initial);
  const [form, setForm] = useState<FormValues>(() => toForm(valuesOf(props.initial), timezone));
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string; deltas?: QuarterDelta[] } | null>(null);
  const [conflict, setConflict] = useState<{ current: CurationState; changedSince: FieldChange[] } | null>(null);
  const [choices, setChoices] = useState<Partial<Record<CuratedField, Choice>>>({});
  const [pending, startTransition] = useTransition();

  const baseValues = useMemo(() => valuesOf(base), [base]);
  const { values, errors: localErrors } = useMemo(() => fromForm(form, timezone, baseValues), [form, timezone, baseValues]);
  const dirtyFields = changedFields(baseValues, values);
  const dirty = dirtyFields.length > 0;
  const saved = useMemo(
    () => explainIncident(toEngineIncident({ id: incidentId, ...source }, baseValues, base.duplicateOfId), { settings, policy, asOf, timeBounds, overrideReason: baseValues.overrideReason }),
    [incidentId, source, baseValues, base.duplicateOfId, settings, policy, asOf, timeBounds],
  );
  const now = useMemo(
    () => explainIncident(toEngineIncident({ id: incidentId, ...source }, values, base.duplicateOfId), { settings, policy, asOf, timeBounds, overrideReason: values.overrideReason }),
    [incidentId, source, values, base.duplicateOfId, settings, policy, asOf, timeBounds],
  );
  const errors: Record<string, string[]> = { ...serverErrors, ...localErrors };
  const set = (k: keyof FormValues, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setServerErrors((e) => {
      if (!e[k]) return e;
      const next = { ...e };
      delete next[k];
      return next;
    });
  };

  function submit(patch: Record<string, unknown>) {
    startTransition(async () => {
      const res = await saveCurationAction(incidentId, patch);
      if (res.ok) {
        setBase(res.data.curation);
        setForm(toForm(valuesOf(res.data.curation), timezone));
        setServerErrors({});
        setConflict(null);
        setChoices({});
        setMessage({ ok: true, text: res.message, deltas: res.data.quarterDeltas });
        router.refresh();
      } else if (res.detail?.conflict) {
        const { conflict } = res.detail;
        setConflict(conflict);
        const mineChanged = new Set(dirtyFields);
        const c: Partial<Record<CuratedField, Choice>> = {};
        for (const ch of conflict.changedSince) c[ch.field] = mineChanged.has(ch.field) && !sameValue(values[ch.field], conflict.current[ch.field]) ? "mine" : "theirs";
        setChoices(c);
        setMessage(null);
      } else {
        setServerErrors(res.fieldErrors);
        setMessage({ ok: false, text: res.message });
      }
    });
  }

  function save(e: React.FormEvent) {
    e.preventDefault();
    if (Object.keys(localErrors).length) {
      setMessage({ ok: false, text: "Fix the highlighted fields first." });
      return;
    }
    submit(patchOf(values, dirtyFields, base.version));
  }

  function resolve() {
    if (!conflict) return;
    const theirs = valuesOf(conflict.current);
    const merged: CurationValues = { ...theirs };
    for (const f of CURATED_FIELDS) {
      const choice = choices[f];
      const mineChanged = dirtyFields.includes(f);
      const keepMine = choice ? choice === "mine" : mineChanged;
      if (keepMine) (merged as unknown as Record<string, unknown>)[f] = values[f];
    }
    const fields = changedFields(theirs, merged);
    setBase(conflict.current);
    setForm(toForm(merged, timezone));
    if (fields.length === 0) {
      setConflict(null);
      setMessage({ ok: true, text: "You took all of their changes; nothing else to save." });
      router.refresh();
      return;
    }
    submit(patchOf(merged, fields, conflict.current.version));
  }

  function discard() {
    if (!conflict) return;
    setBase(conflict.current);
    setForm(toForm(valuesOf(conflict.current), timezone));
    setConflict(null);
    setChoices({});
    setMessage({ ok: true, text: "Showing their saved version." });
    router.refresh();
  }

  const applySuggestion = (patch: Partial<FormValues>) => setForm((f) => ({ ...f, ...patch }));
  const dis = !canTag;
  const aria = (k: string) => ({ "aria-invalid": errors[k] ? true : undefined, "aria-describedby": errors[k] ? `f-${k}-error` : undefined });

  return (
    <div className={styles.editorGrid}>
      <form className="card" onSubmit={save} noValidate aria-labelledby="curation-heading">
        <div className="card__header">
          <h2 id="curation-heading">Tags and analysis</h2>
          <span className="muted small">
            Version {base.version}
            {base.updatedBy ? ` · last saved by ${base.updatedBy}${base.updatedAt ? ` ${formatInstant(base.updatedAt, timezone)}` : ""}` : ""}
          </span>
        </div>
        {conflict ? (
          <ConflictPanel
            current={conflict.current}
            changedSince={conflict.changedSince}
            mine={values}
            base={baseValues}
            choices={choices}
            onChoose={(f, c) => setChoices((prev) => ({ ...prev, [f]: c }))}
            onResolve={resolve}
            onCancel={discard}
            pending={pending}
            timezone={timezone}
          />
        ) : null}
        {message ? (
          <div className={`alert ${message.ok ? "alert--success" : "alert--error"}`} role={message.ok ? "status" : "alert"} data-testid="save-message">
            {message.text}
            {message.deltas?.length ? ` Moved ${message.deltas.map((d) => `${d.quarter} ${formatDelta(d.delta)}`).join(", ")}.` : ""}
          </div>
        ) : null}
        {!canTag ? <p className="alert alert--info">Your role can read these fields; an editor can change them.</p> : null}
        <fieldset disabled={dis || pending} className={styles.fieldset}>
          <div className="form-grid">
            <Field id="f-trigger" label="Trigger" errors={errors.trigger}>
              <select id="f-trigger" value={form.trigger} onChange={(e) => set("trigger", e.target.value)} {...aria("trigger")}>
                <option value="unknown">Untriaged</option>
                <option value="change">Change-triggered</option>
                <option value="other">Not change-triggered</option>
              </select>
            </Field>
            <Field id="f-changeType" label="Change type" errors={errors.changeType}>
              <input id="f-changeType" type="text" list="change-types" value={form.changeType} onChange={(e) => set("changeType", e.target.value)} {...aria("changeType")} />
            </Field>
            <Field id="f-deploySystem" label="Deploy system" errors={errors.deploySystem}>
              <input id="f-deploySystem" type="text" list="deploy-systems" value={form.deploySystem} onChange={(e) => set("deploySystem", e.target.value)} {...aria("deploySystem")} />
            </Field>
            <Field id="f-analysisStatus" label="Analysis status" errors={errors.analysisStatus}>
              <select id="f-analysisStatus" value={form.analysisStatus} onChange={(e) => set("analysisStatus", e.target.value)}>
                <option value="pending">Pending</option>
                <option value="final">Final</option>
              </select>
            </Field>
            <Field id="f-services" label="Services" errors={errors.services} hint="Separate with ;">
              <input id="f-services" type="text" value={form.services} onChange={(e) => set("services", e.target.value)} {...aria("services")} />
            </Field>
            <Field id="f-affectedFeatures" label="Affected features" errors={errors.affectedFeatures} hint="Separate with ;">
              <input id="f-affectedFeatures" type="text" value={form.affectedFeatures} onChange={(e) => set("affectedFeatures", e.target.value)} {...aria("affectedFeatures")} />
            </Field>
            <Field id="f-customerImpactPct" label="Customer impact %" errors={errors.customerImpactPct}>
              <input id="f-customerImpactPct" type="number" min={0} max={100} step="any" value={form.customerImpactPct} onChange={(e) => set("customerImpactPct", e.target.value)} {...aria("customerImpactPct")} />
            </Field>
            <Field id="f-fleetExposurePct" label="Fleet exposure %" errors={errors.fleetExposurePct} hint="Share of the fleet on the change when detected">
              <input id="f-fleetExposurePct" type="number" min={0} max={100} step="any" value={form.fleetExposurePct} onChange={(e) => set("fleetExposurePct", e.target.value)} {...aria("fleetExposurePct")} />
            </Field>
          </div>
          <h3>Post-hoc impact window and response ({timezone})</h3>
          <div className="form-grid">
            <Field id="f-impactStart" label="Impact start" errors={errors.impactStart} hint={`Empty: the incident's start (${formatInstant(source.startedAt, timezone)})`}>
              <input id="f-impactStart" type="datetime-local" value={form.impactStart} onChange={(e) => set("impactStart", e.target.value)} {...aria("impactStart")} />
            </Field>
            <Field id="f-impactEnd" label="Impact end" errors={errors.impactEnd} hint={`Empty: the incident's end (${formatInstant(source.resolvedAt, timezone)})`}>
              <input id="f-impactEnd" type="datetime-local" value={form.impactEnd} onChange={(e) => set("impactEnd", e.target.value)} {...aria("impactEnd")} />
            </Field>
            <Field id="f-detectedAt" label="Detected at" errors={errors.detectedAt}>
              <input id="f-detectedAt" type="datetime-local" value={form.detectedAt} onChange={(e) => set("detectedAt", e.target.value)} {...aria("detectedAt")} />
            </Field>
            <Field id="f-mitigatedAt" label="Mitigated at" errors={errors.mitigatedAt}>
              <input id="f-mitigatedAt" type="datetime-local" value={form.mitigatedAt} onChange={(e) => set("mitigatedAt", e.target.value)} {...aria("mitigatedAt")} />
            </Field>
            <Field id="f-remediation" label="Remediation" errors={errors.remediation}>
              <input id="f-remediation" type="text" list="remediations" value={form.remediation} onChange={(e) => set("remediation", e.target.value)} {...aria("remediation")} />
            </Field>
          </div>
          <h3>Override</h3>
          <div className="form-grid">
            <Field id="f-override" label="Include / exclude" errors={errors.override} hint="Overrides the policy for this incident">
              <select id="f-override" value={form.override} onChange={(e) => set("override", e.target.value)}>
                <option value="">No override (policy decides)</option>
                <option value="include">Always include</option>
                <option value="exclude">Always exclude</option>
              </select>
            </Field>
            <Field id="f-overrideReason" label="Reason for the override" errors={errors.overrideReason}>
              <textarea id="f-overrideReason" value={form.overrideReason} onChange={(e) => set("overrideReason", e.target.value)} {...aria("overrideReason")} />
            </Field>
          </div>
          <fieldset className={styles.projects}>
            <legend>Projects that would have prevented or shortened it</legend>
            {props.projects.length === 0 ? <p className="muted small">No projects yet. A lead can add them under Projects.</p> : null}
            {props.projects.map((p) => (
              <label key={p.slug} className={styles.check}>
                <input
                  type="checkbox"
                  checked={form.projects.includes(p.slug)}
                  onChange={(e) => setForm((f) => ({ ...f, projects: e.target.checked ? [...f.projects, p.slug] : f.projects.filter((s) => s !== p.slug) }))}
                />{" "}
                {p.name}
              </label>
            ))}
            {errors.projects ? <span className="field-error">{errors.projects.join(" ")}</span> : null}
          </fieldset>
        </fieldset>
        <datalist id="change-types">{CHANGE_TYPES.map((c) => <option key={c} value={c} />)}</datalist>
        <datalist id="deploy-systems">{props.deploySystems.map((c) => <option key={c} value={c} />)}</datalist>
        <datalist id="remediations">{REMEDIATIONS.map((c) => <option key={c} value={c} />)}</datalist>
        {canTag ? (
          <div className={`row ${styles.saveBar}`}>
            <button type="submit" className="button button--primary" disabled={pending || !dirty || !!conflict}>
              {pending ? "Saving…" : dirty ? `Save ${dirtyFields.length} change${dirtyFields.length === 1 ? "" : "s"}` : "No changes"}
            </button>
            {dirty && !conflict ? (
              <button type="button" className="button" onClick={() => setForm(toForm(baseValues, timezone))} disabled={pending}>
                Undo my edits
              </button>
            ) : null}
          </div>
        ) : null}
      </form>
      <div className="stack">
        <WhyPanel now={now} saved={saved} dirty={dirty} />
        <SuggestionPanel
          suggestions={props.suggestions}
          windowMinutes={props.windowMinutes}
          form={form}
          canTag={canTag}
          timezone={timezone}
          onApply={applySuggestion}
        />
      </div>
    </div>
  );
}
