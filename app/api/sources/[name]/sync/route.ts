import { getDb } from "@/db/client";
import { ValidationError } from "@/lib/api/errors";
import { SOURCE_NAME } from "@/lib/sources/kinds";
import { withRole } from "@/server/auth/api";
import { runSyncFromServer } from "@/server/sources/run-now";

export const dynamic = "force-dynamic";

/**
 * POST /api/sources/<name>/sync (admin): Sync now. 200 with the run's summary (its status
 * says whether it succeeded, its error why not), 202 while a long sync goes on in the
 * background, 409 while another sync of the source runs, 404 for an unknown source.
 */
export const POST = withRole("admin", async (_req: Request, { params }: { params: Promise<{ name: string }> }, actor) => {
  const { name } = await params;
  if (!SOURCE_NAME.test(name)) throw new ValidationError("Invalid source name", [{ field: "name", message: "1–63 lower-case letters, digits or dashes" }]);
  const result = await runSyncFromServer(getDb(), name, { trigger: "manual", actor: { id: actor.id, label: actor.label } });
  if (result === "running") return Response.json({ status: "running" }, { status: 202 });
  return Response.json(result);
});
