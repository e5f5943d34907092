import { getDb } from "@/db/client";
import { ValidationError } from "@/lib/api/errors";
import { SOURCE_NAME } from "@/lib/sources/kinds";
import { withRole } from "@/server/auth/api";
import { testSourceConnection } from "@/server/sources/sync";

export const dynamic = "force-dynamic";

/** POST /api/sources/<name>/test (admin): asks the vendor for one incident; `{ok, message}` in plain words. Writes nothing. */
export const POST = withRole("admin", async (_req: Request, { params }: { params: Promise<{ name: string }> }) => {
  const { name } = await params;
  if (!SOURCE_NAME.test(name)) throw new ValidationError("Invalid source name", [{ field: "name", message: "1–63 lower-case letters, digits or dashes" }]);
  return Response.json(await testSourceConnection(getDb(), name));
});
