/**
 * `npm run test:e2e`: builds the app, prepares two temporary databases (one with the
 * demo program and an admin, one brand-new for first-run tests), then runs Playwright
 * against the built app in the system Chromium. Extra arguments go to Playwright.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

const root = process.cwd();
// E2E_DIST lets two people run suites side by side without clobbering one build.
const DIST = process.env.E2E_DIST || ".next-e2e";

function findChromium(): string | null {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE, "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((c): c is string => !!c && fs.existsSync(c)) ?? null;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string) {
  const res = spawnSync(cmd, args, { stdio: input === undefined ? "inherit" : ["pipe", "inherit", "inherit"], input, env, cwd: root });
  if (res.status !== 0) {
    console.error(`e2e: "${[cmd, ...args].join(" ")}" failed (exit ${res.status})`);
    process.exit(res.status ?? 1);
  }
}

async function main() {
  const chromium = findChromium();
  if (!chromium) {
    console.error(
      [
        "e2e: no Chromium found. Playwright cannot download its own browser here; install the system one:",
        "  apt-get install -y chromium        (Debian/Ubuntu; gives /usr/bin/chromium)",
        "or point PLAYWRIGHT_CHROMIUM_EXECUTABLE at a Chrome/Chromium binary.",
      ].join("\n"),
    );
    process.exit(1);
  }

  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const baseEnv = { ...process.env, NEXT_DIST_DIR: DIST, NEXT_TELEMETRY_DISABLED: "1" };

  if (process.env.E2E_SKIP_BUILD !== "1" || !fs.existsSync(path.join(root, DIST, "BUILD_ID"))) {
    console.log("e2e: building the app…");
    run(process.execPath, [next, "build"], baseEnv);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ds-e2e-"));
  const mainDb = `file:${path.join(tmp, "main.sqlite")}`;
  const freshDb = `file:${path.join(tmp, "fresh.sqlite")}`;
  const admin = { email: "admin@example.com", password: "e2e-admin-password-1" };

  console.log("e2e: preparing databases…");
  const cliEnv = { ...baseEnv, DATABASE_URL: mainDb };
  run(tsx, ["--conditions=react-server", "scripts/cli.ts", "seed"], cliEnv);
  run(tsx, ["--conditions=react-server", "scripts/cli.ts", "user", "create", "--email", admin.email, "--role", "admin", "--name", "E2E Admin"], cliEnv, `${admin.password}\n`);

  const [mainPort, freshPort] = [await freePort(), await freePort()];
  const env = {
    ...baseEnv,
    E2E_CHROMIUM: chromium,
    E2E_TMP: tmp,
    E2E_MAIN_DB: mainDb,
    E2E_FRESH_DB: freshDb,
    E2E_MAIN_PORT: String(mainPort),
    E2E_FRESH_PORT: String(freshPort),
    E2E_ADMIN_EMAIL: admin.email,
    E2E_ADMIN_PASSWORD: admin.password,
  };
  const pw = path.join(root, "node_modules", ".bin", "playwright");
  const res = spawnSync(pw, ["test", ...process.argv.slice(2)], { stdio: "inherit", env, cwd: root });
  if (res.status === 0 && process.env.E2E_KEEP_TMP !== "1") fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`e2e: databases, traces and screenshots kept in ${tmp}`);
  process.exit(res.status ?? 1);
}

main().catch((err) => {
  console.error(`e2e: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
