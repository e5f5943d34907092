"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getCurrentPolicy, getTargets, savePolicyVersion, setTarget } from "@/db/queries/config";
import { countIncidents, removeDemoData } from "@/db/queries/demo";
import { updateGeneralSettings } from "@/db/queries/general-settings";
import { AppError, ValidationError, type FieldIssue } from "@/lib/api/errors";
import { fieldErrors, formValues, type FormState } from "@/lib/auth/form-state";
import { requireActionRole } from "@/server/auth/guards";
import { quarterIdSchema } from "@/lib/validation/metric";
import { listClosedQuarters } from "@/db/queries/closures";
import { computeMetrics } from "@/server/metrics";
import { targetChangeIsGoverned, targetChangeRow, type ChangeRow } from "@/lib/governance/change-preview";

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

const savePolicyInput = z.object({
  policy: z.unknown(),
  note: z
    .string({ message: "Give a reason: a new version restates every past quarter" })
    .trim()
    .min(1, "Give a reason: a new version restates every past quarter")
    .max(2000, "must be at most 2000 characters"),
  baseVersion: z.number().int(),
  confirmed: z.literal(true, { message: "Confirm the change after checking the quarters and reports it restates" }),
});

/**
 * Policy tab (lead): appends the draft as a new version. A new version restates every
 * past quarter, so it needs a reason (`note`) and an explicit confirmation, given after
 * the editor showed the quarters and closed reports it changes; both are checked here,
 * since a server action can be called directly. Refuses when someone saved another
 * version since the editor opened (`baseVersion`), so nobody overwrites a change they
 * haven't seen.
 */
export async function savePolicyAction(input: unknown): Promise<SavePolicyResult> {
  const g = await guard("lead");
  if ("denied" in g) return { ok: false, message: g.denied };
  const parsed = savePolicyInput.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(root)", message: i.message }));
    const governance = issues.filter((i) => i.field === "note" || i.field === "confirmed");
    return { ok: false, message: governance.length ? `Not saved: ${governance.map((i) => i.message.charAt(0).toLowerCase() + i.message.slice(1)).join("; ")}.` : "The request was malformed.", issues };
  }
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

/** What the targets form gets back: the usual form state, plus a preview awaiting confirmation. */
export interface TargetFormState extends FormState {
  /** The quarters (one) this change would restate, shown before it is confirmed. */
  preview?: ChangeRow[];
  /** The submission the preview is for; a confirmation only counts for exactly that submission. */
  confirmFor?: string;
}

/**
 * Targets tab (lead): appends to the quarter's target history. Lowering or clearing needs
 * a reason. Any change to a quarter that has ended (provisional or final) also needs one,
 * and is saved only once confirmed against a preview of the verdict and report it
 * changes: the first submission returns the preview, a second with the same values
 * and `confirmFor` saves. Enforced here, so a direct POST cannot skip either.
 */
export async function setTargetAction(_prev: TargetFormState, form: FormData): Promise<TargetFormState> {
  const g = await guard("lead");
  const values = formValues(form, ["quarter", "hours", "note"]);
  if ("denied" in g) return { message: g.denied, values };
  const parsed = targetFormSchema.safeParse(values);
  if (!parsed.success) return { message: "Nothing was saved: fix the fields marked below.", errors: fieldErrors(parsed.error), values };
  const { quarter, hours, note } = parsed.data;
  const db = getDb();
  const prior = getTargets(db)[quarter];
  if (prior === undefined && hours === null) return { message: `Nothing was saved: ${quarter} has no target to clear.`, errors: { hours: ["enter the target hours"] }, values };
  const figure = computeMetrics(db, { asOf: Date.now(), from: quarter, to: quarter }).quarters[0];
  const governed = !!figure && targetChangeIsGoverned(figure.status);
  if (!note && governed) {
    return {
      message: "Nothing was saved: fix the fields marked below.",
      errors: { note: [`Give a reason: ${quarter} has ended (${figure.status}), so changing its target changes a verdict people have already read`] },
      values,
    };
  }
  if (prior !== undefined && (hours === null || hours < prior) && !note) {
    return {
      message: "Nothing was saved: fix the fields marked below.",
      errors: { note: [`Give a reason: ${hours === null ? "clearing" : "lowering"} the target from ${prior} h is kept in the history with it`] },
      values,
    };
  }
  if (governed) {
    const key = JSON.stringify([quarter, hours, note]);
    if (form.get("confirmFor") !== key) {
      const closed = listClosedQuarters(db).find((c) => c.quarter === quarter) ?? null;
      return {
        message: "Nothing is saved yet: check what this changes, then confirm.",
        preview: [targetChangeRow(figure, prior ?? null, hours, closed)],
        confirmFor: key,
        values,
      };
    }
  }
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
