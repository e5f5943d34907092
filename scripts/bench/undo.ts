/**
 * Bench section "undo": 150,000 synthetic incidents (with their duplicate links), then one
 * 30,000-row import batch (24,000 new incidents, 6,000 updates that also overwrite curated
 * fields and attributions; 1,000 older incidents then marked duplicates of new ones), then
 * `undoImportBatch` while a second process (scripts/bench/undo-reader.ts) reads on its own
 * connection without pause: the health route's handler, an aggregate over every incident,
 * a page of the incident list, and a short write every other round.
 *
 * Reports the undo's time (which is also how long an undo started from the web UI holds
 * the server's event loop: better-sqlite3 is synchronous), and the reads' and writes'
 * count, max latency and errors while it ran. Targets: undo < 10 s, zero read errors.
 * BENCH_UNDO_BASE / BENCH_UNDO_ROWS change the sizes.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase } from "@/db/client";
import { importIncidents, undoImportBatch } from "@/db/queries/imports";
import type { ParsedRow } from "@/lib/import/types";
import { seedSynthetic } from "./engine";
import type { ReaderOp } from "./undo-reader";

const BASE = Number(process.env.BENCH_UNDO_BASE) || 150_000;
const ROWS = Number(process.env.BENCH_UNDO_ROWS) || 30_000;
const UPDATES = Math.round(ROWS / 5);

/** The batch: ROWS - UPDATES new incidents and UPDATES rewrites of seeded ones (source "bench", id B-n). */
function batchRows(): ParsedRow[] {
  const t0 = Date.parse("2024-01-01T00:00:00Z");
  const rows: ParsedRow[] = [];
  for (let k = 0; k < ROWS; k++) {
    const update = k < UPDATES;
    const start = t0 + k * 600_000;
    rows.push({
      row: k + 2,
      incident: {
        source: "bench",
        sourceId: update ? `B-${1 + k * Math.floor(BASE / UPDATES)}` : `U-${k}`,
        title: `Imported incident ${k} — “undo” bench`,
        description: k % 3 ? null : "Errors after a rollout; rolled back.",
        severity: ["SEV1", "SEV2", "SEV3"][k % 3],
        status: "resolved",
        startedAt: start,
        resolvedAt: start + ((k * 7919) % 7200) * 1000,
        url: null,
        sourceServices: ["checkout", "payments"].slice(0, 1 + (k % 2)),
        customFields: k % 4 ? {} : { team: `team-${k % 7}` },
        curated: {
          trigger: k % 2 ? "change" : "other",
          changeType: k % 2 ? "code_deploy" : undefined,
          customerImpactPct: k % 50,
          projects: update && k % 10 === 0 ? ["bench-project"] : undefined,
        },
      } as ParsedRow["incident"],
    });
  }
  return rows;
}

function summarise(ops: ReaderOp[], from: number, to: number) {
  const during = ops.filter((o) => o.at <= to && o.at + o.ms >= from);
  const pick = (kinds: ReaderOp["op"][]) => {
    const list = during.filter((o) => kinds.includes(o.op));
    return {
      n: list.length,
      maxMs: Math.round(list.reduce((m, o) => Math.max(m, o.ms), 0)),
      errors: list.filter((o) => o.error).length,
      firstError: list.find((o) => o.error)?.error ?? null,
    };
  };
  return { reads: pick(["health", "aggregate", "page"]), health: pick(["health"]), writes: pick(["write"]) };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-undo-"));
  const file = path.join(dir, "undo.sqlite");
  const stopFile = path.join(dir, "stop");
  const resultFile = path.join(dir, "reads.json");
  // Stopped in `finally`, so a failed undo never leaves the reader spinning on the CPU.
  let reader: ReturnType<typeof spawn> | null = null;
  try {
    const db = openMigratedDatabase(`file:${file}`);
    const sqlite = db.$client;
    const s0 = performance.now();
    seedSynthetic(db, BASE);
    const now = Date.now();
    sqlite.prepare("INSERT INTO projects (slug, name, created_at, updated_at) VALUES ('bench-project', 'Bench project', ?, ?)").run(now, now);
    const seedMs = performance.now() - s0;

    const rows = batchRows();
    const ic0 = process.cpuUsage();
    const i0 = performance.now();
    const batch = importIncidents(db, rows, [], { source: "bench", format: "canonical", actor: { label: "bench" }, overwriteCurated: true });
    const importMs = performance.now() - i0;
    const importCpu = process.cpuUsage(ic0);
    // Older incidents marked duplicates of new ones: the undo's deletes must set these links null.
    sqlite
      .prepare(
        `UPDATE incident_curation SET duplicate_of_id = (SELECT id FROM incidents WHERE source = 'bench' AND source_id = 'U-' || (? + (incident_id % 1000)))
         WHERE incident_id IN (SELECT id FROM incidents WHERE source = 'bench' AND source_id LIKE 'B-%' ORDER BY id DESC LIMIT 1000)`,
      )
      .run(UPDATES);
    const titleBefore = sqlite.prepare("SELECT title FROM incidents WHERE source = 'bench' AND source_id = 'B-1'").pluck();

    reader = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["--conditions=react-server", path.join(__dirname, "undo-reader.ts"), file, stopFile, resultFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const child = reader;
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
      child.on("exit", (code) => reject(new Error(`undo-reader exited with ${code} before it was ready`)));
    });
    // Let the reader settle into its loop, so the window before the undo is measured too.
    await new Promise((r) => setTimeout(r, 1000));

    const u0Wall = Date.now();
    const c0 = process.cpuUsage();
    const u0 = performance.now();
    const undo = undoImportBatch(db, batch.batchId!, { label: "bench" });
    const undoMs = performance.now() - u0;
    const cpu = process.cpuUsage(c0);
    const u1Wall = Date.now();

    await new Promise((r) => setTimeout(r, 500));
    fs.writeFileSync(stopFile, "");
    const code = await exited;
    if (code !== 0) throw new Error(`undo-reader exited with ${code}`);
    const ops = JSON.parse(fs.readFileSync(resultFile, "utf8")) as ReaderOp[];
    const during = summarise(ops, u0Wall, u1Wall);
    const idle = summarise(ops, 0, u0Wall - 1);

    const left = sqlite.prepare("SELECT count(*) FROM incidents").pluck().get() as number;
    const danglingDuplicates = sqlite
      .prepare("SELECT count(*) FROM incident_curation c WHERE c.duplicate_of_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = c.duplicate_of_id)")
      .pluck()
      .get() as number;
    const restoredTitle = titleBefore.get() as string;
    sqlite.close();

    return {
      undo_base_incidents: BASE,
      undo_batch_rows: ROWS,
      undo_seed_ms: Math.round(seedMs),
      undo_import_ms: Math.round(importMs),
      undo_import_cpu_ms: Math.round((importCpu.user + importCpu.system) / 1000),
      undo_deleted: undo.deleted,
      undo_restored: undo.restored,
      undo_30k_at_150k_ms: Math.round(undoMs),
      /** CPU time (user + system) of the undo: on a machine busy with other work wall-clock swings, this much less. */
      undo_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
      undo_under_10s: undoMs < 10_000,
      /** The database holds exactly the seeded incidents again, no link points at a deleted one, an update is reverted. */
      undo_exact: left === BASE && danglingDuplicates === 0 && restoredTitle.startsWith("Synthetic incident"),
      undo_reads_during: during.reads.n,
      undo_read_max_ms: during.reads.maxMs,
      undo_read_errors: during.reads.errors,
      undo_read_first_error: during.reads.firstError,
      undo_health_during: during.health.n,
      undo_health_max_ms: during.health.maxMs,
      undo_writes_during: during.writes.n,
      undo_write_max_ms: during.writes.maxMs,
      undo_write_errors: during.writes.errors,
      undo_read_max_ms_before: idle.reads.maxMs,
      undo_load_avg_1m: +os.loadavg()[0].toFixed(1),
    };
  } finally {
    if (reader && reader.exitCode === null) reader.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
