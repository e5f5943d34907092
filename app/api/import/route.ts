/**
 * POST /api/import?format=&source=&timezone=&preset=&skipInvalid=1&dryRun=1&overwriteCurated=1&preview=1&fileName=&analysed=1&trigger=other|unknown
 * `analysed=1` marks the incidents the batch creates as already analysed (analysis final) and
 * `trigger=other|unknown` triages them (not change-triggered, or unknown): a historical
 * import; existing incidents keep their curated values. Body: the file itself, read whole or not at all: 413 naming the limit (IMPORT_MAX_BYTES)
 * when it announces or streams more. Answers the batch summary (as `cli import` prints it);
 * 422 with every row error when the file is refused; `preview=1` answers the
 * parsed preview plus dry-run counts and writes nothing.
 */
import { z } from "zod";
import { getDb } from "@/db/client";
import { getImportPreset, getMaxImportBytes } from "@/db/queries/imports";
import { errorResponse, NotFoundError, ValidationError, issuesFromZod } from "@/lib/api/errors";
import { withRole } from "@/server/auth/api";
import { readRequestBody } from "@/lib/import/input";
import { parseBoundedJson } from "@/lib/json/bounded";
import { importMappingSchema } from "@/lib/import/sources/generic";
import { IMPORT_FORMATS } from "@/lib/import/types";
import { warmDashboardModel } from "@/server/dashboard/cache";
import { importInWorker } from "@/server/workers/import-client";

export const dynamic = "force-dynamic";

const flag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const querySchema = z.object({
  format: z.enum([...IMPORT_FORMATS, "auto"]).default("auto"),
  source: z.string().trim().min(1).max(100).optional(),
  timezone: z.string().trim().min(1).max(100).optional(),
  preset: z.string().trim().min(1).max(80).optional(),
  mapping: z.string().max(100_000).optional(),
  fileName: z.string().trim().max(255).optional(),
  skipInvalid: flag,
  dryRun: flag,
  overwriteCurated: flag,
  preview: flag,
  analysed: flag,
  trigger: z.enum(["other", "unknown"], { error: "must be other (not change-triggered) or unknown" }).optional(),
});

export const POST = withRole("editor", async (req, _ctx, actor) => {
  try {
    const url = new URL(req.url);
    const q = querySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!q.success) throw new ValidationError("Invalid import options", issuesFromZod(q.error));
    const db = getDb();
    const maxBytes = getMaxImportBytes(db);
    if (!req.body) throw new ValidationError("Send the file as the request body");
    const bytes = await readRequestBody(req, maxBytes);

    let mapping = null;
    if (q.data.mapping) {
      const raw = parseBoundedJson(q.data.mapping, { what: "The mapping", field: "mapping" });
      const m = importMappingSchema.safeParse(raw);
      if (!m.success) throw new ValidationError("Invalid column mapping", issuesFromZod(m.error));
      mapping = m.data;
    } else if (q.data.preset) {
      const preset = getImportPreset(db, q.data.preset);
      if (!preset) throw new NotFoundError(`No import preset named "${q.data.preset}"`);
      mapping = preset.mapping;
    }
    // Parsed and written on the import worker: the server keeps answering meanwhile.
    const answer = await importInWorker({
      bytes,
      format: q.data.format,
      source: q.data.source,
      timezone: q.data.timezone,
      mapping,
      maxBytes,
      fileName: q.data.fileName || null,
      actor: { id: actor.id, label: actor.label },
      skipInvalid: q.data.skipInvalid,
      dryRun: q.data.dryRun,
      overwriteCurated: q.data.overwriteCurated,
      preview: q.data.preview,
      newIncidents: { analysisStatus: q.data.analysed ? "final" : undefined, trigger: q.data.trigger },
    });
    // Start on the new figures now (on the dashboard worker), so views find them sooner.
    if (answer.wrote) warmDashboardModel(db);
    return new Response(answer.body, { status: answer.status, headers: { "content-type": "application/json" } });
  } catch (err) {
    return errorResponse(err);
  }
});
