"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { listClosedQuarters } from "@/db/queries/closures";
import { getCurrentPolicy, getTargets, savePolicyVersion, setTarget } from "@/db/queries/config";
import { countIncidents, removeDemoData } from "@/db/queries/demo";
import { updateGeneralSettings } from "@/db/queries/general-settings";
import { computeMetrics } from "@/server/metrics";
import { defineAction, defineFormAction, fail, issueErrors, ok } from "@/server/actions";
import { ValidationError } from "@/lib/api/errors";
import { targetChangeIsGoverned, targetChangeRow, type ChangeRow } from "@/lib/governance/change-preview";
import { quarterIdSchema } from "@/lib/validation/metric";

const wholeNumber = z.string().trim().min(1, "is required").regex(/^-?\d+$/, "must be a whole number").transform(Number);

const generalFormSchema = z.object({
  fiscalYearStartMonth: wholeNumber,
  timezone: z.string().trim().min(1, "is required"),
  fiscalYearLabel: z.enum(["start", "end"], { message: "choose start or end" }),
  maturityDays: wholeNumber,
  deployWindowMinutes: wholeNumber,
  causeWindowHours: wholeNumber,
  rollbackWindowHours: wholeNumber,
});
const GENERAL_KEYS = ["fiscalYearStartMonth", "timezone", "fiscalYearLabel", "maturityDays", "deployWindowMinutes", "causeWindowHours", "rollbackWindowHours"];
const NOT_SAVED = "Nothing was saved: fix the fields marked below.";

/** General tab (admin): fiscal calendar, time zone, maturity, deploy-suggestion window. */
export const updateGeneralSettingsAction = defineFormAction({
  role: "admin",
  fields: GENERAL_KEYS,
  keep: GENERAL_KEYS,
  schema: generalFormSchema,
  invalid: NOT_SAVED,
  handler: (input, { actor, values }) => {
    updateGeneralSettings(getDb(), input, { actor });
    revalidatePath("/", "layout");
    return ok(undefined, "Settings saved. Quarter boundaries and statuses now follow them.", values);
  },
});

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
export const savePolicyAction = defineAction({
  role: "lead",
  schema: savePolicyInput,
  invalid: (errors) => {
    const governance = [...(errors.note ?? []), ...(errors.confirmed ?? [])];
    return governance.length ? `Not saved: ${governance.map((m) => m.charAt(0).toLowerCase() + m.slice(1)).join("; ")}.` : "The request was malformed.";
  },
  handler: (input: z.output<typeof savePolicyInput>, { actor }) => {
    const db = getDb();
    const current = getCurrentPolicy(db);
    if (current.id !== input.baseVersion) {
      return fail(`Version ${current.id} was saved by ${current.createdBy ?? "someone"} after you opened the editor. Reload to see it; your draft was not saved.`);
    }
    try {
      const v = savePolicyVersion(db, input.policy, { note: input.note, actor });
      revalidatePath("/", "layout");
      return ok({ version: v.id }, `Saved as version ${v.id}. Every figure now uses it.`);
    } catch (err) {
      if (err instanceof ValidationError) return fail("Not saved: fix the fields marked in the editor.", issueErrors(err.issues));
      throw err;
    }
  },
});

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

/** A preview awaiting confirmation: the quarter (one) the change would restate, and the submission it is for. */
export interface TargetPreview {
  preview: ChangeRow[];
  /** A confirmation only counts for exactly this submission. */
  confirmFor: string;
}

/**
 * Targets tab (lead): appends to the quarter's target history. Lowering or clearing needs
 * a reason. Any change to a quarter that has ended (provisional or final) also needs one,
 * and is saved only once confirmed against a preview of the verdict and report it
 * changes: the first submission returns the preview, a second with the same values
 * and `confirmFor` saves. Enforced here, so a direct POST cannot skip either.
 */
export const setTargetAction = defineFormAction({
  role: "lead",
  fields: ["quarter", "hours", "note"],
  keep: ["quarter", "hours", "note"],
  schema: targetFormSchema,
  invalid: NOT_SAVED,
  handler: (input, { actor, args: [, form] }) => {
    const { quarter, hours, note } = input;
    const db = getDb();
    const prior = getTargets(db)[quarter];
    if (prior === undefined && hours === null) return fail(`Nothing was saved: ${quarter} has no target to clear.`, { hours: ["enter the target hours"] });
    const figure = computeMetrics(db, { asOf: Date.now(), from: quarter, to: quarter }).quarters[0];
    const governed = !!figure && targetChangeIsGoverned(figure.status);
    if (!note && governed) {
      return fail(NOT_SAVED, { note: [`Give a reason: ${quarter} has ended (${figure.status}), so changing its target changes a verdict people have already read`] });
    }
    if (prior !== undefined && (hours === null || hours < prior) && !note) {
      return fail(NOT_SAVED, { note: [`Give a reason: ${hours === null ? "clearing" : "lowering"} the target from ${prior} h is kept in the history with it`] });
    }
    if (governed) {
      const key = JSON.stringify([quarter, hours, note]);
      if (form.get("confirmFor") !== key) {
        const closed = listClosedQuarters(db).find((c) => c.quarter === quarter) ?? null;
        const detail: TargetPreview = { preview: [targetChangeRow(figure, prior ?? null, hours, closed)], confirmFor: key };
        return fail("Nothing is saved yet: check what this changes, then confirm.", {}, detail);
      }
    }
    try {
      setTarget(db, quarter, hours, { note: note || null, actor });
    } catch (err) {
      if (err instanceof ValidationError) return fail("Nothing was saved.", issueErrors(err.issues));
      throw err;
    }
    revalidatePath("/", "layout");
    return ok(undefined, hours === null ? `Target for ${quarter} cleared.` : `Target for ${quarter} set to ${hours} h.`, { quarter, hours: "", note: "" });
  },
});

/** Data tab (admin): removes the generated demo program and reports what went. */
export const removeDemoDataAction = defineFormAction({
  role: "admin",
  fields: ["confirm"],
  schema: z.object({ confirm: z.literal("yes", { error: "tick the box to confirm" }) }),
  invalid: "Nothing was removed.",
  handler: (_input, { actor }) => {
    const db = getDb();
    const { incidents } = removeDemoData(db, { actor });
    const left = countIncidents(db);
    revalidatePath("/", "layout");
    return ok(
      undefined,
      `Removed ${incidents} demo incident${incidents === 1 ? "" : "s"} with their projects, deploy events and targets. ${left} incident${left === 1 ? "" : "s"} remain${left === 1 ? "s" : ""}.`,
    );
  },
});
