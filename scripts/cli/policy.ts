/** `cli policy show` / `cli policy set FILE --note TEXT`. */
import { openMigratedDatabase } from "@/db/client";
import { getCurrentPolicy, savePolicyVersion } from "@/db/queries/config";
import { CliError, parseArgs } from "./errors";
import { readJsonFile } from "./evaluate";
import { toCliError } from "./metrics";

const HELP = `usage: npm run --silent cli -- policy show
       npm run --silent cli -- policy set FILE --note TEXT`;

export const command = {
  summary: "show the current metric policy or save a new version",
  run(argv: string[]) {
    const { positional, options } = parseArgs(argv, { boolean: ["help"], string: ["note"] });
    const [sub, ...rest] = positional;
    if (options.help || !sub) return void console.log(HELP);
    if (sub === "show") {
      if (rest.length) throw new CliError(`unexpected argument "${rest[0]}"`);
      const db = openMigratedDatabase();
      try {
        const v = getCurrentPolicy(db);
        console.log(JSON.stringify({ version: v.id, note: v.note, createdAt: v.createdAt ? new Date(v.createdAt).toISOString() : null, createdBy: v.createdBy, policy: v.policy }, null, 2));
      } finally {
        db.$client.close();
      }
      return;
    }
    if (sub === "set") {
      if (rest.length !== 1) throw new CliError("policy set needs one policy JSON file: policy set FILE --note TEXT");
      if (!options.note) throw new CliError("policy set needs --note TEXT saying why the policy changes");
      const policy = readJsonFile(rest[0]);
      const db = openMigratedDatabase();
      try {
        const v = savePolicyVersion(db, policy, { note: options.note as string, actor: "cli" });
        console.log(`saved policy version ${v.id}`);
      } catch (err) {
        throw toCliError(err);
      } finally {
        db.$client.close();
      }
      return;
    }
    throw new CliError(`unknown policy subcommand "${sub}" (show, set)`);
  },
};
