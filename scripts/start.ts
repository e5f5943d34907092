/**
 * `npm start`: migrate the database, load the demo program into a brand-new one
 * (unless DEMO_DATA=off), build the app when there is no build, then serve it.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { databasePath, openMigratedDatabase } from "@/db/client";
import { shouldAutoLoadDemo } from "@/db/queries/demo";
import { hasAnyUser } from "@/db/queries/users";
import { clearSetupCode, ensureSetupCode } from "@/server/auth/setup-code";
import { envProvider } from "@/server/auth/sign-in-config";
import { appUrlStartLine, appUrlState } from "@/server/delivery/app-url";
import { checkEnv, EnvError, type Env } from "@/lib/env";
import { seedDemoData } from "./demo";

/** Every variable checked before anything starts: one message naming each bad one. */
function readConfig(): Env {
  try {
    const config = checkEnv();
    // The OIDC_* variables are checked as a set too (an issuer without a client id, a bad role map).
    envProvider();
    return config;
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`Cannot start: ${err.message}`);
    process.exit(2);
  }
}

const config = readConfig();
const root = process.cwd();
const distDir = config.NEXT_DIST_DIR;
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

/** A self-hosted tool phones nowhere: Next's anonymous telemetry is off unless asked for (Next's own variable, passed on as is). */
function withoutTelemetry(): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1" };
}

function prepareDatabase() {
  const db = openMigratedDatabase();
  try {
    if (config.DEMO_DATA === "on" && shouldAutoLoadDemo(db)) {
      const loaded = seedDemoData(db);
      console.log(`Loaded demo data: ${loaded.incidents} incidents, ${loaded.projects} projects (remove it from Settings).`);
    }
    // No account yet: /setup asks for this code, so only someone who sees this output can claim the server.
    if (!hasAnyUser(db)) console.log(`\nFirst-run setup code: ${ensureSetupCode()}\nOpen /setup and enter it to create the first admin (it is also kept in .setup-code next to the database).\n`);
    else clearSetupCode();
    console.log(appUrlStartLine(appUrlState(db)));
  } finally {
    db.$client.close();
  }
  console.log(`Database: ${databasePath()}`);
}

function ensureBuild() {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (fs.existsSync(buildId) && !config.FORCE_BUILD) return;
  console.log("No build found: building the app first (a minute or two)...");
  const res = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: withoutTelemetry() });
  if (res.status !== 0) {
    console.error("The build failed; see the output above.");
    process.exit(res.status ?? 1);
  }
}

function serve() {
  const args = [nextBin, "start", "-p", String(config.PORT)];
  if (config.HOST) args.push("-H", config.HOST);
  const child = spawn(process.execPath, args, { stdio: "inherit", env: withoutTelemetry() });
  // Stopping `npm start` stops the server: the signal goes on to next (`exec` in package.json
  // keeps npm's shell from swallowing it, which left next-server running). A server still up
  // 10 s later is ended outright. (Ctrl-C reaches both processes; forwarding twice is harmless.)
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      child.kill(sig);
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    });
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

try {
  prepareDatabase();
} catch (err) {
  console.error(`Cannot prepare the database: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
ensureBuild();
serve();
