/**
 * `cli import FILE [--format ...] [--source NAME] [--preset NAME] [--timezone IANA]
 *  [--skip-invalid] [--dry-run] [--overwrite-curated] [--analysed] [--trigger other|unknown]`
 *
 * Prints every invalid row (row number and source id first); the LAST line is
 * always the JSON summary, so scripts can `tail -1`. A refused file exits 1.
 */
import fs from "node:fs";
import path from "node:path";
import { getImportPreset, getMaxImportBytes, importIncidents, ImportRefusedError } from "@/db/queries/imports";
import { AppError } from "@/lib/api/errors";
import { formatRowError } from "@/lib/import/format";
import { tooLarge } from "@/lib/import/input";
import { parseImport } from "@/lib/import/parse";
import { isFormatChoice, IMPORT_FORMATS } from "@/lib/import/types";
import { parseCliArgs } from "./args";
import { cliUserLabel, withDb } from "./context";
import { CliError } from "./errors";

const USAGE = `usage: npm run --silent cli -- import FILE [--format canonical|statuspage|pagerduty|incidentio|jira|generic|auto]
         [--source NAME] [--preset NAME] [--timezone IANA] [--skip-invalid] [--dry-run] [--overwrite-curated]
         [--analysed] [--trigger other|unknown]

  --format             force the format (default: detected from the headers or shape)
  --source NAME        the source name incidents are upserted under (default: per format)
  --preset NAME        a saved column mapping for "any other CSV" (implies --format generic)
  --timezone IANA      read times written without an offset (e.g. Jira's 11/May/24 03:26 PM) in this zone
  --skip-invalid       import the valid rows and report the rest (default: refuse the whole file)
  --dry-run            report what would happen; write nothing
  --overwrite-curated  let the file rewrite fields engineers curated (trigger, impact window, attribution...)
  --analysed           a historical import: mark the incidents this batch creates as already analysed (analysis final)
  --trigger T          triage the incidents this batch creates: other (not change-triggered) or unknown
                       (both leave existing incidents' curated values alone; undoing the batch removes them)`;

export const command = {
  summary: "import incidents from a file (canonical, Statuspage, PagerDuty, incident.io, Jira or mapped CSV)",
  async run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, {
      boolean: ["help", "skip-invalid", "dry-run", "overwrite-curated", "analysed"],
      string: ["format", "source", "preset", "timezone", "trigger"],
    });
    if (options.help) {
      console.log(USAGE);
      return;
    }
    if (positional.length !== 1) throw new CliError(`import needs exactly one FILE\n${USAGE}`);
    const file = positional[0];
    const format = options.format ?? (options.preset ? "generic" : "auto");
    if (!isFormatChoice(format)) throw new CliError(`--format must be one of ${[...IMPORT_FORMATS, "auto"].join(", ")}`);
    const trigger = options.trigger;
    if (trigger !== undefined && trigger !== "other" && trigger !== "unknown") throw new CliError(`--trigger must be other (not change-triggered) or unknown, not "${trigger}"`);

    await withDb(async (db) => {
      const maxBytes = getMaxImportBytes(db);
      let size: number;
      try {
        const st = fs.statSync(file);
        if (!st.isFile()) throw new CliError(`${file} is not a file`);
        size = st.size;
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
      }
      // Refuse before reading: an oversized file costs nothing.
      if (size > maxBytes) throw new CliError(tooLarge(size, maxBytes).message);
      let mapping = null;
      if (options.preset) {
        const preset = getImportPreset(db, options.preset);
        if (!preset) throw new CliError(`no import preset named "${options.preset}"`);
        mapping = preset.mapping;
      }
      const parsed = await parseImport(fs.readFileSync(file), {
        format,
        source: options.source,
        timezone: options.timezone,
        mapping,
        maxBytes,
      });
      if (parsed.needsMapping) throw new CliError("the columns don't match a known format; save a column mapping in the app and pass --preset NAME");
      const base = { source: parsed.source, format: parsed.format, fileName: path.basename(file), dryRun: !!options["dry-run"] };
      try {
        const summary = importIncidents(db, parsed.rows, parsed.errors, {
          ...base,
          actor: { id: null, label: cliUserLabel() },
          skipInvalid: !!options["skip-invalid"],
          dryRun: !!options["dry-run"],
          overwriteCurated: !!options["overwrite-curated"],
          newIncidents: { analysisStatus: options.analysed ? "final" : undefined, trigger },
        });
        for (const e of summary.errors) console.log(formatRowError(e));
        if (summary.errors.length) console.log(`skipped ${summary.rejected} invalid row(s)`);
        const { errors: _errors, ...rest } = summary;
        void _errors;
        console.log(JSON.stringify(rest));
      } catch (err) {
        if (!(err instanceof ImportRefusedError)) throw err;
        for (const e of err.errors) console.log(formatRowError(e));
        console.log(`refused: ${err.message} Fix the rows, or pass --skip-invalid to import the valid ones.`);
        const rejected = new Set(err.errors.map((e) => e.row)).size;
        console.log(JSON.stringify({ batchId: null, ...base, total: err.total, created: 0, updated: 0, unchanged: 0, rejected, refused: true }));
        process.exitCode = 1;
      }
    }, (err) => (err instanceof AppError ? new CliError(err.message, 2) : err));
  },
};
