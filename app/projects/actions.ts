"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { setTarget } from "@/db/queries/config";
import { createProject, deleteProject, detachIncidentFromProject, importProjects, updateProject } from "@/db/queries/projects";
import { defineFormAction, fail, issueErrors, ok } from "@/server/actions";
import { AppError, ValidationError } from "@/lib/api/errors";
import { PROJECT_FIELDS } from "@/lib/validation/project";
import { quarterIdSchema } from "@/lib/validation/metric";
import { parseProjectFile, PROJECT_FILE_MAX_BYTES } from "./_lib/project-file";

const FORM_KEYS = PROJECT_FIELDS.map(([f]) => f);

/** `scopeServices.0` is shown on `scopeServices`. */
const topField = (field: string) => field.split(".")[0];

/** Creates a project from the form; every field error comes back; on success opens the project. */
export const createProjectAction = defineFormAction({
  role: "lead",
  fields: FORM_KEYS,
  keep: FORM_KEYS,
  // The project is validated where it is written (createProject), every field's problem at once.
  schema: z.unknown(),
  handler: (_input, { actor, values }) => {
    let slug: string;
    try {
      slug = createProject(getDb(), values!, { actor }).slug;
    } catch (err) {
      if (err instanceof ValidationError) return fail("Check the highlighted fields.", issueErrors(err.issues, topField));
      throw err;
    }
    revalidatePath("/projects");
    redirect(`/projects/${slug}`);
  },
});

/** Saves an edit; refuses it when someone else saved since the form was opened. */
export const updateProjectAction = defineFormAction({
  role: "lead",
  fields: [...FORM_KEYS, "originalSlug", "updatedAt"],
  keep: FORM_KEYS,
  schema: z.object({ originalSlug: z.string(), updatedAt: z.string() }),
  handler: ({ originalSlug, updatedAt }, { actor, values }) => {
    const expectedUpdatedAt = Number(updatedAt);
    let slug: string;
    try {
      slug = updateProject(getDb(), originalSlug, values!, { actor, expectedUpdatedAt: Number.isFinite(expectedUpdatedAt) ? expectedUpdatedAt : undefined }).slug;
    } catch (err) {
      if (err instanceof ValidationError) return fail("Check the highlighted fields.", issueErrors(err.issues, topField));
      if (err instanceof AppError && err.status === 409) return fail("Someone else changed this project since you opened it. Reload the page to see their version, then edit again.");
      if (err instanceof AppError && err.status === 404) return fail("This project no longer exists.");
      throw err;
    }
    revalidatePath("/projects");
    revalidatePath(`/projects/${originalSlug}`);
    redirect(`/projects/${slug}`);
  },
});

/** Deletes a project (its explicit attributions go with it). */
export const deleteProjectAction = defineFormAction({
  role: "lead",
  fields: ["slug"],
  schema: z.object({ slug: z.string().min(1).max(100) }),
  invalid: "No project given.",
  handler: ({ slug }, { actor }) => {
    deleteProject(getDb(), slug, { actor });
    revalidatePath("/projects");
    redirect("/projects");
  },
});

/** Imports projects from an uploaded CSV or JSON file: all rows or none. */
export const importProjectsAction = defineFormAction({
  role: "lead",
  fields: ["file"],
  schema: z.object({
    file: z
      .instanceof(File, { message: "Choose a CSV or JSON file" })
      .refine((f) => f.size > 0, "Choose a CSV or JSON file")
      .refine((f) => f.size <= PROJECT_FILE_MAX_BYTES, `The file is larger than ${PROJECT_FILE_MAX_BYTES / 1024} KB`),
  }),
  invalid: (errors) => (errors.file?.[0]?.startsWith("The file is larger") ? "That file is too large." : "Choose a file to import."),
  handler: async ({ file }, { actor }) => {
    const rows = await parseProjectFile(file.name, await file.text());
    const r = importProjects(getDb(), rows, { actor });
    revalidatePath("/projects");
    return ok(undefined, `Imported ${rows.length} ${rows.length === 1 ? "project" : "projects"}: ${r.created.length} created, ${r.updated.length} updated.`);
  },
});

/** Removes one explicit attribution (editors attribute incidents, so they may undo one). */
export const detachIncidentAction = defineFormAction({
  role: "editor",
  fields: ["slug", "incidentId"],
  schema: z.object({ slug: z.string().min(1).max(100), incidentId: z.coerce.number().int().positive() }),
  invalid: "Invalid request.",
  handler: ({ slug, incidentId }, { actor }) => {
    const removed = detachIncidentFromProject(getDb(), slug, incidentId, { actor });
    revalidatePath(`/projects/${slug}`);
    return removed ? ok(undefined, "Attribution removed.") : fail("That incident was not attributed to this project.");
  },
});

/** Applies a suggested target for one quarter through setTarget (history + audit). The lead clicks; nothing applies itself. */
export const applySuggestedTargetAction = defineFormAction({
  role: "lead",
  fields: ["quarter", "hours", "reasoning"],
  schema: z.object({
    quarter: quarterIdSchema,
    hours: z.coerce.number().finite().min(0, "hours must be 0 or more"),
    reasoning: z.string().max(4000).optional(),
  }),
  invalid: "Invalid suggestion.",
  handler: ({ quarter, hours, reasoning }, { actor }) => {
    setTarget(getDb(), quarter, hours, { actor, note: `Applied the suggested target from project planning. ${reasoning ?? ""}`.trim().slice(0, 1000) });
    revalidatePath("/projects/plan");
    revalidatePath("/");
    return ok(undefined, `Target for ${quarter} set to ${hours} h.`);
  },
});
