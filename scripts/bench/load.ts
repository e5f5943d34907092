/**
 * Load section: the built app (`next start` on 127.0.0.1) over a 100,000-incident database,
 * 2,000 requests from 20 concurrent clients split between the dashboard page (`/`, session
 * cookie) and the metrics API (`GET /api/metrics/quarters`, bearer token, gzip accepted),
 * while a 30,000-row import goes through `POST /api/import` once the run is under way.
 *
 * Reports throughput, p50/p99 per endpoint (and while the import ran), bytes per metrics
 * answer on the wire and decoded, errors, and the import's own time; then the metrics API
 * alone at the same concurrency (its ceiling with nothing else running).
 *
 * Targets: dashboard p99 < 1 s in the mixed run; metrics API ≥ 100 requests/s alone.
 *
 * Uses the build in BENCH_DIST, else .next-bench when it holds one (the dashboard section
 * builds it fresh), else builds .next-bench. The seeded database is kept in the temp folder
 * and copied for each run (LOAD_DB_CACHE=off seeds afresh). LOAD_REQUESTS, LOAD_CONCURRENCY,
 * LOAD_DASHBOARD_SHARE (0–1, default 0.5) and LOAD_IMPORT_ROWS change the shape of the run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { openMigratedDatabase } from "@/db/client";
import { freePort } from "../free-port";
import { waitFor } from "./dashboard";
import { seedSynthetic } from "./engine";

const root = process.cwd();
const EMAIL = "bench-load-admin@example.com";
const PASSWORD = "bench-load-admin-password-1";
const INCIDENTS = 100_000;
const SEED_VERSION = 1;

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return n;
}

function envShare(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${name} must be a number from 0 to 1, not "${raw}"`);
  return n;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The seeded database, kept between runs (seeding 100k takes a while) and copied per run. */
function seededDatabase(dir: string): string {
  const file = path.join(dir, "load.sqlite");
  const cached = path.join(os.tmpdir(), `ds-bench-load-${INCIDENTS}-v${SEED_VERSION}.sqlite`);
  if (process.env.LOAD_DB_CACHE !== "off" && fs.existsSync(cached)) {
    fs.copyFileSync(cached, file);
    return file;
  }
  const db = openMigratedDatabase(`file:${file}`);
  seedSynthetic(db, INCIDENTS, 11);
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
  if (process.env.LOAD_DB_CACHE !== "off") fs.copyFileSync(file, cached);
  return file;
}

function cli(env: NodeJS.ProcessEnv, args: string[], input = ""): string {
  const res = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/cli.ts", ...args], { input, env, cwd: root, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`cli ${args.slice(0, 2).join(" ")} failed: ${res.stderr}`);
  return res.stdout;
}

function distDir(): string {
  if (process.env.BENCH_DIST) {
    if (!fs.existsSync(path.join(root, process.env.BENCH_DIST, "BUILD_ID"))) throw new Error(`BENCH_DIST ${process.env.BENCH_DIST} holds no build`);
    return process.env.BENCH_DIST;
  }
  const dist = ".next-bench";
  if (fs.existsSync(path.join(root, dist, "BUILD_ID"))) {
    console.error(`load: using the build in ${dist} (remove it, or run the dashboard section first, to measure the working tree as it is now)`);
    return dist;
  }
  const res = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    stdio: ["ignore", 2, 2],
    env: { ...process.env, NEXT_DIST_DIR: dist, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (res.status !== 0) throw new Error("next build failed");
  return dist;
}

/** A canonical CSV of `n` incidents unlike the seeded ones (their own source), recent, mostly change-triggered. */
export function importCsv(n: number, now = Date.now()): Buffer {
  const lines = ["id,title,severity,started_at,resolved_at,trigger,services,analysis_status"];
  const sev = ["SEV1", "SEV2", "SEV3", "SEV4"];
  const svc = ["api", "web", "db", "auth", "search"];
  for (let k = 1; k <= n; k++) {
    const start = now - 400 * 86_400_000 + Math.floor((k * 7919) % (390 * 1440)) * 60_000;
    const end = start + ((k * 31) % 240) * 60_000;
    lines.push(`LOAD-${k},Load incident ${k},${sev[k % 4]},${new Date(start).toISOString()},${new Date(end).toISOString()},${k % 5 === 0 ? "other" : "change"},${svc[k % 5]},final`);
  }
  return Buffer.from(lines.join("\n") + "\n");
}

interface Answer {
  status: number;
  ms: number;
  wireBytes: number;
  body: Buffer;
  encoding: string | undefined;
}

type RequestOptions = { method?: string; path: string; headers: Record<string, string>; body?: Buffer };

/**
 * One request over the keep-alive agent. A GET that fails with ECONNRESET on a reused socket
 * (the server closed it as idle just as it was reused: a client-side race Node's docs describe)
 * is sent once more on a new one; its time counts from the first attempt.
 */
async function request(agent: http.Agent, base: URL, opts: RequestOptions): Promise<Answer> {
  const t = performance.now();
  try {
    return await requestOnce(agent, base, opts, t);
  } catch (err) {
    if ((opts.method ?? "GET") !== "GET" || (err as NodeJS.ErrnoException).code !== "ECONNRESET" || !(err as { reused?: boolean }).reused) throw err;
    return requestOnce(agent, base, opts, t);
  }
}

function requestOnce(agent: http.Agent, base: URL, opts: RequestOptions, t: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: base.hostname, port: base.port, method: opts.method ?? "GET", path: opts.path, headers: opts.body ? { ...opts.headers, "content-length": String(opts.body.length) } : opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - t, wireBytes: body.length, body, encoding: res.headers["content-encoding"] });
        });
        res.on("error", reject);
      },
    );
    req.on("error", (err) => reject(Object.assign(err, { reused: req.reusedSocket })));
    req.setTimeout(120_000, () => req.destroy(new Error("timed out after 120 s")));
    req.end(opts.body);
  });
}

function decode(a: Answer): Buffer {
  if (a.encoding === "gzip") return zlib.gunzipSync(a.body);
  if (a.encoding === "br") return zlib.brotliDecompressSync(a.body);
  if (a.encoding === "deflate") return zlib.inflateSync(a.body);
  return a.body;
}

type Kind = "dashboard" | "metrics";
interface Sample {
  kind: Kind;
  ms: number;
  start: number;
  end: number;
  ok: boolean;
  wireBytes: number;
}

/** `total` requests from `concurrency` closed-loop clients; `kindOf(k)` picks the k-th request's endpoint. */
async function fire(total: number, concurrency: number, kindOf: (k: number) => Kind, send: (kind: Kind) => Promise<Answer>, onProgress?: (done: number) => void): Promise<{ samples: Sample[]; wallMs: number; errors: string[] }> {
  const samples: Sample[] = [];
  const errors: string[] = [];
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  async function worker() {
    while (next < total) {
      const kind = kindOf(next++);
      const start = performance.now();
      try {
        const a = await send(kind);
        const ok = a.status === 200;
        if (!ok && errors.length < 10) errors.push(`${kind} ${a.status}: ${decode(a).toString("utf8").slice(0, 200)}`);
        samples.push({ kind, ms: a.ms, start: start - t0, end: performance.now() - t0, ok, wireBytes: a.wireBytes });
      } catch (err) {
        if (errors.length < 10) errors.push(`${kind}: ${err instanceof Error ? err.message : String(err)}`);
        samples.push({ kind, ms: performance.now() - start, start: start - t0, end: performance.now() - t0, ok: false, wireBytes: 0 });
      }
      onProgress?.(++done);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, wallMs: performance.now() - t0, errors };
}

function summarize(samples: readonly Sample[], wallMs: number, prefix: string): Record<string, number> {
  const ms = samples.map((s) => s.ms);
  return {
    [`${prefix}_requests`]: samples.length,
    [`${prefix}_per_s`]: r1(samples.length / (wallMs / 1000)),
    [`${prefix}_p50_ms`]: r1(percentile(ms, 50)),
    [`${prefix}_p99_ms`]: r1(percentile(ms, 99)),
    [`${prefix}_max_ms`]: r1(Math.max(...ms)),
    [`${prefix}_errors`]: samples.filter((s) => !s.ok).length,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const total = envInt("LOAD_REQUESTS", 2000, 10, 1_000_000);
  const concurrency = envInt("LOAD_CONCURRENCY", 20, 1, 1000);
  const importRows = envInt("LOAD_IMPORT_ROWS", 30_000, 0, 1_000_000);
  const dashboardShare = envShare("LOAD_DASHBOARD_SHARE", 0.5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-load-"));
  let server: ChildProcess | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency + 2 });
  try {
    const out: Record<string, unknown> = { load_incidents: INCIDENTS, load_requests: total, load_concurrency: concurrency, load_dashboard_share: dashboardShare, load_import_rows: importRows };
    let t = performance.now();
    const file = seededDatabase(dir);
    out.load_db_ready_ms = Math.round(performance.now() - t);
    const env = { ...process.env, DATABASE_URL: `file:${file}`, NEXT_TELEMETRY_DISABLED: "1", DEMO_DATA: "off" };
    cli(env, ["user", "create", "--email", EMAIL, "--role", "admin", "--name", "Bench load"], `${PASSWORD}\n`);
    const lastLine = (s: string) => s.trim().split("\n").pop()!.trim();
    const viewerToken = lastLine(cli(env, ["token", "create", "--name", "bench-load-viewer", "--role", "viewer"]));
    const editorToken = lastLine(cli(env, ["token", "create", "--name", "bench-load-editor", "--role", "editor"]));

    const dist = distDir();
    const port = await freePort();
    const base = new URL(`http://127.0.0.1:${port}`);
    server = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...env, NEXT_DIST_DIR: dist },
      cwd: root,
      detached: true,
      stdio: "ignore",
    });
    await waitFor(`${base.origin}/api/health`, 60_000);

    const signIn = await fetch(`${base.origin}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: base.origin }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");

    // Views answered with the previous figures while new ones were computed (the page says so).
    let updatingViews = 0;
    const dashboard = () =>
      request(agent, base, { path: "/", headers: { cookie, "accept-encoding": "gzip, deflate, br", accept: "text/html" } }).then((a) => {
        if (a.status === 200 && decode(a).includes('data-testid="figures-updating"')) updatingViews++;
        return a;
      });
    const metrics = () => request(agent, base, { path: "/api/metrics/quarters", headers: { authorization: `Bearer ${viewerToken}`, "accept-encoding": "gzip, deflate, br" } });
    const send = (kind: Kind) => (kind === "dashboard" ? dashboard() : metrics());

    // One of each first: the answers are checked, and the first view after a start is reported apart.
    let a = await dashboard();
    if (a.status !== 200 || !decode(a).toString("utf8").includes('data-testid="quarterly-chart"')) throw new Error(`dashboard answered ${a.status}`);
    out.load_dashboard_first_ms = r1(a.ms);
    a = await metrics();
    if (a.status !== 200) throw new Error(`metrics answered ${a.status}: ${decode(a).toString("utf8").slice(0, 300)}`);
    const decoded = decode(a);
    const body = JSON.parse(decoded.toString("utf8")) as { quarters?: unknown[] };
    if (!Array.isArray(body.quarters)) throw new Error("metrics answer holds no quarters");
    out.load_metrics_first_ms = r1(a.ms);
    out.load_metrics_encoding = a.encoding ?? "identity";
    out.load_metrics_wire_bytes = a.wireBytes;
    out.load_metrics_decoded_bytes = decoded.length;

    // Mixed run, the import starting once a quarter of the requests are done.
    const csv = importCsv(importRows);
    let importPromise: Promise<void> | null = null;
    let importWindow: [number, number] = [NaN, NaN];
    const t0 = performance.now();
    const startImport = () => {
      const started = performance.now() - t0;
      importPromise = request(agent, base, {
        method: "POST",
        path: "/api/import?format=canonical&source=bench-load&fileName=load.csv",
        headers: { authorization: `Bearer ${editorToken}`, "content-type": "text/csv" },
        body: csv,
      }).then((r) => {
        importWindow = [started, performance.now() - t0];
        const summary = JSON.parse(r.body.toString("utf8")) as { created?: number };
        if (r.status !== 200) throw new Error(`import answered ${r.status}: ${r.body.toString("utf8").slice(0, 300)}`);
        out.load_import_status = r.status;
        out.load_import_created = summary.created;
        out.load_import_ms = r1(r.ms);
      });
    };
    const share = Math.round(dashboardShare * 100);
    const kindOf = (k: number): Kind => ((k * 37) % 100 < share ? "dashboard" : "metrics");
    const mixed = await fire(total, concurrency, kindOf, send, (done) => {
      if (importRows > 0 && done === Math.floor(total / 4) && !importPromise) startImport();
    });
    if (importPromise) await importPromise;
    out.load_wall_ms = Math.round(mixed.wallMs);
    out.load_per_s = r1(mixed.samples.length / (mixed.wallMs / 1000));
    Object.assign(out, summarize(mixed.samples.filter((s) => s.kind === "dashboard"), mixed.wallMs, "load_dashboard"));
    Object.assign(out, summarize(mixed.samples.filter((s) => s.kind === "metrics"), mixed.wallMs, "load_metrics"));
    const metricBytes = mixed.samples.filter((s) => s.kind === "metrics" && s.ok).map((s) => s.wireBytes);
    out.load_metrics_wire_bytes_total = metricBytes.reduce((x, y) => x + y, 0);
    // Requests that overlapped the import (started before it ended, ended after it started).
    const [is, ie] = importWindow;
    if (Number.isFinite(is)) {
      const during = mixed.samples.filter((s) => s.start < ie && s.end > is);
      const dd = during.filter((s) => s.kind === "dashboard").map((s) => s.ms);
      const dm = during.filter((s) => s.kind === "metrics").map((s) => s.ms);
      out.load_during_import_dashboard_requests = dd.length;
      out.load_during_import_dashboard_p99_ms = r1(percentile(dd, 99));
      out.load_during_import_metrics_requests = dm.length;
      out.load_during_import_metrics_p99_ms = r1(percentile(dm, 99));
    }
    out.load_dashboard_updating_views = updatingViews;
    out.load_errors = mixed.samples.filter((s) => !s.ok).length;
    if (mixed.errors.length) out.load_error_samples = mixed.errors;

    // The metrics API alone: its ceiling at the same concurrency.
    t = performance.now();
    const alone = await fire(Math.max(10, Math.floor(total / 2)), concurrency, () => "metrics", send);
    Object.assign(out, summarize(alone.samples, alone.wallMs, "load_metrics_alone"));

    out.load_dashboard_p99_ok = (out.load_dashboard_p99_ms as number) < 1000 && out.load_dashboard_errors === 0;
    out.load_metrics_throughput_ok = (out.load_metrics_alone_per_s as number) >= 100 && out.load_metrics_alone_errors === 0;
    return out;
  } finally {
    agent.destroy();
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
