/** `cli export incidents --format json|csv`: every incident, source-owned and curated fields, to stdout. */
import { EXPORT_COLUMNS, iterateIncidentsForExport, type ExportedIncident } from "@/db/queries/incidents-export";
import { csvLine } from "@/lib/export/csv";
import { parseCliArgs } from "./args";
import { withDb } from "./context";
import { CliError } from "./errors";

const USAGE = "usage: npm run --silent cli -- export incidents [--format json|csv]";

function csvValue(v: unknown): unknown {
  // Lists read back the way the canonical import reads them: `a;b`.
  return Array.isArray(v) ? v.join(";") : v;
}

export const command = {
  summary: "export every incident (internal id, source, sourceId, all fields) as JSON or CSV",
  run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, { boolean: ["help"], string: ["format"] });
    if (options.help) {
      console.log(USAGE);
      return;
    }
    if (positional[0] !== "incidents" || positional.length !== 1) throw new CliError(`export needs what to export\n${USAGE}`);
    const format = options.format ?? "json";
    if (format !== "json" && format !== "csv") throw new CliError("--format must be json or csv");
    // `export ... | head` closes the pipe early; that is not an error.
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(0);
      throw err;
    });
    const out: string[] = [];
    const flush = (force = false) => {
      if (out.length && (force || out.length >= 500)) {
        process.stdout.write(out.join(""));
        out.length = 0;
      }
    };
    withDb((db) => {
      if (format === "csv") {
        out.push(csvLine(EXPORT_COLUMNS) + "\n");
        for (const inc of iterateIncidentsForExport(db)) {
          out.push(csvLine(EXPORT_COLUMNS.map((c) => csvValue((inc as ExportedIncident)[c]))) + "\n");
          flush();
        }
      } else {
        let first = true;
        out.push("[");
        for (const inc of iterateIncidentsForExport(db)) {
          out.push((first ? "\n" : ",\n") + JSON.stringify(inc));
          first = false;
          flush();
        }
        out.push(first ? "]\n" : "\n]\n");
      }
      flush(true);
    });
  },
};
