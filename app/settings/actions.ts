"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getCurrentPolicy, getTargets, savePolicyVersion, setTarget } from "@/db/queries/config";
import { countIncidents, removeDemoData } from "@/db/queries/demo";
import { updateGeneralSettings } from "@/db/queries/general-settings";
import { AppError, ValidationError, type FieldIssue } from "@/lib/api/errors";
import { fieldErrors, formValues, type FormState } from "@/lib/auth/form-state";
import { requireActionRole } from "@/lib/auth/server";
import { quarterIdSchema } from "@/lib/validation/metric";

function issuesToErrors(issues: FieldIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[i.field] ??= []).push(i.message);
  return out;
}

/** A refused role or cross-site call becomes the form's message; anything else is rethrown. */
async function guard(role: "admin" | "lead"): Promise<{ actor: { id: string; label: string } } | { denied: string }> {
  try {
    const a = await requireActionRole(role);
    return { actor: { id: a.id, label: a.label } };
  } catch (err) {
    if (err instanceof AppError) return { denied: err.message };
    throw err;
  }
}

const wholeNumber = z.string().trim().min(1, "is required").regex(/^-?\d+$/, "must be a whole number").transform(Number);

const generalFormSchema = z.object({
  fiscalYearStartMonth: wholeNumber,
  timezone: z.string().trim().min(1, "is required"),
  fiscalYearLabel: z.enum(["start", "end"], { message: "choose start or end" }),
  maturityDays: wholeNumber,
  deployWindowMinutes: wholeNumber,
});
const GENERAL_KEYS = ["fiscalYearStartMonth", "timezone", "fiscalYearLabel", "maturityDays", "deployWindowMinutes"];

/** General tab (admin): fiscal calendar, time zone, maturity, deploy-suggestion window. */
export async function updateGeneralSettingsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const g = await guard("admin");
  const values = formValues(form, GENERAL_KEYS);
  if ("denied" in g) return { message: g.denied, values };
  const parsed = generalFormSchema.safeParse(values);
  if (!parsed.success) return { message: "Nothing was saved: fix the fields marked below.", errors: fieldErrors(parsed.error), values };
  try {
    updateGeneralSettings(getDb(), parsed.data, { actor: g.actor });
  } catch (err) {
    if (err instanceof ValidationError) return { message: "Nothing was saved: fix the fields marked below.", errors: issuesToErrors(err.issues), values };
    throw err;
  }
  revalidatePath("/", "layout");
  return { ok: true, message: "Settings saved. Quarter boundaries and statuses now follow them.", values };
}

export interface SavePolicyResult {
  ok: boolean;
  message: string;
  issues?: FieldIssue[];
  version?: number;
}

const savePolicyInput = z.object({ policy: z.unknown(), note: z.string().max(2000, "must be at most 2000 characters").optional(), baseVersion: z.number().int() });

/**
 * Policy tab (lead): appends the draft as a new version. Refuses when someone saved
 * another version since the editor opened (`baseVersion`), so nobody overwrites
 * a change they haven't seen.
 */
export async function savePolicyAction(input: unknown): Promise<SavePolicyResult> {
  const g = await guard("lead");
  if ("denied" in g) return { ok: false, message: g.denied };
  const parsed = savePolicyInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: "The request was malformed.", issues: parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(root)", message: i.message })) };
  const db = getDb();
  const current = getCurrentPolicy(db);
  if (current.id !== parsed.data.baseVersion) {
    return { ok: false, message: `Version ${current.id} was saved by ${current.createdBy ?? "someone"} after you opened the editor. Reload to see it; your draft was not saved.` };
  }
  try {
    const v = savePolicyVersion(db, parsed.data.policy, { note: parsed.data.note, actor: g.actor });
    revalidatePath("/", "layout");
    return { ok: true, message: `Saved as version ${v.id}. Every figure now uses it.`, version: v.id };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, message: "Not saved: fix the fields marked in the editor.", issues: err.issues };
    throw err;
  }
}

const targetFormSchema = z.object({
  quarter: quarterIdSchema,
  hours: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: "custom", message: "must be a number of hours, or empty to clear the target" });
        return z.NEVER;
      }
      if (n < 0) {
        ctx.addIssue({ code: "custom", message: "must be 0 or more hours" });
        return z.NEVER;
      }
      return n;
    }),
  note: z.string().trim().max(2000, "must be at most 2000 characters"),
});

/** Targets tab (lead): appends to the quarter's target history. Lowering or clearing needs a reason. */
export async function setTargetAction(_prev: FormState, form: FormData): Promise<FormState> {
  const g = await guard("lead");
  const values = formValues(form, ["quarter", "hours", "note"]);
  if ("denied" in g) return { message: g.denied, values };
  const parsed = targetFormSchema.safeParse(values);
  if (!parsed.success) return { message: "Nothing was saved: fix the fields marked below.", errors: fieldErrors(parsed.error), values };
  const { quarter, hours, note } = parsed.data;
  const db = getDb();
  const prior = getTargets(db)[quarter];
  if (prior !== undefined && (hours === null || hours < prior) && !note) {
    return {
      message: "Nothing was saved: fix the fields marked below.",
      errors: { note: [`give a reason: ${hours === null ? "clearing" : "lowering"} the target from ${prior} h is kept in the history with it`] },
      values,
    };
  }
  if (prior === undefined && hours === null) return { message: `${quarter} has no target to clear.`, errors: { hours: ["enter the target hours"] }, values };
  try {
    setTarget(db, quarter, hours, { note: note || null, actor: g.actor });
  } catch (err) {
    if (err instanceof ValidationError) return { message: "Nothing was saved.", errors: issuesToErrors(err.issues), values };
    throw err;
  }
  revalidatePath("/", "layout");
  return { ok: true, message: hours === null ? `Target for ${quarter} cleared.` : `Target for ${quarter} set to ${hours} h.`, values: { quarter, hours: "", note: "" } };
}

/** Data tab (admin): removes the generated demo program and reports what went. */
export async function removeDemoDataAction(_prev: FormState, form: FormData): Promise<FormState> {
  const g = await guard("admin");
  if ("denied" in g) return { message: g.denied };
  if (form.get("confirm") !== "yes") return { message: "Nothing was removed.", errors: { confirm: ["tick the box to confirm"] } };
  const db = getDb();
  const { incidents } = removeDemoData(db, { actor: g.actor });
  const left = countIncidents(db);
  revalidatePath("/", "layout");
  return {
    ok: true,
    message: `Removed ${incidents} demo incident${incidents === 1 ? "" : "s"} with their projects, deploy events and targets. ${left} incident${left === 1 ? "" : "s"} remain${left === 1 ? "s" : ""}.`,
  };
}
