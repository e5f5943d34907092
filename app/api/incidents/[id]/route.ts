import { getDb } from "@/db/client";
import { updateCuration } from "@/db/queries/curation";
import { incidentView } from "@/server/incident-view";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/json-body";
import { withRole } from "@/server/auth/api";
import { conflictForApi, curationStateJson, historyJson } from "@/lib/incidents/api";
import { iso } from "@/lib/incidents/json";
import { incidentIdParamSchema } from "@/lib/validation/route-params";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

async function incidentId(ctx: Ctx): Promise<number> {
  const raw = (await ctx.params).id;
  const parsed = incidentIdParamSchema.safeParse(raw);
  if (!parsed.success) throw new NotFoundError(`No incident with id ${raw}`);
  return parsed.data;
}

/** GET /api/incidents/:id → source fields, curation (with `version`), the engine's verdict, suggestions, history. */
export const GET = withRole("viewer", async (_req: Request, ctx: Ctx) => {
  const id = await incidentId(ctx);
  const view = incidentView(getDb(), id);
  if (!view) throw new NotFoundError(`No incident with id ${id}`);
  const { incident: i, curation, duplicateOf, duplicates, linkedDeploy } = view.detail;
  const e = view.explanation;
  return Response.json({
    id: i.id,
    source: i.source,
    sourceId: i.sourceId,
    title: i.title,
    description: i.description,
    severity: i.severity,
    status: i.status,
    startedAt: iso(i.startedAt),
    resolvedAt: iso(i.resolvedAt),
    url: i.url,
    sourceServices: i.sourceServices,
    customFields: i.customFields,
    curation: curationStateJson(curation),
    duplicateOf,
    duplicates,
    linkedDeploy: linkedDeploy && { ...linkedDeploy, finishedAt: iso(linkedDeploy.finishedAt), startedAt: iso(linkedDeploy.startedAt), createdAt: iso(linkedDeploy.createdAt) },
    evaluation: { ...e, start: iso(e.start), end: iso(e.end) },
    suggestions: {
      ...view.suggestions,
      deploys: view.suggestions.deploys.map((d) => ({ ...d, deploy: { ...d.deploy, finishedAt: iso(d.deploy.finishedAt) } })),
    },
    history: view.history.map(historyJson),
  });
});

/**
 * PATCH /api/incidents/:id with camelCase curated fields (and the `version` you edited).
 * 422 with every field error; 404 for an unknown id; 409 with `current` (and
 * `current.changedSince`) when someone saved a newer version. Without `version` the
 * fields apply to whatever is current.
 */
export const PATCH = withRole("editor", async (req: Request, ctx: Ctx, actor) => {
  const id = await incidentId(ctx);
  const body = await readJsonBody(req, { hint: "send a JSON object of curated fields" });
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError("The body must be a JSON object", [{ field: "(body)", message: "send a JSON object of curated fields" }]);
  try {
    const res = updateCuration(getDb(), id, body, { actor: { id: actor.id, label: actor.label } });
    return Response.json({
      curation: curationStateJson(res.curation),
      changed: res.changed,
      quarterDeltas: res.quarterDeltas,
      reviewCleared: res.reviewCleared,
    });
  } catch (err) {
    if (err instanceof ConflictError) throw conflictForApi(err);
    throw err;
  }
});
