import { getDb } from "@/db/client";
import { errorResponse } from "@/lib/api/errors";
import { readRequestBody } from "@/lib/import/input";
import { SOURCE_NAME } from "@/lib/sources/kinds";
import { MAX_WEBHOOK_BYTES, receiveWebhook } from "@/server/sources/webhooks";

export const dynamic = "force-dynamic";

/**
 * POST /api/webhooks/<source name>: an inbound webhook, authenticated by the sender's own
 * signature scheme (no session or token): 200 accepted / duplicate / ignored, 401 for a bad
 * signature or a stale delivery, 422 for a body that cannot be read, 404 for no such source;
 * nothing is written unless it is accepted. See docs/sources.md.
 */
export async function POST(req: Request, { params }: { params: Promise<{ source: string }> }) {
  try {
    const { source } = await params;
    if (!SOURCE_NAME.test(source)) return Response.json({ status: "rejected", message: `No source named "${source}"` }, { status: 404 });
    // The exact bytes the sender signed, as UTF-8 text.
    const body = new TextDecoder().decode(await readRequestBody(req, MAX_WEBHOOK_BYTES, { what: "webhook", subject: "The delivery" }));
    const answer = await receiveWebhook(getDb(), source, req.headers, body);
    return Response.json(answer.body, { status: answer.status });
  } catch (err) {
    return errorResponse(err);
  }
}
