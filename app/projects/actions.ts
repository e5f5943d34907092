"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { setTarget } from "@/db/queries/config";
import { createProject, deleteProject, detachIncidentFromProject, importProjects, updateProject } from "@/db/queries/projects";
import { AppError, ValidationError, type FieldIssue } from "@/lib/api/errors";
import { fieldErrors, type FormState } from "@/lib/auth/form-state";
import type { Actor, Role } from "@/lib/auth/roles";
import { requireActionRole } from "@/server/auth/guards";
import { PROJECT_FIELDS } from "@/lib/validation/project";
import { quarterIdSchema } from "@/lib/validation/metric";
import { parseProjectFile, PROJECT_FILE_MAX_BYTES } from "./_lib/project-file";

async function acting(role: Role): Promise<Actor | FormState> {
  try {
    return await requireActionRole(role);
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
}

function isActor(v: Actor | FormState): v is Actor {
  return "role" in v && "label" in v;
}

const FORM_KEYS = PROJECT_FIELDS.map(([f]) => f);

function projectValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FORM_KEYS) {
    const v = form.get(k);
    out[k] = typeof v === "string" ? v : "";
  }
  return out;
}

/** Issues keyed by field; with `collapse`, `scopeServices.0` is shown on `scopeServices`. */
function issuesToErrors(issues: FieldIssue[], collapse = false): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[collapse ? i.field.split(".")[0] : i.field] ??= []).push(i.message);
  return out;
}

/** Creates a project from the form; every field error comes back; on success opens the project. */
export async function createProjectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await acting("lead");
  if (!isActor(actor)) return actor;
  const values = projectValues(form);
  let slug: string;
  try {
    slug = createProject(getDb(), values, { actor }).slug;
  } catch (err) {
    if (err instanceof ValidationError) return { errors: issuesToErrors(err.issues, true), values, message: "Check the highlighted fields." };
    throw err;
  }
  revalidatePath("/projects");
  redirect(`/projects/${slug}`);
}

/** Saves an edit; refuses it when someone else saved since the form was opened. */
export async function updateProjectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await acting("lead");
  if (!isActor(actor)) return actor;
  const values = projectValues(form);
  const original = String(form.get("originalSlug") ?? "");
  const updatedAt = Number(form.get("updatedAt"));
  let slug: string;
  try {
    slug = updateProject(getDb(), original, values, { actor, expectedUpdatedAt: Number.isFinite(updatedAt) ? updatedAt : undefined }).slug;
  } catch (err) {
    if (err instanceof ValidationError) return { errors: issuesToErrors(err.issues, true), values, message: "Check the highlighted fields." };
    if (err instanceof AppError && err.status === 409) return { values, message: "Someone else changed this project since you opened it. Reload the page to see their version, then edit again." };
    if (err instanceof AppError && err.status === 404) return { message: "This project no longer exists." };
    throw err;
  }
  revalidatePath("/projects");
  revalidatePath(`/projects/${original}`);
  redirect(`/projects/${slug}`);
}

const slugSchema = z.strictObject({ slug: z.string().min(1).max(100) });

/** Deletes a project (its explicit attributions go with it). */
export async function deleteProjectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await acting("lead");
  if (!isActor(actor)) return actor;
  const parsed = slugSchema.safeParse({ slug: form.get("slug") });
  if (!parsed.success) return { message: "No project given." };
  try {
    deleteProject(getDb(), parsed.data.slug, { actor });
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
  revalidatePath("/projects");
  redirect("/projects");
}

/** Imports projects from an uploaded CSV or JSON file: all rows or none. */
export async function importProjectsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await acting("lead");
  if (!isActor(actor)) return actor;
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { errors: { file: ["Choose a CSV or JSON file"] }, message: "Choose a file to import." };
  if (file.size > PROJECT_FILE_MAX_BYTES) return { errors: { file: [`The file is larger than ${PROJECT_FILE_MAX_BYTES / 1024} KB`] }, message: "That file is too large." };
  try {
    const rows = await parseProjectFile(file.name, await file.text());
    const r = importProjects(getDb(), rows, { actor });
    revalidatePath("/projects");
    return { ok: true, message: `Imported ${rows.length} ${rows.length === 1 ? "project" : "projects"}: ${r.created.length} created, ${r.updated.length} updated.` };
  } catch (err) {
    if (err instanceof ValidationError) return { errors: issuesToErrors(err.issues), message: err.message };
    throw err;
  }
}

const detachSchema = z.strictObject({ slug: z.string().min(1).max(100), incidentId: z.coerce.number().int().positive() });

/** Removes one explicit attribution (editors attribute incidents, so they may undo one). */
export async function detachIncidentAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await acting("editor");
  if (!isActor(actor)) return actor;
  const parsed = detachSchema.safeParse({ slug: form.get("slug"), incidentId: form.get("incidentId") });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), message: "Invalid request." };
  try {
    const removed = detachIncidentFromProject(getDb(), parsed.data.slug, parsed.data.incidentId, { actor });
    revalidatePath(`/projects/${parsed.data.slug}`);
    return removed ? { ok: true, message: "Attribution removed." } : { message: "That incident was not attributed to this project." };
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
}

const applySchema = z.strictObject({
  quarter: quarterIdSchema,
  hours: z.coerce.number().finite().min(0, "hours must be 0 or more"),
  reasoning: z.string().max(4000).optional(),
});

/** Applies a suggested target for one quarter through setTarget (history + audit). The lead clicks; nothing applies itself. */
export async function applySuggestedTargetAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await acting("lead");
  if (!isActor(actor)) return actor;
  const parsed = applySchema.safeParse({ quarter: form.get("quarter"), hours: form.get("hours"), reasoning: form.get("reasoning") ?? undefined });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), message: "Invalid suggestion." };
  const { quarter, hours, reasoning } = parsed.data;
  try {
    setTarget(getDb(), quarter, hours, { actor, note: `Applied the suggested target from project planning. ${reasoning ?? ""}`.trim().slice(0, 1000) });
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
  revalidatePath("/projects/plan");
  revalidatePath("/");
  return { ok: true, message: `Target for ${quarter} set to ${hours} h.` };
}
