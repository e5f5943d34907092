"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";
import { fieldErrorsOf } from "@/lib/actions/result";
import { PROJECT_STATUS_LABELS, PROJECT_STATUSES } from "@/lib/projects/status";
import { createProjectAction, updateProjectAction } from "../actions";

export interface ProjectFormValues {
  slug: string;
  name: string;
  ownerTeam: string;
  description: string;
  status: string;
  deliveredOn: string;
  scopeServices: string;
  scopeDeploySystems: string;
  scopeChangeTypes: string;
  lagMinMonths: string;
  lagMaxMonths: string;
  expectedEffectHours: string;
}

interface Props {
  mode: "create" | "edit";
  initial: ProjectFormValues;
  /** Edit only: the stored slug and version (updatedAt), so a stale save is refused. */
  originalSlug?: string;
  updatedAt?: number;
  options: { services: string[]; deploySystems: string[]; changeTypes: string[] };
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <span id={id} className="field-error" role="alert">
      {errors.join(" ")}
    </span>
  ) : null;
}

/** Create / edit form for a project. Every field error from the server is shown beside its field. */
export function ProjectForm({ mode, initial, originalSlug, updatedAt, options }: Props) {
  const [state, action, pending] = useActionState(mode === "create" ? createProjectAction : updateProjectAction, null);
  const v = { ...initial, ...(state?.values ?? {}) } as ProjectFormValues;
  const e = fieldErrorsOf(state);
  const [slugTouched, setSlugTouched] = useState(mode === "edit");
  const [slug, setSlug] = useState(v.slug);
  const described = (name: string, hint = true) => [hint ? `f-${name}-hint` : null, e[name]?.length ? `f-${name}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <form action={action} noValidate className="card stack" aria-label={mode === "create" ? "New project" : "Edit project"}>
      {originalSlug ? <input type="hidden" name="originalSlug" value={originalSlug} /> : null}
      {updatedAt !== undefined ? <input type="hidden" name="updatedAt" value={updatedAt} /> : null}
      <FormMessage ok={state?.ok} message={state?.message} />
      {Object.keys(e).filter((k) => !FIELD_KEYS.has(k)).length ? (
        <div className="alert alert--error" role="alert">
          {Object.entries(e)
            .filter(([k]) => !FIELD_KEYS.has(k))
            .map(([k, m]) => `${k}: ${m.join(" ")}`)
            .join(" · ")}
        </div>
      ) : null}

      <fieldset className="form-grid">
        <legend>About</legend>
        <FormField
          name="name"
          label="Name"
          type="text"
          required
          defaultValue={v.name}
          errors={e.name}
          onChange={(ev) => {
            if (!slugTouched) setSlug(slugify(ev.currentTarget.value));
          }}
        />
        <FormField
          name="slug"
          label="Slug"
          type="text"
          required
          value={slug}
          onChange={(ev) => {
            setSlugTouched(true);
            setSlug(ev.currentTarget.value);
          }}
          hint="Lowercase letters, digits and hyphens; used in links and the API."
          errors={e.slug}
        />
        <FormField name="ownerTeam" label="Owner team" type="text" defaultValue={v.ownerTeam} errors={e.ownerTeam} />
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select key={v.status} id="f-status" name="status" defaultValue={v.status || "planned"} aria-invalid={e.status ? true : undefined} aria-describedby={described("status", false)}>
            {PROJECT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PROJECT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <ErrorText id="f-status-error" errors={e.status} />
        </div>
        <FormField
          name="deliveredOn"
          label="Delivery date"
          type="date"
          defaultValue={v.deliveredOn}
          hint="Required once delivered; for planned work, the date you expect to deliver. Local date in the organisation's time zone."
          errors={e.deliveredOn}
        />
        <div className="field" style={{ gridColumn: "1 / -1" }}>
          <label htmlFor="f-description">Description</label>
          <textarea id="f-description" name="description" rows={3} defaultValue={v.description} aria-invalid={e.description ? true : undefined} aria-describedby={described("description", false)} />
          <ErrorText id="f-description-error" errors={e.description} />
        </div>
      </fieldset>

      <fieldset className="form-grid">
        <legend>Scope</legend>
        <p className="hint" style={{ gridColumn: "1 / -1", margin: 0 }}>
          An incident is in scope when it matches every dimension you fill in (an empty dimension places no limit). Separate values with commas.
        </p>
        <ScopeField name="scopeServices" label="Services" value={v.scopeServices} options={options.services} errors={e.scopeServices} />
        <ScopeField name="scopeDeploySystems" label="Deploy systems" value={v.scopeDeploySystems} options={options.deploySystems} errors={e.scopeDeploySystems} />
        <ScopeField name="scopeChangeTypes" label="Change types" value={v.scopeChangeTypes} options={options.changeTypes} errors={e.scopeChangeTypes} />
      </fieldset>

      <fieldset className="form-grid">
        <legend>Expected effect</legend>
        <FormField name="lagMinMonths" label="Lag from (months)" type="number" inputMode="numeric" min={0} max={36} step={1} defaultValue={v.lagMinMonths} hint="When the effect may start to show (0–36)." errors={e.lagMinMonths} />
        <FormField name="lagMaxMonths" label="Lag to (months)" type="number" inputMode="numeric" min={0} max={36} step={1} defaultValue={v.lagMaxMonths} hint="When it should be complete; quarters after this are compared." errors={e.lagMaxMonths} />
        <FormField name="expectedEffectHours" label="Expected effect (hours per quarter)" type="number" inputMode="decimal" min={0} step="any" defaultValue={v.expectedEffectHours} hint="Impact hours a quarter it should remove once the lag has passed." errors={e.expectedEffectHours} />
      </fieldset>

      <div className="row">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Create project" : "Save changes"}
        </button>
        <Link className="button" href={originalSlug ? `/projects/${originalSlug}` : "/projects"}>
          Cancel
        </Link>
      </div>
    </form>
  );
}

const FIELD_KEYS = new Set([
  "slug",
  "name",
  "ownerTeam",
  "description",
  "status",
  "deliveredOn",
  "scopeServices",
  "scopeDeploySystems",
  "scopeChangeTypes",
  "lagMinMonths",
  "lagMaxMonths",
  "expectedEffectHours",
]);

function ScopeField({ name, label, value, options, errors }: { name: string; label: string; value: string; options: string[]; errors?: string[] }) {
  const errs = errors ?? [];
  // Errors on list items arrive as `scopeServices.0`: show them on the field.
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <input id={`f-${name}`} name={name} type="text" defaultValue={value} aria-invalid={errs.length ? true : undefined} aria-describedby={`f-${name}-hint${errs.length ? ` f-${name}-error` : ""}`} autoComplete="off" />
      <span id={`f-${name}-hint`} className="hint">
        {options.length ? `Known: ${options.join(", ")}` : "None known yet."}
      </span>
      <ErrorText id={`f-${name}-error`} errors={errs} />
    </div>
  );
}
