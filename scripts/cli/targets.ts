/** `cli targets set FYyyyy-Qn HOURS --note TEXT` (HOURS `none` clears the target). */
import { setTarget } from "@/db/queries/config";
import { quarterIdSchema } from "@/lib/validation/metric";
import { parseCliArgs } from "./args";
import { withDb } from "./context";
import { CliError, toCliError } from "./errors";

const HELP = `usage: npm run --silent cli -- targets set FYyyyy-Qn HOURS --note TEXT   (HOURS "none" clears it)`;

export const command = {
  summary: "set a quarter's target hours",
  run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, { boolean: ["help"], string: ["note"] });
    const [sub, quarter, hoursText, ...rest] = positional;
    if (options.help || !sub) return void console.log(HELP);
    if (sub !== "set") throw new CliError(`unknown targets subcommand "${sub}" (set)`);
    if (!quarter || hoursText === undefined || rest.length) throw new CliError("targets set needs a quarter and hours: targets set FY2025-Q1 40 --note TEXT");
    const q = quarterIdSchema.safeParse(quarter);
    if (!q.success) throw new CliError(`unknown quarter "${quarter}": ${q.error.issues[0]?.message}`);
    const hours = hoursText === "none" ? null : Number(hoursText);
    if (hours !== null && (!/^\d+(\.\d+)?$/.test(hoursText) || !Number.isFinite(hours))) throw new CliError(`hours "${hoursText}" must be a number ≥ 0 (or "none")`);
    if (!options.note) throw new CliError("targets set needs --note TEXT saying why");
    const note = options.note;
    withDb((db) => setTarget(db, q.data, hours, { note, actor: "cli" }), toCliError);
    console.log(hours === null ? `cleared the target of ${q.data}` : `target of ${q.data} set to ${hours} hours`);
  },
};
