"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { saveSuggestionConfig } from "@/db/queries/triage";
import { AppError, ValidationError } from "@/lib/api/errors";
import { requireActionRole } from "@/server/auth/guards";

export type SaveRulesResult = { ok: true; message: string } | { ok: false; message: string; errors?: Record<string, string[]> };

/** Saves the suggestion rules and deploy window (leads and admins). Every problem is returned; nothing is saved then. */
export async function saveSuggestionRulesAction(input: { rules: unknown; windowMinutes: unknown }): Promise<SaveRulesResult> {
  try {
    const actor = await requireActionRole("lead");
    const cfg = saveSuggestionConfig(getDb(), { rules: input?.rules, windowMinutes: input?.windowMinutes }, { actor: { id: actor.id, label: actor.label } });
    revalidatePath("/settings/suggestions");
    revalidatePath("/incidents", "layout");
    return { ok: true, message: cfg.customised ? `Saved ${cfg.rules.length} rules and a ${cfg.windowMinutes}-minute deploy window.` : `Restored the default rules; deploy window ${cfg.windowMinutes} minutes.` };
  } catch (err) {
    if (err instanceof ValidationError) {
      const errors: Record<string, string[]> = {};
      for (const i of err.issues) (errors[i.field] ??= []).push(i.message);
      return { ok: false, message: err.message, errors };
    }
    if (err instanceof AppError) return { ok: false, message: err.message };
    throw err;
  }
}
