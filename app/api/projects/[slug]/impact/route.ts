import { z } from "zod";
import { getDb } from "@/db/client";
import { computeProjectImpact, impactJson } from "@/server/projects-impact";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/server/auth/api";

export const dynamic = "force-dynamic";

const querySchema = z.strictObject({
  asOf: z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant, e.g. 2025-06-30T00:00:00Z" }).optional(),
});

/**
 * GET /api/projects/:slug/impact[?asOf=ISO] → per-quarter in-scope hours with each quarter's
 * phase (`before`, `lag`, `after`), completeness and which average it entered; the before/after
 * averages, expected and realised effect, verdict and summary. Unknown slug → 404; bad query → 422.
 */
export const GET = withRole("viewer", async (req, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));
  const asOf = parsed.data.asOf ? Date.parse(parsed.data.asOf) : Date.now();
  const { project, impact } = computeProjectImpact(getDb(), slug, { asOf });
  return Response.json(impactJson(project, impact, asOf));
});
