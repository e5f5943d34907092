/**
 * POST /api/import?format=&source=&timezone=&preset=&skipInvalid=1&dryRun=1&overwriteCurated=1&preview=1&fileName=
 * Body: the file itself, read whole or not at all: 413 naming the limit (IMPORT_MAX_BYTES)
 * when it announces or streams more. Answers the batch summary (as `cli import` prints it);
 * 422 with every row error when the file is refused; `preview=1` answers the
 * parsed preview plus dry-run counts and writes nothing.
 */
import { z } from "zod";
import { getDb } from "@/db/client";
import { warmDashboard } from "@/db/queries/dashboard";
import { getImportPreset, getMaxImportBytes, importIncidents, ImportRefusedError } from "@/db/queries/imports";
import { errorResponse, NotFoundError, ValidationError, issuesFromZod } from "@/lib/api/errors";
import { withRole } from "@/lib/auth/api";
import { readRequestBody } from "@/lib/import/input";
import { parseImport } from "@/lib/import/parse";
import { buildPreview } from "@/lib/import/preview";
import { parseBoundedJson } from "@/lib/json/bounded";
import { importMappingSchema } from "@/lib/import/sources/generic";
import { IMPORT_FORMATS } from "@/lib/import/types";

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
    const format = mapping && q.data.format === "auto" ? "generic" : q.data.format;
    const parsed = await parseImport(bytes, { format, source: q.data.source, timezone: q.data.timezone, mapping, maxBytes });
    const fileName = q.data.fileName || null;
    const common = { source: parsed.source, format: parsed.format, fileName, actor: { id: actor.id, label: actor.label } };

    if (q.data.preview) {
      if (parsed.needsMapping) return Response.json({ preview: buildPreview(parsed), summary: null });
      // A dry run with skipInvalid: exact counts for the valid rows, plus the database-side row checks.
      const summary = importIncidents(db, parsed.rows, parsed.errors, { ...common, skipInvalid: true, dryRun: true, overwriteCurated: q.data.overwriteCurated });
      const { errors, ...counts } = summary;
      return Response.json({ preview: buildPreview(parsed, errors), summary: counts });
    }
    if (parsed.needsMapping) throw new ValidationError("The columns don't match a known format; send a mapping or a preset");
    try {
      const summary = importIncidents(db, parsed.rows, parsed.errors, {
        ...common,
        skipInvalid: q.data.skipInvalid,
        dryRun: q.data.dryRun,
        overwriteCurated: q.data.overwriteCurated,
      });
      // A large import makes the next dashboard read every incident again: start on it now.
      if (!q.data.dryRun && summary.created + summary.updated > 0) warmDashboard(db);
      return Response.json(summary);
    } catch (err) {
      if (!(err instanceof ImportRefusedError)) throw err;
      return Response.json(
        {
          error: "import_refused",
          message: err.message,
          errors: err.errors,
          summary: { batchId: null, ...common, actor: undefined, total: err.total, created: 0, updated: 0, unchanged: 0, rejected: new Set(err.errors.map((e) => e.row)).size, dryRun: q.data.dryRun, refused: true },
        },
        { status: 422 },
      );
    }
  } catch (err) {
    return errorResponse(err);
  }
});
