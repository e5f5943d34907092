import { getDb } from "@/db/client";
import { computeProjectImpact, projectJson } from "@/server/projects-impact";
import { listAttributedIncidents, updateProject } from "@/db/queries/projects";
import { readJsonBody } from "@/lib/api/json-body";
import { withRole } from "@/server/auth/api";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ slug: string }> };

/** GET /api/projects/:slug → the project, its verdict and its explicitly attributed incidents. Unknown slug → 404. */
export const GET = withRole("viewer", async (_req, { params }: Ctx) => {
  const { slug } = await params;
  const db = getDb();
  const { project, impact } = computeProjectImpact(db, slug, { asOf: Date.now() });
  return Response.json({
    ...projectJson(project),
    verdict: impact.verdict,
    summary: impact.summary,
    attributedIncidents: listAttributedIncidents(db, project.id).map((i) => ({
      id: i.id,
      source: i.source,
      sourceId: i.sourceId,
      title: i.title,
      severity: i.severity,
      startedAt: new Date(i.startedAt).toISOString(),
      attributedAt: new Date(i.attributedAt).toISOString(),
      attributedBy: i.attributedBy,
    })),
  });
});

/** PATCH /api/projects/:slug (lead) with any subset of fields; the merged project is validated whole (422 lists every issue). */
export const PATCH = withRole("lead", async (req, { params }: Ctx, actor) => {
  const { slug } = await params;
  const body = await readJsonBody(req, { hint: "send a JSON object of fields to change" });
  const row = updateProject(getDb(), slug, body, { actor });
  return Response.json(projectJson(row));
});
