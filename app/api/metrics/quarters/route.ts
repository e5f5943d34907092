import { z } from "zod";
import { getDb } from "@/db/client";
import { computeMetrics } from "@/db/queries/metrics";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/lib/auth/api";
import { quarterIdSchema } from "@/lib/validation/metric";

export const dynamic = "force-dynamic";

const querySchema = z.strictObject({
  from: quarterIdSchema.optional(),
  to: quarterIdSchema.optional(),
  asOf: z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant, e.g. 2024-12-31T00:00:00Z" }).optional(),
});

/**
 * GET /api/metrics/quarters?from=FY2024-Q1&to=FY2024-Q4&asOf=2024-12-31T00:00:00Z
 * → exactly what `cli metrics --json` prints: `{ quarters, incidents }`. Bad query → 422.
 */
export const GET = withRole("viewer", (req: Request) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = querySchema.safeParse(params);
  if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));
  const { from, to, asOf } = parsed.data;
  const result = computeMetrics(getDb(), { asOf: asOf ? Date.parse(asOf) : Date.now(), from, to });
  return Response.json(result);
});
