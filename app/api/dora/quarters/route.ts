import { getDb } from "@/db/client";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { doraQuerySchema } from "@/lib/validation/dora";
import { withRole } from "@/server/auth/api";
import { computeDora } from "@/server/dora";

export const dynamic = "force-dynamic";

/**
 * GET /api/dora/quarters[?from=FY2024-Q1&to=FY2024-Q4&asOf=2024-12-31T00:00:00Z]
 * → `{ asOf, range, settings, quarters, byService, bySystem, ignoredLinks }`: the change
 * figures of DORA.md per quarter (rates as fractions, null = no deploy data), each quarter's
 * cause coverage, and per-service and per-deploy-system figures over the range. The range
 * and asOf default as for /api/metrics/quarters. Bad query → 422.
 */
export const GET = withRole("viewer", async (req: Request) => {
  const parsed = doraQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));
  const q = parsed.data;
  return Response.json(computeDora(getDb(), { asOf: q.asOf ? Date.parse(q.asOf) : Date.now(), from: q.from, to: q.to }));
});
