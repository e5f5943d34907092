/** `cli metrics [--json] [--config FILE] [--as-of ISO] [--from FYyyyy-Qn] [--to FYyyyy-Qn]` over DATABASE_URL. */
import { z } from "zod";
import { computeMetrics } from "@/server/metrics";
import { metricConfigSchema } from "@/lib/validation/metric";
import { checkInstant } from "@/lib/validation/time-bounds";
import { parseCliArgs } from "./args";
import { withDb } from "./context";
import { CliError, toCliError } from "./errors";
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

export const command = {
  summary: "hours of change-triggered impact per quarter over the database",
  run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, { boolean: ["json", "help"], string: ["config", "as-of", "from", "to"] });
    if (options.help) return void console.log(HELP);
    if (positional.length) throw new CliError(`unexpected argument "${positional[0]}"`);
    const asOf = parseAsOf(options["as-of"]);
    const config = options.config ? parseOrFail(metricConfigSchema, readJsonFile(options.config), options.config) : undefined;
    withDb((db) => {
      const result = computeMetrics(db, { asOf, from: options.from, to: options.to, config });
      if (options.json) {
        process.stdout.write(JSON.stringify(result) + "\n");
        return;
      }
      const rows = result.quarters.map((q) =>
        [q.quarter.padEnd(10), q.hours.toFixed(2).padStart(10), q.upperBoundHours.toFixed(2).padStart(10), (q.target == null ? "-" : q.target.toFixed(2)).padStart(8), String(q.countedIncidentIds.length).padStart(8), "  " + q.status].join(" "),
      );
      console.log(["quarter   ", "     hours", "  ≤ hours", "  target", " counted", "  status"].join(" "));
      for (const r of rows) console.log(r);
    }, toCliError);
  },
};
