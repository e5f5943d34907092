import { getDb } from "@/db/client";
import { withRole } from "@/server/auth/api";
import { loadDashboardModel } from "@/server/dashboard/cache";
import { renderOpenMetrics } from "@/server/delivery/openmetrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * GET /api/metrics/openmetrics → OpenMetrics text for Prometheus-compatible scrapers.
 * Token-protected like every API route: `Authorization: Bearer <API token>` (a viewer token
 * is enough; create one under Admin → API tokens). The figures are the dashboard's own,
 * computed off the request thread and cached (server/dashboard/cache.ts).
 */
export const GET = withRole("viewer", async (_req: Request, _ctx, actor) => {
  const db = getDb();
  const model = await loadDashboardModel(db, { actorLabel: actor.label });
  const { body, contentType } = await renderOpenMetrics(db, model);
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
});
