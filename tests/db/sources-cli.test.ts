import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openMigratedDatabase } from "@/db/client";
import { pagerdutyIncident, startFakePagerDuty, type FakePagerDuty } from "../support/fake-vendors/pagerduty";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
let dir: string;
let dbUrl: string;
let pd: FakePagerDuty;

async function cli(args: string[], stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = exec(TSX, ["--conditions=react-server", "scripts/cli.ts", ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: dbUrl } });
  child.child.stdin?.end(stdin);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function query<T>(sql: string): T {
  const db = openMigratedDatabase(dbUrl);
  try {
    return db.$client.prepare(sql).get() as T;
  } finally {
    db.$client.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-sources-cli-"));
  dbUrl = `file:${path.join(dir, "cli.sqlite")}`;
  pd = await startFakePagerDuty();
  const start = Date.now() - 10 * 86_400_000;
  for (let i = 1; i <= 350; i++) pd.incidents.push(pagerdutyIncident(i, start + i * 60_000));
});
afterAll(async () => {
  await pd.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("sources add reads the key from stdin, list and status never show it", async () => {
  const add = await cli(["sources", "add", "--name", "pd", "--kind", "pagerduty", "--base-url", pd.url, "--every", "30"], `${pd.token}\n`);
  expect(add.stderr).toBe("");
  expect(add.stdout).toContain("added source pd (pagerduty)");
  const list = await cli(["sources", "list"]);
  expect(list.stdout).toContain(`pd\tpagerduty\t${pd.url}\tevery 30 min\ton\tcredential set`);
  expect(list.stdout + add.stdout).not.toContain(pd.token);
  expect(fs.readFileSync(path.join(dir, "cli.sqlite")).toString("latin1")).not.toContain(pd.token);
  expect(fs.existsSync(path.join(dir, ".sources-key"))).toBe(true);
});

test("bad input: a clear one-line error and nothing written", async () => {
  const bad = await cli(["sources", "add", "--name", "x y", "--kind", "nagios"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^error: Invalid source \(name: .*; kind: is not one of pagerduty, .*\)\n$/);
  const missing = await cli(["sources", "sync", "nope"]);
  expect(missing.stderr).toBe('error: no source named "nope" (see sources list)\n');
  expect(query<{ n: number }>("SELECT COUNT(*) n FROM sources").n).toBe(1);
});

test("a sync killed mid-way (kill -9) resumes from its cursor: nothing doubled, nothing lost", async () => {
  // The third page hangs; the CLI is killed while it waits, after two pages were committed.
  pd.faultAt.set(pd.requests.length + 3, { delayMs: 60_000 });
  // node itself (tsx as a loader), so the kill reaches the process that holds the lease.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/cli.ts", "sources", "sync", "pd"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: dbUrl }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const deadline = Date.now() + 25_000;
  while (!stderr.includes("page 2:") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // Let the third request reach the fake.
  while (pd.requests.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGKILL");
  await new Promise((r) => child.on("exit", r));
  expect(query<{ n: number }>("SELECT COUNT(*) n FROM incidents").n).toBe(200);
  expect(query<{ status: string }>("SELECT status FROM source_runs").status).toBe("running");

  const before = pd.requests.length;
  const again = await cli(["sources", "sync", "pd"]);
  expect(again.stderr).toBe("page 3: 100 incidents\npage 4: 50 incidents\n");
  expect(again.code).toBe(0);
  const summary = JSON.parse(again.stdout.trim().split("\n").pop()!);
  expect(summary).toMatchObject({ source: "pd", status: "succeeded", resumed: true, pages: 4, fetched: 350, created: 350, rejected: 0 });
  expect(pd.requests.slice(before).map((r) => r.query.get("offset"))).toEqual(["200", "300"]);
  expect(query<{ n: number; d: number }>("SELECT COUNT(*) n, COUNT(DISTINCT source_id) d FROM incidents")).toEqual({ n: 350, d: 350 });
  expect(query<{ n: number }>("SELECT COUNT(*) n FROM import_batches").n).toBe(1);

  const status = await cli(["sources", "status"]);
  expect(status.stdout).toMatch(/^pd\tpagerduty\tsucceeded \S+: 350 new, 0 updated, 0 unchanged, 0 rejected\tnext \S+\n$/);
}, 60_000);
