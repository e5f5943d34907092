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
} from "@/db/queries/curation";
import { listIncidents } from "@/db/queries/incidents";
import { acceptSuggestions } from "@/server/triage";
import { markFilteredIncidents, undoBulkMark } from "@/server/bulk-marks";
import { defineAction, fail, ok } from "@/server/actions";
import { ConflictError } from "@/lib/api/errors";
import { bulkEditMessage, describeBulkEdit, type BulkEditFields } from "@/lib/incidents/bulk-summary";
import { FILTER_KEYS, incidentListQuerySchema, searchParamsObject } from "@/lib/validation/incident-list";

/** What a refused save hands back: the incident as someone else saved it, or the rows saved since the list showed them. */
export interface CurationConflict {
  conflict?: { current: CurationState; changedSince: FieldChange[] };
  bulkConflicts?: BulkConflict[];
}

/** A save refused because someone saved first, as a failure carrying what they saved; undefined for any other error. */
function conflictFailure(err: unknown) {
  // A stale bulk edit is a ConflictError too: ask for its rows first.
  const bulkConflicts = bulkConflictsOf(err);
  if (bulkConflicts) return fail<CurationConflict>((err as Error).message, {}, { bulkConflicts });
  if (err instanceof ConflictError) {
    const { changedSince, ...current } = err.current as CurationState & { changedSince: FieldChange[] };
    return fail<CurationConflict>(err.message, {}, { conflict: { current, changedSince } });
  }
  return undefined;
}

/** A malformed call from a screen (ids, flags): every problem in one line. */
const notValid = (errors: Record<string, string[]>) => "The request is not valid: " + Object.values(errors).flat().join("; ");

function refresh(id?: number) {
  revalidatePath("/incidents");
  revalidatePath("/");
  if (id) revalidatePath(`/incidents/${id}`);
}

const idSchema = z.number().int().positive();
const idsSchema = z.array(idSchema).min(1, "Select at least one incident").max(1000, "Select at most 1000 incidents");

/** Saves curated fields from the incident page: `patch` holds the changed fields plus the `version` edited. */
export const saveCurationAction = defineAction({
  role: "editor",
  input: (incidentId: number, patch: Record<string, unknown>) => ({ incidentId, patch }),
  schema: z.object({ incidentId: idSchema, patch: z.record(z.string(), z.unknown()) }),
  invalid: notValid,
  handler: ({ incidentId, patch }, { actor }) => {
    try {
      const res = updateCuration(getDb(), incidentId, patch, { actor });
      refresh(incidentId);
      const message = res.changed.length ? `Saved ${res.changed.length === 1 ? "1 change" : `${res.changed.length} changes`}.` : "Nothing changed.";
      return ok({ curation: res.curation, changed: res.changed, quarterDeltas: res.quarterDeltas }, message);
    } catch (err) {
      const conflict = conflictFailure(err);
      if (conflict) return conflict;
      throw err;
    }
  },
});

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
export const triageAction = defineAction({
  role: "editor",
  input: (input: z.input<typeof triageSchema>) => input,
  schema: triageSchema,
  invalid: "The decision is not valid",
  handler: ({ incidentId, evidence, ...patch }, { actor }) => {
    try {
      const res = updateCuration(getDb(), incidentId, patch, {
        actor,
        action: "incident.triage",
        detail: evidence?.length ? { acceptedSuggestion: evidence } : undefined,
      });
      refresh(incidentId);
      return ok({ quarterDeltas: res.quarterDeltas }, "Saved.");
    } catch (err) {
      const conflict = conflictFailure(err);
      if (conflict) return conflict;
      throw err;
    }
  },
});

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
export const bulkEditAction = defineAction({
  role: "editor",
  // The edit itself is validated where it is applied (bulkUpdateCuration), every field's problem at once.
  input: (input: unknown, listSearch?: string) => ({ input, listSearch }),
  schema: z.object({ input: z.unknown(), listSearch: z.string().max(20_000).optional() }),
  invalid: notValid,
  handler: ({ input, listSearch }, { actor }) => {
    try {
      const res = bulkUpdateCuration(getDb(), input, { actor });
      refresh();
      const ids = res.results.map((r) => r.incidentId);
      const changes = describeBulkEdit(input as BulkEditFields);
      const leftFilter = leftTheFilter(ids, listSearch);
      return ok({ updated: res.updated, unchanged: res.unchanged, changes, ids, leftFilter }, bulkEditMessage({ updated: res.updated, unchanged: res.unchanged, changes, leftFilter: leftFilter.length }));
    } catch (err) {
      const conflict = conflictFailure(err);
      if (conflict) return conflict;
      throw err;
    }
  },
});

/** The input of an action on the list's selection: its ids, at least one and at most 1000. */
const selection = { input: (ids: number[]) => ({ ids }), schema: z.object({ ids: idsSchema }), invalid: "Select incidents first" };

/** "Accept suggestions" for a selection: only untriaged incidents with a suggestion change. */
export const acceptSuggestionsAction = defineAction({
  role: "editor",
  ...selection,
  handler: ({ ids }, { actor }) => {
    const res = acceptSuggestions(getDb(), ids, { actor });
    refresh();
    const skipped = res.skipped.length;
    return ok({ accepted: res.accepted }, `Accepted ${res.accepted} suggestion${res.accepted === 1 ? "" : "s"}${skipped ? `; ${skipped} left alone (already triaged or nothing suggested)` : ""}.`);
  },
});

/** A lead marks one incident's tag reviewed, or withdraws the review. */
export const reviewAction = defineAction({
  role: "lead",
  input: (incidentId: number, reviewed: boolean) => ({ incidentId, reviewed }),
  schema: z.object({ incidentId: idSchema, reviewed: z.boolean() }),
  invalid: notValid,
  handler: ({ incidentId, reviewed }, { actor }) => {
    setReviewed(getDb(), incidentId, reviewed, { actor });
    refresh(incidentId);
    return ok(undefined, reviewed ? "Marked as reviewed." : "Review withdrawn.");
  },
});

/** A lead marks a selection reviewed; untriaged or already reviewed ones are skipped. */
export const bulkReviewAction = defineAction({
  role: "lead",
  ...selection,
  handler: ({ ids }, { actor }) => {
    const res = bulkSetReviewed(getDb(), ids, { actor });
    refresh();
    return ok(undefined, `Marked ${res.reviewed} reviewed${res.skipped ? `; ${res.skipped} skipped (untriaged or already reviewed)` : ""}.`);
  },
});

const markSchema = z.object({
  listSearch: z.string().max(20_000),
  analysisStatus: z.literal("final", { error: "must be final" }).optional(),
  trigger: z.enum(["other", "unknown"], { error: "must be other (not change-triggered) or unknown" }).optional(),
});

/**
 * Historical marks on every incident the list's filter matches (all pages, not just a
 * selection): analysis complete and/or a triage. Audited per incident and as one mark,
 * which undoBulkMarkAction reverses.
 */
export const markFilteredAction = defineAction({
  role: "editor",
  input: (listSearch: string, marks: { analysisStatus?: string; trigger?: string }) => ({ listSearch, ...marks }),
  schema: markSchema,
  invalid: notValid,
  handler: ({ listSearch, analysisStatus, trigger }, { actor }) => {
    const parsed = incidentListQuerySchema.safeParse(searchParamsObject(new URLSearchParams(listSearch)));
    if (!parsed.success) return fail(`The list's filter could not be read: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join("; ")}`);
    if (!analysisStatus && !trigger) return fail("Choose what to mark: analysis complete, a triage, or both.");
    const r = markFilteredIncidents(getDb(), parsed.data, { analysisStatus, trigger }, { actor });
    refresh();
    const what = [analysisStatus ? "analysis complete" : null, trigger === "other" ? "not change-triggered" : trigger === "unknown" ? "trigger unknown" : null].filter(Boolean).join(", ");
    return ok(r, `Marked ${r.updated} of ${r.matched} matching incident${r.matched === 1 ? "" : "s"} as ${what}${r.unchanged ? ` (${r.unchanged} already were)` : ""}.`);
  },
});

/** Undoes a mark made by markFilteredAction (incidents edited since keep their newer values). */
export const undoBulkMarkAction = defineAction({
  role: "editor",
  input: (markId: string) => ({ markId }),
  schema: z.object({ markId: z.uuid("is not a mark id") }),
  invalid: notValid,
  handler: ({ markId }, { actor }) => {
    const r = undoBulkMark(getDb(), markId, { actor });
    refresh();
    return ok(r, `Undone: ${r.restored} incident${r.restored === 1 ? "" : "s"} restored${r.skipped ? `; ${r.skipped} changed since, left as they are` : ""}.`);
  },
});
