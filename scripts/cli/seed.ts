import { countIncidents, isDemoDataLoaded } from "@/db/queries/demo";
import { seedDemoData, unseedDemoData } from "../demo";
import { parseCliArgs } from "./args";
import { withDb } from "./context";
import { CliError } from "./errors";

export const command = {
  summary: "load (or --remove) the demo program",
  run(argv: string[]) {
    const { options } = parseCliArgs(argv, { boolean: ["help", "remove", "force"], string: ["as-of"] });
    if (options.help) {
      console.log("usage: npm run --silent cli -- seed [--as-of ISO] [--force] | seed --remove");
      return;
    }
    withDb((db) => {
      if (options.remove) {
        const { incidents } = unseedDemoData(db, { label: "cli" });
        console.log(JSON.stringify({ removedIncidents: incidents }));
        return;
      }
      if (isDemoDataLoaded(db)) throw new CliError("demo data is already loaded (remove it first with: seed --remove)");
      if (countIncidents(db) > 0 && !options.force) throw new CliError("the database already holds incidents; pass --force to add the demo program anyway");
      let asOf = Date.now();
      const asOfText = options["as-of"];
      if (asOfText !== undefined) {
        asOf = Date.parse(asOfText);
        if (Number.isNaN(asOf)) throw new CliError(`--as-of "${asOfText}" is not an ISO-8601 instant`);
      }
      console.log(JSON.stringify(seedDemoData(db, asOf)));
    });
  },
};
