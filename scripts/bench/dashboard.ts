/**
 * Dashboard section: 100,000 synthetic incidents in a temp database, then
 *  - in-process: loadDashboard (the one engine pass + queries the page makes);
 *  - the built app (`next start` on a free port against that database, signed in as an
 *    admin created through the CLI): the HTML response time of `/` with the figures cached,
 *    and "cold": right after another connection edits one incident's curation (the cache is
 *    dropped, the in-memory incidents catch up by one row, the engine runs again); and in
 *    Chromium the time from navigation to the quarterly chart drawn (svg.recharts-surface).
 *
 * Targets: server render < 500 ms, cached and cold; chart drawn < 2 s. Builds the working tree into
 * .next-bench first (or uses the build in BENCH_DIST as is).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../free-port";
import { openMigratedDatabase } from "@/db/client";
import { loadDashboard, loadDashboardCached } from "@/server/dashboard/data";
import { seedSynthetic } from "./engine";

const root = process.cwd();
const EMAIL = "bench-admin@example.com";
const PASSWORD = "bench-admin-password-1";

/**
 * The build to measure: BENCH_DIST when given (taken as is), otherwise a fresh build of
 * the working tree into .next-bench, so the figures always describe the code under test.
 */
function distDir(): string {
  if (process.env.BENCH_DIST) {
    if (!fs.existsSync(path.join(root, process.env.BENCH_DIST, "BUILD_ID"))) throw new Error(`BENCH_DIST ${process.env.BENCH_DIST} holds no build`);
    return process.env.BENCH_DIST;
  }
  const dist = ".next-bench";
  const res = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    // Build output goes to stderr: stdout's last line is the figures.
    stdio: ["ignore", 2, 2],
    env: { ...process.env, NEXT_DIST_DIR: dist, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (res.status !== 0) throw new Error("next build failed");
  return dist;
}

export async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${url} did not start`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r1 = (x: number) => Math.round(x * 10) / 10;

function chromiumPath(): string {
  const c = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE, "/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p): p is string => !!p && fs.existsSync(p));
  if (!c) throw new Error("no Chromium found (apt-get install chromium)");
  return c;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-dash-"));
  const file = path.join(dir, "dash.sqlite");
  const url = `file:${file}`;
  let server: ChildProcess | null = null;
  try {
    const out: Record<string, unknown> = {};
    const db = openMigratedDatabase(url);
    seedSynthetic(db, 100_000, 7);
    const inproc: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      loadDashboard(db, {});
      inproc.push(performance.now() - t);
    }
    out.dashboard_load_100k_ms = r1(Math.min(...inproc));
    loadDashboardCached(db, {});
    let t = performance.now();
    loadDashboardCached(db, {});
    out.dashboard_load_cached_100k_ms = r1(performance.now() - t);
    db.$client.close();

    const env = { ...process.env, DATABASE_URL: url, NEXT_TELEMETRY_DISABLED: "1", DEMO_DATA: "off" };
    const cli = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/cli.ts", "user", "create", "--email", EMAIL, "--role", "admin", "--name", "Bench"], {
      input: `${PASSWORD}\n`,
      env,
      cwd: root,
      encoding: "utf8",
    });
    if (cli.status !== 0) throw new Error(`user create failed: ${cli.stderr}`);

    const dist = distDir();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // Own process group, so the whole server (next + next-server) stops with it.
    server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...env, NEXT_DIST_DIR: dist },
      cwd: root,
      detached: true,
      stdio: "ignore",
    });
    await waitFor(`${base}/api/health`, 60_000);

    const signIn = await fetch(`${base}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

    const html: number[] = [];
    for (let k = 0; k < 6; k++) {
      const t = performance.now();
      const res = await fetch(`${base}/`, { headers: { cookie } });
      const body = await res.text();
      const ms = performance.now() - t;
      if (!res.ok || !body.includes('data-testid="quarterly-chart"')) throw new Error(`dashboard render failed: ${res.status}`);
      if (k > 0) html.push(ms);
      // The first request after the server came up: it may wait for the start-up warm-up.
      else out.dashboard_server_render_first_after_start_ms = r1(ms);
    }
    out.dashboard_server_render_100k_ms = r1(median(html));
    // Cold: after a write the cached figures are dropped and the engine runs again.
    const cold: number[] = [];
    const writer = openMigratedDatabase(url);
    for (let k = 0; k < 3; k++) {
      writer.$client.prepare("UPDATE incident_curation SET updated_at = updated_at + 1 WHERE incident_id = 1").run();
      t = performance.now();
      const res = await fetch(`${base}/`, { headers: { cookie } });
      await res.text();
      cold.push(performance.now() - t);
    }
    writer.$client.close();
    out.dashboard_server_render_cold_100k_ms = r1(median(cold));
    out.dashboard_server_render_100k_best_ms = r1(Math.min(...html));

    const { chromium } = await import("@playwright/test");
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"] });
    try {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      // Sign in through the context so the browser holds its own session cookie.
      const res = await ctx.request.post(`${base}/api/auth/sign-in/email`, { data: { email: EMAIL, password: PASSWORD }, headers: { origin: base } });
      if (!res.ok()) throw new Error(`browser sign-in failed: ${res.status()}`);
      const page = await ctx.newPage();
      const times: number[] = [];
      for (let k = 0; k < 4; k++) {
        const t = performance.now();
        await page.goto(`${base}/`, { waitUntil: "commit" });
        await page.waitForSelector('[data-testid="quarterly-chart"] svg.recharts-surface', { timeout: 30_000 });
        await page.waitForSelector('[data-testid="quarterly-chart"] rect.ds-bar', { timeout: 30_000 });
        if (k > 0) times.push(performance.now() - t);
      }
      out.dashboard_chart_complete_100k_ms = r1(median(times));
    } finally {
      await browser.close();
    }
    // Both count: the typical view (cached figures) and the first after a write (engine pass).
    out.dashboard_server_render_ok = (out.dashboard_server_render_100k_ms as number) < 500 && (out.dashboard_server_render_cold_100k_ms as number) < 500;
    out.dashboard_chart_complete_ok = (out.dashboard_chart_complete_100k_ms as number) < 2000;
    return out;
  } finally {
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
