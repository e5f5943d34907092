/** `cli policy show` / `cli policy set FILE --note TEXT`. */
import { getCurrentPolicy, savePolicyVersion } from "@/db/queries/config";
import { parseCliArgs } from "./args";
import { withDb } from "./context";
import { CliError, toCliError } from "./errors";
import { readJsonFile } from "./evaluate";

const HELP = `usage: npm run --silent cli -- policy show
       npm run --silent cli -- policy set FILE --note TEXT`;

export const command = {
  summary: "show the current metric policy or save a new version",
  run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, { boolean: ["help"], string: ["note"] });
    const [sub, ...rest] = positional;
    if (options.help || !sub) return void console.log(HELP);
    if (sub === "show") {
      if (rest.length) throw new CliError(`unexpected argument "${rest[0]}"`);
      const v = withDb(getCurrentPolicy);
      console.log(JSON.stringify({ version: v.id, note: v.note, createdAt: v.createdAt ? new Date(v.createdAt).toISOString() : null, createdBy: v.createdBy, policy: v.policy }, null, 2));
      return;
    }
    if (sub === "set") {
      if (rest.length !== 1) throw new CliError("policy set needs one policy JSON file: policy set FILE --note TEXT");
      if (!options.note) throw new CliError("policy set needs --note TEXT saying why the policy changes");
      const policy = readJsonFile(rest[0]);
      const note = options.note;
      const v = withDb((db) => savePolicyVersion(db, policy, { note, actor: "cli" }), toCliError);
      console.log(`saved policy version ${v.id}`);
      return;
    }
    throw new CliError(`unknown policy subcommand "${sub}" (show, set)`);
  },
};
