import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname), "server-only": path.resolve(__dirname, "tests/support/empty.ts") } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/db/**/*.test.ts"],
    environment: "node",
    // Database tests open real SQLite files; a few workers keep the 2-core machines responsive.
    maxWorkers: 2,
    testTimeout: 30_000,
    server: { deps: { inline: ["server-only"] } },
  },
});
