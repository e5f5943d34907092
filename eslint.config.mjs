import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next*/**", "node_modules/**", "data/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    // The engine stays pure: plain arrays in, plain objects out.
    files: ["lib/metric/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "react", "react-*", "drizzle-orm", "drizzle-orm/*", "better-sqlite3", "@/db/*", "**/db/*"], message: "lib/metric is pure: no framework or database imports." },
          ],
        },
      ],
    },
  },
  {
    // Only db/ holds SQL; app code goes through db/queries.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "better-sqlite3", message: "Use db/queries." }] }],
    },
  },
];

export default config;
