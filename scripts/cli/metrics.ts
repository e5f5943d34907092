/** `cli metrics [--json] [--config FILE] [--as-of ISO] [--from FYyyyy-Qn] [--to FYyyyy-Qn]` over DATABASE_URL. */
import { z } from "zod";
import { openMigratedDatabase } from "@/db/client";
import { computeMetrics } from "@/db/queries/metrics";
import { AppError, ValidationError } from "@/lib/api/errors";
import { metricConfigSchema } from "@/lib/validation/metric";
import { checkInstant } from "@/lib/validation/time-bounds";
import { CliError, parseArgs } from "./errors";
import { parseOrFail, readJsonFile } from "./evaluate";

const HELP = `usage: npm run --silent cli -- metrics [--json] [--config FILE] [--as-of ISO] [--from FYyyyy-Qn] [--to FYyyyy-Qn]
  --json        print {quarters, incidents} JSON (the API's shape)
  --config FILE {settings?, policy?, targets?} overrides for this run only
  --as-of ISO   evaluation instant (default: now), e.g. 2024-12-31T00:00:00Z
  --from/--to   inclusive quarter range (default: earliest incident's quarter … the quarter holding --as-of)`;

const asOfSchema = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/**
 * `--as-of` → epoch ms; a bare date means UTC midnight. It must lie within the bounds on
 * time (TIME_MIN … TIME_MAX_FUTURE_HOURS after now), like every time the app takes in.
 */
export function parseAsOf(value: string | undefined): number {
  if (value === undefined) return Date.now();
  if (!asOfSchema.safeParse(value).success) throw new CliError(`--as-of "${value}" is not an ISO-8601 instant (e.g. 2024-12-31T00:00:00Z)`);
  const ms = Date.parse(value);
  const why = checkInstant("--as-of", ms);
  if (why) throw new CliError(why);
  return ms;
}

/** Our error model → a one-line CliError. */
export function toCliError(err: unknown): unknown {
  if (err instanceof ValidationError) {
    const detail = err.issues.map((i) => `${i.field}: ${i.message}`).join("; ");
    return new CliError(detail ? `${err.message} (${detail})` : err.message);
  }
  if (err instanceof AppError) return new CliError(err.message);
  return err;
}

export const command = {
  summary: "hours of change-triggered impact per quarter over the database",
  run(argv: string[]) {
    const { positional, options } = parseArgs(argv, { boolean: ["json", "help"], string: ["config", "as-of", "from", "to"] });
    if (options.help) return void console.log(HELP);
    if (positional.length) throw new CliError(`unexpected argument "${positional[0]}"`);
    const asOf = parseAsOf(options["as-of"] as string | undefined);
    const config = options.config ? parseOrFail(metricConfigSchema, readJsonFile(options.config as string), options.config as string) : undefined;
    const db = openMigratedDatabase();
    try {
      const result = computeMetrics(db, { asOf, from: options.from as string | undefined, to: options.to as string | undefined, config });
      if (options.json) {
        process.stdout.write(JSON.stringify(result) + "\n");
        return;
      }
      const rows = result.quarters.map((q) =>
        [q.quarter.padEnd(10), q.hours.toFixed(2).padStart(10), q.upperBoundHours.toFixed(2).padStart(10), (q.target == null ? "-" : q.target.toFixed(2)).padStart(8), String(q.countedIncidentIds.length).padStart(8), "  " + q.status].join(" "),
      );
      console.log(["quarter   ", "     hours", "  ≤ hours", "  target", " counted", "  status"].join(" "));
      for (const r of rows) console.log(r);
    } catch (err) {
      throw toCliError(err);
    } finally {
      db.$client.close();
    }
  },
};
