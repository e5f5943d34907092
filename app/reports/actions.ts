"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { publishReport } from "@/server/report-publish";
import { NARRATIVE_MAX_CHARS, saveNarrative } from "@/db/queries/reports";
import { defineFormAction, ok } from "@/server/actions";
import { quarterIdSchema } from "@/lib/validation/metric";

const narrativeSchema = z.object({
  quarter: quarterIdSchema,
  narrative: z.string().max(NARRATIVE_MAX_CHARS, `must be at most ${NARRATIVE_MAX_CHARS.toLocaleString("en-US")} characters`),
});

/** Saves the program lead's narrative for a quarter's report (blank clears it). Lead only. */
export const saveNarrativeAction = defineFormAction({
  role: "lead",
  fields: ["quarter", "narrative"],
  keep: ["quarter", "narrative"],
  schema: narrativeSchema,
  handler: ({ quarter, narrative }, { actor, values }) => {
    saveNarrative(getDb(), quarter, narrative, { actor });
    revalidatePath(`/reports/${quarter}`);
    return ok(undefined, narrative.trim() ? "Narrative saved." : "Narrative cleared.", values);
  },
});

const publishSchema = z.object({ quarter: quarterIdSchema, confirm: z.literal("yes", { error: "tick the box to confirm" }) });

/**
 * Publishes a quarter's report: freezes the quarter and stores the report as shown now.
 * Lead only. On success the client goes to the new version's permanent link.
 */
export const publishReportAction = defineFormAction({
  role: "lead",
  fields: ["quarter", "confirm"],
  keep: ["quarter", "confirm"],
  schema: publishSchema,
  handler: ({ quarter }, { actor }) => {
    const pub = publishReport(getDb(), quarter, { actor });
    revalidatePath("/reports");
    revalidatePath(`/reports/${pub.quarter}`);
    return ok({ quarter: pub.quarter, version: pub.version }, `Published ${pub.quarter} version ${pub.version}.`);
  },
});
