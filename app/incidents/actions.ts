"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { bulkSetReviewed, bulkUpdateCuration, setReviewed, updateCuration, type CurationState, type FieldChange, type QuarterDelta } from "@/db/queries/curation";
import { acceptSuggestions } from "@/db/queries/triage";
import { AppError, ConflictError, ValidationError } from "@/lib/api/errors";
import { requireActionRole } from "@/lib/auth/server";

export type ActionResult<T = object> =
  | ({ ok: true; message: string } & T)
  | { ok: false; message: string; errors?: Record<string, string[]>; conflict?: { current: CurationState; changedSince: FieldChange[] } };

function failure(err: unknown): ActionResult {
  if (err instanceof ValidationError) {
    const errors: Record<string, string[]> = {};
    for (const i of err.issues) (errors[i.field] ??= []).push(i.message);
    return { ok: false, message: err.message, errors };
  }
  if (err instanceof ConflictError) {
    const { changedSince, ...current } = err.current as CurationState & { changedSince: FieldChange[] };
    return { ok: false, message: err.message, conflict: { current, changedSince } };
  }
  if (err instanceof AppError) return { ok: false, message: err.message };
  if (err instanceof z.ZodError) return { ok: false, message: "The request is not valid: " + err.issues.map((i) => i.message).join("; ") };
  throw err;
}

function refresh(id?: number) {
  revalidatePath("/incidents");
  revalidatePath("/");
  if (id) revalidatePath(`/incidents/${id}`);
}

const idSchema = z.number().int().positive();
const idsSchema = z.array(idSchema).min(1, "Select at least one incident").max(1000, "Select at most 1000 incidents");

/** Saves curated fields from the incident page: `patch` holds the changed fields plus the `version` edited. */
export async function saveCurationAction(incidentId: number, patch: Record<string, unknown>): Promise<ActionResult<{ curation: CurationState; changed: string[]; quarterDeltas: QuarterDelta[] }>> {
  try {
    const actor = await requireActionRole("editor");
    const id = idSchema.parse(incidentId);
    const res = updateCuration(getDb(), id, patch, { actor: { id: actor.id, label: actor.label } });
    refresh(id);
    return {
      ok: true,
      message: res.changed.length ? `Saved ${res.changed.length === 1 ? "1 change" : `${res.changed.length} changes`}.` : "Nothing changed.",
      curation: res.curation,
      changed: res.changed,
      quarterDeltas: res.quarterDeltas,
    };
  } catch (err) {
    return failure(err) as ActionResult<never>;
  }
}

const triageSchema = z.object({
  incidentId: idSchema,
  trigger: z.enum(["change", "other"]),
  version: z.number().int().positive(),
  changeType: z.string().max(100).nullable().optional(),
  deploySystem: z.string().max(200).nullable().optional(),
  linkedDeployId: z.number().int().positive().nullable().optional(),
  evidence: z.array(z.string().max(500)).max(20).optional(),
});

/** A triage decision from the queue (keyboard or buttons), optionally with an accepted suggestion. */
export async function triageAction(input: z.input<typeof triageSchema>): Promise<ActionResult<{ quarterDeltas: QuarterDelta[] }>> {
  try {
    const actor = await requireActionRole("editor");
    const p = triageSchema.safeParse(input);
    if (!p.success) throw new ValidationError("The decision is not valid", p.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })));
    const { incidentId, evidence, ...patch } = p.data;
    const res = updateCuration(getDb(), incidentId, patch, {
      actor: { id: actor.id, label: actor.label },
      action: "incident.triage",
      detail: evidence?.length ? { acceptedSuggestion: evidence } : undefined,
    });
    refresh(incidentId);
    return { ok: true, message: "Saved.", quarterDeltas: res.quarterDeltas };
  } catch (err) {
    return failure(err) as ActionResult<never>;
  }
}

/** Bulk edit from the list's selection: one audit row per incident. */
export async function bulkEditAction(input: unknown): Promise<ActionResult<{ updated: number; unchanged: number }>> {
  try {
    const actor = await requireActionRole("editor");
    const res = bulkUpdateCuration(getDb(), input, { actor: { id: actor.id, label: actor.label } });
    refresh();
    return { ok: true, message: `Updated ${res.updated} incident${res.updated === 1 ? "" : "s"}${res.unchanged ? `; ${res.unchanged} already had these values` : ""}.`, ...res };
  } catch (err) {
    return failure(err) as ActionResult<never>;
  }
}

/** "Accept suggestions" for a selection: only untriaged incidents with a suggestion change. */
export async function acceptSuggestionsAction(ids: number[]): Promise<ActionResult<{ accepted: number }>> {
  try {
    const actor = await requireActionRole("editor");
    const p = idsSchema.safeParse(ids);
    if (!p.success) throw new ValidationError("Select incidents first", [{ field: "ids", message: p.error.issues[0].message }]);
    const res = acceptSuggestions(getDb(), p.data, { actor: { id: actor.id, label: actor.label } });
    refresh();
    const skipped = res.skipped.length;
    return { ok: true, message: `Accepted ${res.accepted} suggestion${res.accepted === 1 ? "" : "s"}${skipped ? `; ${skipped} left alone (already triaged or nothing suggested)` : ""}.`, accepted: res.accepted };
  } catch (err) {
    return failure(err) as ActionResult<never>;
  }
}

/** A lead marks one incident's tag reviewed, or withdraws the review. */
export async function reviewAction(incidentId: number, reviewed: boolean): Promise<ActionResult> {
  try {
    const actor = await requireActionRole("lead");
    const id = idSchema.parse(incidentId);
    setReviewed(getDb(), id, z.boolean().parse(reviewed), { actor: { id: actor.id, label: actor.label } });
    refresh(id);
    return { ok: true, message: reviewed ? "Marked as reviewed." : "Review withdrawn." };
  } catch (err) {
    return failure(err);
  }
}

/** A lead marks a selection reviewed; untriaged or already reviewed ones are skipped. */
export async function bulkReviewAction(ids: number[]): Promise<ActionResult> {
  try {
    const actor = await requireActionRole("lead");
    const p = idsSchema.safeParse(ids);
    if (!p.success) throw new ValidationError("Select incidents first", [{ field: "ids", message: p.error.issues[0].message }]);
    const res = bulkSetReviewed(getDb(), p.data, { actor: { id: actor.id, label: actor.label } });
    refresh();
    return { ok: true, message: `Marked ${res.reviewed} reviewed${res.skipped ? `; ${res.skipped} skipped (untriaged or already reviewed)` : ""}.` };
  } catch (err) {
    return failure(err);
  }
}
