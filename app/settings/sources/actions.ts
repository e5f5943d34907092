"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getSourceByName } from "@/db/queries/sources";
import { ALL_SOURCE_KINDS } from "@/lib/sources/kinds";
import { defineFormAction, fail, ok } from "@/server/actions";
import { saveSource } from "@/server/sources/manage";

const FIELDS = ["originalName", "name", "kind", "baseUrl", "scope", "everyMinutes", "enabled", "credential", "webhookSecret"] as const;
/** Echoed back after a failure: never the credential or the webhook secret. */
const KEEP = ["originalName", "name", "kind", "baseUrl", "scope", "everyMinutes", "enabled"];

const formSchema = z.object({
  originalName: z.string().trim(),
  name: z.string(),
  kind: z.enum(ALL_SOURCE_KINDS, { message: "choose a kind of source" }),
  baseUrl: z.string().trim(),
  scope: z.string(),
  everyMinutes: z.string().trim(),
  enabled: z.string(),
  credential: z.string(),
  webhookSecret: z.string(),
});

/**
 * Settings → Sources (admin): adds a source, or edits the one named `originalName`. An empty
 * base URL takes the vendor's; an empty credential or webhook secret keeps the stored one
 * (they are write-only: never sent back to the page).
 */
export const saveSourceAction = defineFormAction({
  role: "admin",
  fields: FIELDS,
  keep: KEEP,
  schema: formSchema,
  invalid: "Nothing was saved: fix the fields marked below.",
  handler: (input, { actor }) => {
    const db = getDb();
    const existing = input.originalName ? getSourceByName(db, input.originalName) : null;
    if (input.originalName && !existing) return fail(`Source "${input.originalName}" no longer exists; nothing was saved.`);
    const view = saveSource(
      db,
      {
        name: input.name,
        kind: input.kind,
        baseUrl: input.baseUrl || undefined,
        scope: input.scope,
        everyMinutes: input.everyMinutes === "" ? undefined : (input.everyMinutes as unknown as number),
        enabled: input.enabled === "on" || input.enabled === "true",
        credential: input.credential,
        webhookSecret: input.webhookSecret,
      },
      { id: actor.id, label: actor.label },
      { id: existing?.id },
    );
    revalidatePath("/settings/sources");
    return ok(undefined, existing ? `Saved ${view.name}.` : `Added ${view.name}. ${view.enabled ? "It syncs on its schedule; Sync now runs it at once." : "It is off until you turn it on."}`);
  },
});
