"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { publishReport } from "@/server/report-publish";
import { NARRATIVE_MAX_CHARS, saveNarrative } from "@/db/queries/reports";
import { AppError, ValidationError } from "@/lib/api/errors";
import { fieldErrors, formValues, type FormState } from "@/lib/auth/form-state";
import { requireActionRole } from "@/server/auth/guards";
import { quarterIdSchema } from "@/lib/validation/metric";

const narrativeSchema = z.object({
  quarter: quarterIdSchema,
  narrative: z.string().max(NARRATIVE_MAX_CHARS, `must be at most ${NARRATIVE_MAX_CHARS.toLocaleString("en-US")} characters`),
});

function failure(err: unknown, values?: Record<string, string>): FormState {
  if (err instanceof ValidationError) {
    const errors: Record<string, string[]> = {};
    for (const i of err.issues) (errors[i.field] ??= []).push(i.message);
    return { message: err.message, errors, values };
  }
  if (err instanceof AppError) return { message: err.message, values };
  throw err;
}

/** Saves the program lead's narrative for a quarter's report (blank clears it). Lead only. */
export async function saveNarrativeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form, ["quarter", "narrative"]);
  try {
    const actor = await requireActionRole("lead");
    const parsed = narrativeSchema.safeParse(values);
    if (!parsed.success) return { errors: fieldErrors(parsed.error), values, message: "Check the highlighted fields." };
    saveNarrative(getDb(), parsed.data.quarter, parsed.data.narrative, { actor: { id: actor.id, label: actor.label } });
    revalidatePath(`/reports/${parsed.data.quarter}`);
    return { ok: true, message: parsed.data.narrative.trim() ? "Narrative saved." : "Narrative cleared.", values };
  } catch (err) {
    return failure(err, values);
  }
}

const publishSchema = z.object({ quarter: quarterIdSchema, confirm: z.literal("yes", { error: "tick the box to confirm" }) });

/**
 * Publishes a quarter's report: freezes the quarter and stores the report as shown now.
 * Lead only. On success the client goes to the new version's permanent link.
 */
export async function publishReportAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form, ["quarter", "confirm"]);
  try {
    const actor = await requireActionRole("lead");
    const parsed = publishSchema.safeParse(values);
    if (!parsed.success) return { errors: fieldErrors(parsed.error), values, message: "Check the highlighted fields." };
    const pub = publishReport(getDb(), parsed.data.quarter, { actor: { id: actor.id, label: actor.label } });
    revalidatePath("/reports");
    revalidatePath(`/reports/${pub.quarter}`);
    return { ok: true, message: `Published ${pub.quarter} version ${pub.version}.`, values: { quarter: pub.quarter, version: String(pub.version) } };
  } catch (err) {
    return failure(err, values);
  }
}
