"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { deleteImportPreset, PRESET_NAME, saveImportPreset, undoImportBatch } from "@/db/queries/imports";
import { AppError } from "@/lib/api/errors";
import { requireActionRole } from "@/server/auth/guards";
import { importMappingSchema } from "@/lib/import/sources/generic";

export type ActionResult = { ok: true; message: string } | { ok: false; message: string; fieldErrors?: Record<string, string> };

function failure(err: unknown): ActionResult {
  if (err instanceof AppError) return { ok: false, message: err.message };
  console.error("import action failed:", err instanceof Error ? err.message : "non-error thrown");
  return { ok: false, message: "Something went wrong on the server." };
}

const undoSchema = z.object({ batchId: z.coerce.number().int().positive() });

/** Undoes one import batch (the page asks for confirmation first). */
export async function undoBatchAction(input: { batchId: number }): Promise<ActionResult> {
  const actor = await requireActionRole("editor");
  const parsed = undoSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: "Invalid batch id" };
  try {
    const r = undoImportBatch(getDb(), parsed.data.batchId, { id: actor.id, label: actor.label });
    revalidatePath("/import");
    revalidatePath("/incidents");
    return { ok: true, message: `Batch ${r.batchId} undone: ${r.deleted} incident(s) removed, ${r.restored} restored.` };
  } catch (err) {
    return failure(err);
  }
}

const presetSchema = z.object({
  name: z.string().trim().regex(PRESET_NAME, "1–80 letters, digits, spaces, dots, dashes or underscores"),
  mapping: importMappingSchema,
});

/** Saves the mapping editor's table under a name, reusable with `cli import --preset NAME`. */
export async function savePresetAction(input: { name: string; mapping: unknown }): Promise<ActionResult> {
  const actor = await requireActionRole("editor");
  const parsed = presetSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0] ?? "mapping")] ??= i.message;
    return { ok: false, message: "The preset was not saved.", fieldErrors };
  }
  try {
    saveImportPreset(getDb(), parsed.data.name, parsed.data.mapping, { id: actor.id, label: actor.label });
    revalidatePath("/import");
    return { ok: true, message: `Saved preset "${parsed.data.name}".` };
  } catch (err) {
    return failure(err);
  }
}

export async function deletePresetAction(input: { name: string }): Promise<ActionResult> {
  const actor = await requireActionRole("editor");
  const name = z.string().trim().min(1).max(80).safeParse(input?.name);
  if (!name.success) return { ok: false, message: "Invalid preset name" };
  try {
    const deleted = deleteImportPreset(getDb(), name.data, { id: actor.id, label: actor.label });
    revalidatePath("/import");
    return deleted ? { ok: true, message: `Deleted preset "${name.data}".` } : { ok: false, message: "No such preset" };
  } catch (err) {
    return failure(err);
  }
}
