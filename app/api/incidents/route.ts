import { getDb } from "@/db/client";
import { listIncidents } from "@/db/queries/incidents";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/lib/auth/api";
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
