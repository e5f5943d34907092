import { databasePath } from "@/db/client";
import { parseCliArgs } from "./args";
import { withDb } from "./context";

export const command = {
  summary: "apply pending database migrations",
  run(argv: string[]) {
    const { options } = parseCliArgs(argv, { boolean: ["help"] });
    if (options.help) {
      console.log("usage: npm run db:migrate   (uses DATABASE_URL)");
      return;
    }
    withDb(() => undefined);
    console.log(`migrated ${databasePath()}`);
  },
};
