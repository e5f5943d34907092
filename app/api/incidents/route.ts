import { getDb } from "@/db/client";
import { bulkConflictsOf, bulkUpdateCuration } from "@/db/queries/curation";
import { listIncidents } from "@/db/queries/incidents";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/json-body";
import { withRole } from "@/server/auth/api";
import { iso } from "@/lib/incidents/json";
import { incidentListQuerySchema, searchParamsObject } from "@/lib/validation/incident-list";

export const dynamic = "force-dynamic";

/**
 * GET /api/incidents?q=&quarter=&severity=&trigger=&counted=&service=&deploySystem=&changeType=
 *   &project=&analysisStatus=&reviewed=&sort=&dir=&page=&pageSize=
 * The incident list's filters, as JSON. Bad parameters → 422 naming each one.
 */
export const GET = withRole("viewer", (req: Request) => {
  const parsed = incidentListQuerySchema.safeParse(searchParamsObject(new URL(req.url).searchParams));
  if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));
  const res = listIncidents(getDb(), parsed.data);
  return Response.json({
    total: res.total,
    page: res.page,
    pageSize: res.pageSize,
    pages: res.pages,
    asOf: iso(res.asOf),
    items: res.items.map((i) => ({
      ...i,
      startedAt: iso(i.startedAt),
      resolvedAt: iso(i.resolvedAt),
      windowStart: iso(i.windowStart),
      windowEnd: iso(i.windowEnd),
      reviewedAt: iso(i.reviewedAt),
    })),
  });
});

/**
 * PATCH /api/incidents `{ ids, versions?, trigger?, changeType?, deploySystem?, remediation?,
 * analysisStatus?, addProject? }`: the list's bulk edit, all or nothing. `versions` maps
 * each id to the curation `version` you read; when any incident was saved since, 409
 * `{ error: "conflict", message, conflicts: [{ incidentId, sourceId, yourVersion,
 * currentVersion, changedBy, changedSince }] }` and nothing is written. 422 lists every issue.
 */
export const PATCH = withRole("editor", async (req: Request, _ctx, actor) => {
  const body = await readJsonBody(req, { hint: "send a JSON object { ids, versions, ...fields to set }" });
  try {
    return Response.json(bulkUpdateCuration(getDb(), body, { actor: { id: actor.id, label: actor.label } }));
  } catch (err) {
    const conflicts = bulkConflictsOf(err);
    if (!conflicts) throw err;
    return Response.json(
      {
        error: "conflict",
        message: (err as Error).message,
        conflicts: conflicts.map((c) => ({ ...c, changedSince: c.changedSince.map((f) => ({ ...f, at: iso(f.at) })) })),
      },
      { status: 409 },
    );
  }
});
