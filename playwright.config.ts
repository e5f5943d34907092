import { defineConfig, devices } from "@playwright/test";

/**
 * Run through `npm run test:e2e` (scripts/e2e.ts), which builds the app, prepares the
 * databases and sets the E2E_* variables read here.
 */
const env = process.env;
const mainPort = Number(env.E2E_MAIN_PORT || 3200);
const freshPort = Number(env.E2E_FRESH_PORT || 3201);
const nextBin = "node node_modules/next/dist/bin/next start";
/** Each run keeps its results and the admin session apart, so two runs side by side don't clobber each other. */
const runDir = env.E2E_TMP || "test-results";
export const ADMIN_STATE = `${runDir}/.auth/admin.json`;
/** Body limits of the main server, lowered (but kept above Next's 10 MB proxy cut) so tests/e2e/uploads.spec.ts sends bodies just under and over them quickly. */
export const E2E_UPLOAD_LIMITS = { IMPORT_MAX_BYTES: 13 * 1024 * 1024, DEPLOYS_MAX_BYTES: 11 * 1024 * 1024 };

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: `${runDir}/results`,
  // One worker: suites tag incidents and then read figures from the same database.
  workers: 1,
  fullyParallel: false,
  retries: env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: env.CI ? [["list"]] : [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${mainPort}`,
    storageState: ADMIN_STATE,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1400, height: 900 },
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1400, height: 900 },
        launchOptions: {
          executablePath: env.E2E_CHROMIUM || "/usr/bin/chromium",
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        },
      },
    },
  ],
  webServer: [
    {
      command: `${nextBin} -p ${mainPort} -H 127.0.0.1`,
      url: `http://127.0.0.1:${mainPort}/api/health`,
      env: {
        DATABASE_URL: env.E2E_MAIN_DB || "",
        NEXT_DIST_DIR: env.NEXT_DIST_DIR || ".next-e2e",
        DEMO_DATA: "off",
        SOURCES_SCHEDULER: "off",
        IMPORT_MAX_BYTES: String(E2E_UPLOAD_LIMITS.IMPORT_MAX_BYTES),
        DEPLOYS_MAX_BYTES: String(E2E_UPLOAD_LIMITS.DEPLOYS_MAX_BYTES),
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `${nextBin} -p ${freshPort} -H 127.0.0.1`,
      url: `http://127.0.0.1:${freshPort}/api/health`,
      env: { DATABASE_URL: env.E2E_FRESH_DB || "", NEXT_DIST_DIR: env.NEXT_DIST_DIR || ".next-e2e", DEMO_DATA: "off", SOURCES_SCHEDULER: "off" },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
