"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { deleteImportPreset, PRESET_NAME, saveImportPreset, undoImportBatch } from "@/db/queries/imports";
import { defineAction, fail, ok } from "@/server/actions";
import { importMappingSchema } from "@/lib/import/sources/generic";

/** Undoes one import batch (the page asks for confirmation first). */
export const undoBatchAction = defineAction({
  role: "editor",
  input: (input: { batchId: number }) => input,
  schema: z.object({ batchId: z.coerce.number().int().positive() }),
  invalid: "Invalid batch id",
  handler: ({ batchId }, { actor }) => {
    const r = undoImportBatch(getDb(), batchId, actor);
    revalidatePath("/import");
    revalidatePath("/incidents");
    return ok(undefined, `Batch ${r.batchId} undone: ${r.deleted} incident(s) removed, ${r.restored} restored.`);
  },
});

/** Saves the mapping editor's table under a name, reusable with `cli import --preset NAME`. */
export const savePresetAction = defineAction({
  role: "editor",
  input: (input: { name: string; mapping: unknown }) => input,
  schema: z.object({
    name: z.string().trim().regex(PRESET_NAME, "1–80 letters, digits, spaces, dots, dashes or underscores"),
    mapping: importMappingSchema,
  }),
  invalid: "The preset was not saved.",
  handler: ({ name, mapping }, { actor }) => {
    saveImportPreset(getDb(), name, mapping, actor);
    revalidatePath("/import");
    return ok(undefined, `Saved preset "${name}".`);
  },
});

export const deletePresetAction = defineAction({
  role: "editor",
  input: (input: { name: string }) => ({ name: input?.name }),
  schema: z.object({ name: z.string().trim().min(1).max(80) }),
  invalid: "Invalid preset name",
  handler: ({ name }, { actor }) => {
    const deleted = deleteImportPreset(getDb(), name, actor);
    revalidatePath("/import");
    return deleted ? ok(undefined, `Deleted preset "${name}".`) : fail("No such preset");
  },
});
