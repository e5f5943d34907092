import { getDb } from "@/db/client";
import { importDeploys, listDeploys } from "@/db/queries/deploys";
import { resolveDeploysMaxBytes } from "@/lib/api/deploys-limit";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/server/auth/api";
import { readRequestBody } from "@/lib/import/input";
import { iso } from "@/lib/incidents/json";
import { parseDeployText, validateDeployRows } from "@/lib/import/deploys";
import { deployListQuerySchema } from "@/lib/validation/deploy";

export const dynamic = "force-dynamic";

/** GET /api/deploys?service=&from=&to=&limit=&offset= → deploy events, newest first. */
export const GET = withRole("viewer", (req: Request) => {
  const parsed = deployListQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));
  const q = parsed.data;
  const res = listDeploys(getDb(), { service: q.service, from: q.from ? Date.parse(q.from) : undefined, to: q.to ? Date.parse(q.to) : undefined, limit: q.limit, offset: q.offset });
  return Response.json({
    total: res.total,
    items: res.items.map((d) => ({ ...d, finishedAt: iso(d.finishedAt), startedAt: iso(d.startedAt), createdAt: iso(d.createdAt) })),
  });
});

/**
 * POST /api/deploys with a JSON array, one JSON object, or CSV (header row). Fields: time
 * (finished, ISO-8601 with offset), service, deploy_system, version, outcome, rollback,
 * external_id (re-posts upsert on it). 422 lists every row's problems; nothing is written then.
 * A body over DEPLOYS_MAX_BYTES (20 MB) gets 413, however it is sent.
 */
export const POST = withRole("editor", async (req: Request, _ctx, actor) => {
  // Lenient like req.text() (U+FFFD for bad bytes), but read whole or refused with 413.
  const text = new TextDecoder().decode(await readRequestBody(req, resolveDeploysMaxBytes(), { what: "deploy events", subject: "The body" }));
  let rows: unknown[];
  try {
    rows = parseDeployText(text);
  } catch (err) {
    throw new ValidationError(`The body could not be read: ${(err as Error).message}`, [{ field: "(body)", message: (err as Error).message }]);
  }
  const { deploys, errors } = validateDeployRows(rows);
  const summary = importDeploys(getDb(), deploys, errors, { actor: { id: actor.id, label: actor.label }, source: "api" });
  return Response.json(summary, { status: summary.created > 0 ? 201 : 200 });
});
