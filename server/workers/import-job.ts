import "server-only";
import type { Db } from "@/db/client";
import { getCurrentPolicy } from "@/db/queries/config";
import { importIncidents, ImportRefusedError, type NewIncidentMarks } from "@/db/queries/imports";
import { errorResponse, ValidationError } from "@/lib/api/errors";
import { parseImport } from "@/lib/import/parse";
import { buildPreview } from "@/lib/import/preview";
import type { ImportMapping } from "@/lib/import/sources/generic";
import type { ImportFormat } from "@/lib/import/types";

/** One `POST /api/import` after its options are checked and its body read: plain data, so it crosses to a worker. */
export interface ImportJob {
  bytes: Uint8Array;
  format: ImportFormat | "auto";
  source?: string;
  timezone?: string;
  mapping: ImportMapping | null;
  maxBytes: number;
  fileName: string | null;
  actor: { id: string | null; label: string };
  skipInvalid: boolean;
  dryRun: boolean;
  overwriteCurated: boolean;
  preview: boolean;
  /** Curated values for the incidents the batch creates (a historical import); absent: none. */
  newIncidents?: NewIncidentMarks;
}

/** The HTTP answer, as text: the route sends it as is. `wrote` is true when incidents were created or updated. */
export interface ImportAnswer {
  status: number;
  body: string;
  wrote: boolean;
}

async function answerOf(res: Response, wrote = false): Promise<ImportAnswer> {
  return { status: res.status, body: await res.text(), wrote };
}

/**
 * Parses and writes one import (the all-or-nothing import is one transaction inside
 * `importIncidents`) and answers as the route does: the batch summary, 422 with every row
 * error, the preview, or the mapped error. Never throws: the answer crosses a thread.
 */
export async function runImportJob(db: Db, job: ImportJob): Promise<ImportAnswer> {
  try {
    const format = job.mapping && job.format === "auto" ? "generic" : job.format;
    const parsed = await parseImport(job.bytes, { format, source: job.source, timezone: job.timezone, mapping: job.mapping, maxBytes: job.maxBytes });
    const common = { source: parsed.source, format: parsed.format, fileName: job.fileName, actor: job.actor, newIncidents: job.newIncidents };

    if (job.preview) {
      if (parsed.needsMapping) return answerOf(Response.json({ preview: buildPreview(parsed), summary: null }));
      // A dry run with skipInvalid: exact counts for the valid rows, plus the database-side row checks.
      const summary = importIncidents(db, parsed.rows, parsed.errors, { ...common, skipInvalid: true, dryRun: true, overwriteCurated: job.overwriteCurated });
      const { errors, ...counts } = summary;
      // Severities the current policy leaves unmapped, so the page can offer to map them.
      return answerOf(Response.json({ preview: buildPreview(parsed, errors, 100, getCurrentPolicy(db)), summary: counts }));
    }
    if (parsed.needsMapping) throw new ValidationError("The columns don't match a known format; send a mapping or a preset");
    try {
      const summary = importIncidents(db, parsed.rows, parsed.errors, { ...common, skipInvalid: job.skipInvalid, dryRun: job.dryRun, overwriteCurated: job.overwriteCurated });
      return answerOf(Response.json(summary), !job.dryRun && summary.created + summary.updated > 0);
    } catch (err) {
      if (!(err instanceof ImportRefusedError)) throw err;
      return answerOf(
        Response.json(
          {
            error: "import_refused",
            message: err.message,
            errors: err.errors,
            summary: { batchId: null, ...common, actor: undefined, newIncidents: undefined, total: err.total, created: 0, updated: 0, unchanged: 0, rejected: new Set(err.errors.map((e) => e.row)).size, dryRun: job.dryRun, refused: true },
          },
          { status: 422 },
        ),
      );
    }
  } catch (err) {
    return answerOf(errorResponse(err));
  }
}
