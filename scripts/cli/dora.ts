/**
 * `cli dora [--json] [--as-of ISO] [--from FYyyyy-Qn] [--to FYyyyy-Qn]` over DATABASE_URL,
 * and `cli dora evaluate CASE.json` (a DORA.md case file; touches no database).
 */
import { formatShare } from "@/lib/format/share";
import { evaluateDora } from "@/lib/metric/dora";
import { instantOutOfBounds } from "@/lib/metric/time-bounds";
import { calendarTimeBounds } from "@/lib/validation/time-bounds";
import { doraCaseFileSchema, doraInputFromCase } from "@/lib/validation/dora";
import { computeDora } from "@/server/dora";
import { parseCliArgs } from "./args";
import { withDb } from "./context";
import { CliError, toCliError } from "./errors";
import { checkCaseTimes, parseOrFail, readJsonFile } from "./evaluate";
import { parseAsOf } from "./metrics";

const HELP = `usage: npm run --silent cli -- dora [--json] [--as-of ISO] [--from FYyyyy-Qn] [--to FYyyyy-Qn]
       npm run --silent cli -- dora evaluate CASE.json
  --json        print the figures as JSON (GET /api/dora/quarters's shape)
  --as-of ISO   evaluation instant (default: now)
  --from/--to   inclusive quarter range (default as for \`cli metrics\`)
  evaluate      run a DORA.md case file (no database); prints {quarters, ignoredLinks}`;

function evaluateCase(argv: string[]) {
  if (argv.length !== 1) throw new CliError("dora evaluate needs exactly one case file: dora evaluate CASE.json");
  const file = argv[0];
  const data = parseOrFail(doraCaseFileSchema, readJsonFile(file), file);
  checkCaseTimes(data, file);
  const bounds = calendarTimeBounds();
  data.deploys.forEach((d, i) => {
    const why = instantOutOfBounds(`deploys.${i}.finishedAt (id ${d.id})`, Date.parse(d.finishedAt), bounds);
    if (why) throw new CliError(`${file} is invalid: ${why}`);
  });
  process.stdout.write(JSON.stringify(evaluateDora(doraInputFromCase(data)), null, 2) + "\n");
}

const hours = (h: number | null) => (h == null ? "-" : `${h.toFixed(1)} h`);
const rate = (r: number | null) => (r == null ? "no data" : formatShare(r));

export const command = {
  summary: "change figures (DORA: change fail rate, recovery time, rework rate) per quarter",
  run(argv: string[]) {
    if (argv[0] === "evaluate") return evaluateCase(argv.slice(1));
    const { positional, options } = parseCliArgs(argv, { boolean: ["json", "help"], string: ["as-of", "from", "to"] });
    if (options.help) return void console.log(HELP);
    if (positional.length) throw new CliError(`unexpected argument "${positional[0]}" (did you mean "dora evaluate FILE"?)`);
    const asOf = parseAsOf(options["as-of"]);
    withDb((db) => {
      const report = computeDora(db, { asOf, from: options.from, to: options.to });
      if (options.json) return void process.stdout.write(JSON.stringify(report) + "\n");
      console.log(["quarter   ", "deploys", "  fixes", " failed", " fail rate", " recovery p50", "  p90", " rework"].join(" "));
      for (const q of report.quarters) {
        console.log(
          [
            q.quarter.padEnd(10),
            String(q.deployments).padStart(7),
            String(q.remediationDeploys).padStart(7),
            String(q.failedDeployments).padStart(7),
            rate(q.changeFailRate).padStart(10),
            hours(q.recoveryMedianHours).padStart(13),
            hours(q.recoveryP90Hours).padStart(6),
            rate(q.reworkRate).padStart(7),
          ].join(" "),
        );
      }
      if (report.ignoredLinks.length) console.log(`${report.ignoredLinks.length} link(s) name an unknown incident or deploy and were left out`);
    }, toCliError);
  },
};
