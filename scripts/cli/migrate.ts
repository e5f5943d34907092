import { databasePath, openMigratedDatabase } from "@/db/client";
import { parseArgs } from "./errors";

export const command = {
  summary: "apply pending database migrations",
  run(argv: string[]) {
    const { options } = parseArgs(argv, { boolean: ["help"] });
    if (options.help) {
      console.log("usage: npm run db:migrate   (uses DATABASE_URL)");
      return;
    }
    const db = openMigratedDatabase();
    db.$client.close();
    console.log(`migrated ${databasePath()}`);
  },
};
