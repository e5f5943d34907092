"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { saveSuggestionConfig } from "@/db/queries/triage";
import { defineAction, ok } from "@/server/actions";

/** Saves the suggestion rules and deploy window (leads and admins). Every problem is returned; nothing is saved then. */
export const saveSuggestionRulesAction = defineAction({
  role: "lead",
  schema: z.object({ rules: z.unknown(), windowMinutes: z.unknown() }),
  input: (input: { rules: unknown; windowMinutes: unknown }) => ({ rules: input?.rules, windowMinutes: input?.windowMinutes }),
  handler: (input, { actor }) => {
    const cfg = saveSuggestionConfig(getDb(), input, { actor });
    revalidatePath("/settings/suggestions");
    revalidatePath("/incidents", "layout");
    return ok(undefined, cfg.customised ? `Saved ${cfg.rules.length} rules and a ${cfg.windowMinutes}-minute deploy window.` : `Restored the default rules; deploy window ${cfg.windowMinutes} minutes.`);
  },
});
