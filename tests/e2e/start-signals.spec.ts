/**
 * `npm start` stops when told to: SIGTERM to the npm process (what a service manager or a
 * container runtime sends) must take next-server down with it, not leave it holding the port.
 * Runs the real `npm start` on a temporary database against the build the suite already made.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** True while any process of the group is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/health`)).ok;
  } catch {
    return false;
  }
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} to npm start stops the server and every process it started`, async () => {
    test.setTimeout(90_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-start-"));
    const port = await freePort();
    // Its own process group, so the test can see whether anything it started outlives npm.
    const npm = spawn("npm", ["start"], {
      cwd: process.cwd(),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(dir, "start.sqlite")}`,
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || ".next-e2e",
        PORT: String(port),
        HOST: "127.0.0.1",
        DEMO_DATA: "off",
        DASHBOARD_WARMUP: "off",
      },
    });
    let output = "";
    npm.stdout.on("data", (d) => (output += d));
    npm.stderr.on("data", (d) => (output += d));
    const pgid = npm.pid!;
    try {
      await expect.poll(() => healthy(port), { timeout: 60_000, message: "npm start serves /api/health" }).toBe(true);
      const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
      process.kill(npm.pid!, signal);
      await exited;
      await expect.poll(() => healthy(port), { timeout: 15_000, message: `the server still answers after ${signal}:\n${output}` }).toBe(false);
      await expect.poll(() => groupAlive(pgid), { timeout: 15_000, message: "a process started by npm start is still running" }).toBe(false);
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
