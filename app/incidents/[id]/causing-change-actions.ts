"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { linkCauseToIncidents, setIncidentDeployLinks } from "@/db/queries/deploy-links";
import { DEPLOY_LINK_KINDS, type DeployLinkKind } from "@/lib/metric/dora";
import { defineAction, ok } from "@/server/actions";

const schema = z.object({
  incidentId: z.number().int().positive(),
  kind: z.enum(DEPLOY_LINK_KINDS),
  deployIds: z.array(z.number().int().positive()).max(50, "Link at most 50 deploys"),
});

/**
 * Confirms an incident's causing deploys (or remediation deploys): the whole set of that
 * kind; an empty set of causes means "none of these". Audited; the change figures follow.
 */
export const setDeployLinksAction = defineAction({
  role: "editor",
  input: (incidentId: number, kind: DeployLinkKind, deployIds: number[]) => ({ incidentId, kind, deployIds }),
  schema,
  invalid: (errors) => "The request is not valid: " + Object.values(errors).flat().join("; "),
  handler: ({ incidentId, kind, deployIds }, { actor }) => {
    const { after } = setIncidentDeployLinks(getDb(), { incidentId, kind, deployIds, actor });
    revalidatePath(`/incidents/${incidentId}`);
    revalidatePath("/");
    const n = after.length;
    if (kind === "cause") return ok(undefined, n ? `Confirmed ${n} causing deploy${n === 1 ? "" : "s"}.` : "Recorded: none of these deploys caused it.");
    return ok(undefined, n ? `Marked ${n} remediation deploy${n === 1 ? "" : "s"}.` : "No remediation deploy marked.");
  },
});

/** The incident list's bulk bar: one deploy (id or external id) confirmed as a cause of every selected incident. */
export const bulkLinkCauseAction = defineAction({
  role: "editor",
  schema: z.object({
    ids: z.array(z.number().int().positive()).min(1, "Select at least one incident").max(1000, "Select at most 1000 incidents"),
    deploy: z.string().trim().min(1, "Name the deploy: its id or external id").max(200, "must be at most 200 characters"),
  }),
  handler: ({ ids, deploy }, { actor }) => {
    const r = linkCauseToIncidents(getDb(), { incidentIds: ids, deploy, actor });
    revalidatePath("/incidents");
    revalidatePath("/");
    return ok(r, `Linked ${r.linked} incident${r.linked === 1 ? "" : "s"} to the deploy as its cause${r.already ? ` (${r.already} already were)` : ""}.`);
  },
});
