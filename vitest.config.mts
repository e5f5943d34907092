import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// .mts: an ES module whichever way it is loaded, so Vite's config loader has nothing to warn about.
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root.replace(/\/$/, ""), "server-only": fileURLToPath(new URL("tests/support/empty.ts", import.meta.url)) } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/db/**/*.test.ts"],
    environment: "node",
    // Database tests open real SQLite files; a few workers keep the 2-core machines responsive.
    maxWorkers: 2,
    testTimeout: 30_000,
    server: { deps: { inline: ["server-only"] } },
  },
});
