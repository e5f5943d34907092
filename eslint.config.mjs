import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next*/**", "node_modules/**", "data/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  // The layers (docs/architecture.md): app, scripts -> server -> db, lib. Each block lists what its
  // files may not import; a later block for the same files replaces an earlier one's rule, so the
  // stricter blocks repeat the general patterns.
  {
    // lib/ is plain TypeScript over plain data: the database and the services stay out.
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "better-sqlite3", message: "lib/ holds no database code: put it in db/queries, compose it in server/." }],
          patterns: [
            { group: ["@/db", "@/db/*", "**/db/*", "drizzle-orm", "drizzle-orm/*"], message: "lib/ holds no database code: put it in db/queries, compose it in server/." },
            { group: ["@/server", "@/server/*", "**/server/*"], message: "lib/ may not import the service layer (server/): services call lib, not the other way." },
            { group: ["@/app", "@/app/*"], message: "lib/ may not import app/." },
          ],
        },
      ],
    },
  },
  {
    // The engine stays pure: plain arrays in, plain objects out.
    files: ["lib/metric/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "react", "react-*", "drizzle-orm", "drizzle-orm/*", "better-sqlite3", "@/db", "@/db/*", "**/db/*"], message: "lib/metric is pure: no framework or database imports." },
            { group: ["@/server", "@/server/*", "**/server/*", "@/app", "@/app/*"], message: "lib/metric is pure: no service or app imports." },
          ],
        },
      ],
    },
  },
  {
    // next.config.ts loads it before path aliases exist and the projects form bundles it for the
    // browser: constants only (the environment-set limit is in lib/api/deploys-limit.ts).
    files: ["lib/api/body-limits.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["*"], message: "lib/api/body-limits.ts imports nothing: it is bundled for the browser and loaded by next.config.ts." }] }],
    },
  },
  {
    // db/ holds SQL and returns rows: it never reaches up into the services or the app.
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/server", "@/server/*", "**/server/*"], message: "db/ may not import server/: a query returns rows; compose it in server/." },
            { group: ["@/app", "@/app/*"], message: "db/ may not import app/." },
          ],
        },
      ],
    },
  },
  {
    // Services serve the app and the CLI; they never import them.
    files: ["server/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/app", "@/app/*", "@/scripts", "@/scripts/*"], message: "server/ may not import app/ or scripts/." }] }],
    },
  },
  {
    // Only db/ holds SQL: pages, actions, route handlers and the CLI call one db/queries function
    // for a single query, or a server/ service for anything that composes queries, runs the engine
    // or keeps a cache, and never build a query themselves. (db/client is fine for the handle.)
    files: ["app/**/*.ts", "app/**/*.tsx", "scripts/**/*.ts"],
    ignores: ["scripts/bench/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "better-sqlite3", message: "Use db/queries (SQL) or server/ (services)." },
          ],
          patterns: [{ group: ["drizzle-orm", "drizzle-orm/*", "@/db/schema", "@/db/schema/*"], message: "No queries outside db/: add one to db/queries and call it (or a service in server/)." }],
        },
      ],
    },
  },
];

export default config;
