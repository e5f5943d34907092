"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { deleteImportPreset, PRESET_NAME, saveImportPreset, undoImportBatch } from "@/db/queries/imports";
import { defineAction, fail, ok } from "@/server/actions";
import { getCurrentPolicy, savePolicyVersion } from "@/db/queries/config";
import { importMappingSchema } from "@/lib/import/sources/generic";
import { SEVERITY_CHOICES, withSeverityChoices } from "@/lib/import/preview";

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

const severityMapInput = z.object({
  choices: z
    .record(z.string().trim().min(1, "a severity must not be empty").max(200), z.enum(SEVERITY_CHOICES, { error: "must be high, medium, low or ignore" }))
    .refine((c) => Object.keys(c).length > 0, "Choose a class for at least one severity")
    .refine((c) => Object.keys(c).length <= 500, "At most 500 severities at once"),
  fileName: z.string().trim().max(255).optional(),
});

/**
 * Maps severities the import preview found unmapped, as a new policy version (audited
 * `policy.save`, with a note naming the import), before the import runs. A lead's
 * decision, as on Settings; `ignore` leaves a severity unmapped.
 */
export const mapSeveritiesAction = defineAction({
  role: "lead",
  input: (input: { choices: Record<string, string>; fileName?: string }) => input,
  schema: severityMapInput,
  invalid: (errors) => `The severities were not mapped: ${Object.values(errors).flat().join("; ")}`,
  handler: ({ choices, fileName }, { actor }) => {
    const db = getDb();
    const current = getCurrentPolicy(db);
    const { policy, added, skipped } = withSeverityChoices(current.policy, choices);
    const names = Object.entries(added);
    if (!names.length) {
      return ok({ version: current.id, added, skipped }, skipped.length ? `Nothing to save: ${skipped.join(", ")} are mapped by policy version ${current.id} already.` : "Nothing to save: every severity was left unmapped.");
    }
    const note = `Mapped at import${fileName ? ` of ${fileName}` : ""}: ${names.map(([s, c]) => `${s} → ${c}`).join(", ")}`.slice(0, 1000);
    const v = savePolicyVersion(db, policy, { note, actor });
    revalidatePath("/", "layout");
    return ok(
      { version: v.id, added, skipped },
      `Saved policy version ${v.id}: ${names.map(([s, c]) => `${s} → ${c}`).join(", ")}.${skipped.length ? ` Already mapped, left as they were: ${skipped.join(", ")}.` : ""}`,
    );
  },
});
