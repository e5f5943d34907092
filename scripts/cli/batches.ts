import { listImportBatches, undoImportBatch } from "@/db/queries/imports";
import { AppError } from "@/lib/api/errors";
import { parseCliArgs } from "./args";
import { withDb } from "./context";
import { CliError } from "./errors";

const USAGE = "usage: npm run --silent cli -- batches list [--limit N] | batches undo BATCH_ID";

/** Import batches from the command line: the same history and undo as the Import page. */
export const command = {
  summary: "list import batches, or undo one",
  run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, { boolean: ["help"], string: ["limit"] });
    const [action, arg] = positional;
    if (options.help || !action) {
      console.log(USAGE);
      return;
    }
    withDb((db) => {
      if (action === "list") {
        const limit = options.limit === undefined ? 50 : Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a whole number from 1, not "${options.limit}"`);
        for (const b of listImportBatches(db, { limit })) {
          const when = new Date(b.createdAt).toISOString();
          console.log(`${b.id}\t${when}\t${b.status}\t${b.source}\t${b.fileName ?? "-"}\tcreated ${b.createdCount}, updated ${b.updatedCount}, unchanged ${b.unchangedCount}, rejected ${b.rejectedCount}`);
        }
        return;
      }
      if (action === "undo") {
        if (!arg || !/^\d+$/.test(arg)) throw new CliError(`batches undo needs a batch id (a number), not "${arg ?? ""}"`);
        try {
          console.log(JSON.stringify(undoImportBatch(db, Number(arg), { label: "cli" })));
        } catch (err) {
          if (err instanceof AppError) throw new CliError(err.message);
          throw err;
        }
        return;
      }
      throw new CliError(`unknown action "${action}"; ${USAGE}`);
    });
  },
};
