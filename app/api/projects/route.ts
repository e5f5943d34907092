import { getDb } from "@/db/client";
import { impactFor, loadProjectContext, projectJson } from "@/server/projects-impact";
import { createProject, listProjects } from "@/db/queries/projects";
import { ValidationError } from "@/lib/api/errors";
import { readJsonBody } from "@/lib/api/json-body";
import { withRole } from "@/server/auth/api";

export const dynamic = "force-dynamic";

/** GET /api/projects → `{ projects: [...] }`, each with its verdict, averages and realised effect as of now. */
export const GET = withRole("viewer", () => {
  const db = getDb();
  const ctx = loadProjectContext(db);
  const projects = listProjects(db).map((p) => {
    const impact = impactFor(ctx, p);
    return {
      ...projectJson(p),
      verdict: impact.verdict,
      summary: impact.summary,
      beforeAverage: impact.before.average,
      afterAverage: impact.after.average,
      realisedEffectHours: impact.realisedEffectHours,
      lagEnd: impact.window ? new Date(impact.window.lagEnd).toISOString() : null,
    };
  });
  return Response.json({ asOf: new Date(ctx.asOf).toISOString(), projects });
});

/** POST /api/projects (lead) with a project's fields (camelCase) → 201 with the project; 422 lists every issue. */
export const POST = withRole("lead", async (req, _ctx, actor) => {
  const body = await readJsonBody(req, { hint: "send a JSON object of project fields" });
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError("project is invalid", [{ field: "(root)", message: "send a JSON object of project fields" }]);
  }
  const row = createProject(getDb(), body, { actor });
  return Response.json(projectJson(row), { status: 201, headers: { Location: `/api/projects/${row.slug}` } });
});
