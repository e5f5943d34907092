import { getDb } from "@/db/client";
import { loadMetricsSnapshot, pageVerdicts, quarterFigures } from "@/server/metrics-snapshot";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/server/auth/api";
import { METRICS_PAGE_DEFAULT, metricsQuerySchema } from "@/lib/validation/metric";
import { loadDashboardModel } from "@/server/dashboard/cache";

export const dynamic = "force-dynamic";

/**
 * GET /api/metrics/quarters[?from=FY2024-Q1&to=FY2024-Q4&asOf=2024-12-31T00:00:00Z]
 * → `{ asOf, range, quarters }`: each quarter's figures with `countedIncidents` (a count).
 *
 * `include=incidents` adds `incidents` (verdicts `{id, counted, reason}` in id order, one
 * page) and `page: { limit, total, nextCursor, next }`; `limit` (default 1000, at most 5000),
 * `cursor` (a page's nextCursor), `quarter` (incidents overlapping it) and `counted`
 * (true|false) shape the page. `next` (also a `Link: rel="next"` header) is the next page's
 * URL, null on the last. Bad query → 422. Figures come from a cache shared with the dashboard
 * (see loadMetricsSnapshot); `next start` compresses the answer when the client accepts it.
 * `cli metrics --json` still prints everything at once: `{ quarters (with countedIncidentIds), incidents }`.
 */
export const GET = withRole("viewer", async (req: Request, _ctx, actor) => {
  const url = new URL(req.url);
  const parsed = metricsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));
  const q = parsed.data;
  if (!q.include && !q.asOf && !q.from && !q.to) {
    // The default answer: the dashboard's own figures (server/dashboard/cache.ts), computed off the request thread.
    const m = await loadDashboardModel(getDb(), { actorLabel: actor.label });
    return Response.json({ asOf: new Date(m.asOf).toISOString(), range: m.metrics.range, quarters: m.metrics.quarters });
  }
  const snap = loadMetricsSnapshot(getDb(), { asOf: q.asOf ? Date.parse(q.asOf) : undefined, from: q.from, to: q.to });
  const head = { asOf: new Date(snap.asOf).toISOString(), range: snap.range, quarters: quarterFigures(snap.quarters) };
  if (!q.include) return Response.json(head);

  const limit = q.limit ?? METRICS_PAGE_DEFAULT;
  const page = pageVerdicts(snap, { limit, after: q.cursor, quarter: q.quarter, counted: q.counted });
  let next: string | null = null;
  if (page.nextCursor !== null) {
    const params = new URLSearchParams(url.searchParams);
    params.set("cursor", page.nextCursor);
    next = `${url.pathname}?${params}`;
  }
  const headers: HeadersInit = next ? { Link: `<${next}>; rel="next"` } : {};
  return Response.json({ ...head, incidents: page.items, page: { limit, total: page.total, nextCursor: page.nextCursor, next } }, { headers });
});
