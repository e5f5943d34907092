/**
 * `cli deploys import FILE`: loads deploy events (CSV with a header row, a JSON array or
 * one JSON object). Every invalid row is printed (row, field, reason) and nothing is
 * written; the LAST line is always the JSON summary. Re-importing rows with an
 * external id changes nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { DeployImportRefusedError, importDeploys } from "@/db/queries/deploys";
import { AppError } from "@/lib/api/errors";
import { parseDeployText, validateDeployRows } from "@/lib/import/deploys";
import { parseSubcommand } from "./args";
import { cliUserLabel, withDb } from "./context";
import { CliError } from "./errors";

const USAGE = `usage: npm run --silent cli -- deploys import FILE

  FILE   CSV (header: time,service,deploy_system,version,outcome,rollback,external_id)
         or JSON (an array of objects, or one object); times are ISO-8601 with an offset`;

const MAX_BYTES = 100 * 1024 * 1024;

export const command = {
  summary: "import deploy events (CSV or JSON) used for triage suggestions",
  run(argv: string[]) {
    const args = parseSubcommand(argv, {}, USAGE, "deploys needs a subcommand: deploys import FILE");
    if (!args) return;
    const { sub, rest } = args;
    if (sub !== "import") throw new CliError(`unknown subcommand "deploys ${sub}" (try: deploys import FILE)`);
    if (rest.length !== 1) throw new CliError("deploys import needs exactly one FILE");
    const file = rest[0];
    let text: string;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) throw new CliError(`${file} is not a file`);
      if (st.size > MAX_BYTES) throw new CliError(`${file} is larger than ${MAX_BYTES / 1024 / 1024} MB`);
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
    }
    let rows: unknown[];
    try {
      rows = parseDeployText(text);
    } catch (err) {
      throw new CliError(`${file}: ${(err as Error).message}`);
    }
    const { deploys, errors } = validateDeployRows(rows);
    withDb(
      (db) => {
        const summary = importDeploys(db, deploys, errors, { actor: { id: null, label: cliUserLabel() }, source: path.basename(file) });
        console.log(JSON.stringify({ file: path.basename(file), ...summary }));
      },
      (err) => {
        if (err instanceof DeployImportRefusedError) {
          for (const e of err.errors) console.error(`row ${e.row}: ${e.field}: ${e.message}`);
          console.log(JSON.stringify({ file: path.basename(file), total: err.total, created: 0, updated: 0, unchanged: 0, rejected: new Set(err.errors.map((e) => e.row)).size }));
          return new CliError(err.message, 1);
        }
        return err instanceof AppError ? new CliError(err.message, 1) : err;
      },
    );
  },
};
