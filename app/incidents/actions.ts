"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import {
  bulkConflictsOf,
  bulkSetReviewed,
  bulkUpdateCuration,
  setReviewed,
  updateCuration,
  type BulkConflict,
  type CurationState,
  type FieldChange,
  type QuarterDelta,
} from "@/db/queries/curation";
import { listIncidents } from "@/db/queries/incidents";
import { acceptSuggestions } from "@/server/triage";
import { AppError, ConflictError, ValidationError } from "@/lib/api/errors";
import { requireActionRole } from "@/server/auth/guards";
import { bulkEditMessage, describeBulkEdit, type BulkEditFields } from "@/lib/incidents/bulk-summary";
import { FILTER_KEYS, incidentListQuerySchema, searchParamsObject } from "@/lib/validation/incident-list";

export type ActionResult<T = object> =
  | ({ ok: true; message: string } & T)
  | { ok: false; message: string; errors?: Record<string, string[]>; conflict?: { current: CurationState; changedSince: FieldChange[] }; bulkConflicts?: BulkConflict[] };

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

/**
 * Of the incidents a bulk edit touched, those the list's filter (its URL query) no longer
 * shows, so the confirmation can say so instead of rows vanishing. Empty when the list
 * was unfiltered or its query does not parse.
 */
function leftTheFilter(ids: number[], listSearch: string | undefined): number[] {
  if (!listSearch) return [];
  const parsed = incidentListQuerySchema.safeParse(searchParamsObject(new URLSearchParams(listSearch)));
  if (!parsed.success || !FILTER_KEYS.some((k) => parsed.data[k] !== undefined)) return [];
  const still = new Set<number>();
  const db = getDb();
  for (let page = 1; ; page++) {
    const res = listIncidents(db, { ...parsed.data, ids, page, pageSize: 200 });
    for (const i of res.items) still.add(i.id);
    if (page >= res.pages) break;
  }
  return ids.filter((id) => !still.has(id));
}

/**
 * Bulk edit from the list's selection: one audit row per incident. `input.versions` holds
 * the version of each row as the list showed it; a row saved since refuses the edit with
 * `bulkConflicts`. `listSearch` is the list's query string, to report rows that left it.
 */
export async function bulkEditAction(
  input: unknown,
  listSearch?: string,
): Promise<ActionResult<{ updated: number; unchanged: number; changes: string; ids: number[]; leftFilter: number[] }>> {
  try {
    const actor = await requireActionRole("editor");
    const search = z.string().max(20_000).optional().parse(listSearch);
    const res = bulkUpdateCuration(getDb(), input, { actor: { id: actor.id, label: actor.label } });
    refresh();
    const ids = res.results.map((r) => r.incidentId);
    const changes = describeBulkEdit(input as BulkEditFields);
    const leftFilter = leftTheFilter(ids, search);
    return { ok: true, message: bulkEditMessage({ updated: res.updated, unchanged: res.unchanged, changes, leftFilter: leftFilter.length }), updated: res.updated, unchanged: res.unchanged, changes, ids, leftFilter };
  } catch (err) {
    const bulkConflicts = bulkConflictsOf(err);
    if (bulkConflicts) return { ok: false, message: (err as Error).message, bulkConflicts };
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
