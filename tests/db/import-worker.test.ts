import fs from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { openMigratedDatabase, type Db } from "@/db/client";
import { importInWorker } from "@/server/workers/import-client";
import { runImportJob, type ImportJob } from "@/server/workers/import-job";
import { sharedWorkerTestDb } from "../support/db";

// The worker thread opens DATABASE_URL itself: this file's own database, set before the first import.
const t = sharedWorkerTestDb();
let db: Db;
beforeAll(() => {
  db = t.db;
});

const HEAD = "id,title,severity,started_at,resolved_at,trigger,services,analysis_status";
const csv = (rows: string[]) => new TextEncoder().encode([HEAD, ...rows].join("\n") + "\n");
const job = (bytes: Uint8Array, over: Partial<ImportJob> = {}): ImportJob => ({
  bytes,
  format: "canonical",
  source: "worker-test",
  mapping: null,
  maxBytes: 50 * 1024 * 1024,
  fileName: "w.csv",
  actor: { id: "u1", label: "editor@example.com" },
  skipInvalid: false,
  dryRun: false,
  overwriteCurated: false,
  preview: false,
  ...over,
});
const count = (source: string) => (db.$client.prepare("SELECT count(*) AS n FROM incidents WHERE source = ?").get(source) as { n: number }).n;
const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => `W-${from + k},Worker ${from + k},SEV2,2024-03-01T0${k % 10}:00:00Z,2024-03-01T0${k % 10}:30:00Z,change,api,final`);

describe("imports on the worker thread", () => {
  test("writes with its own connection and answers the batch summary, as the route did in-process", async () => {
    const answer = await importInWorker(job(csv(rows(1, 50))));
    expect(answer.status).toBe(200);
    expect(answer.wrote).toBe(true);
    const summary = JSON.parse(answer.body);
    expect(summary).toMatchObject({ source: "worker-test", format: "canonical", fileName: "w.csv", total: 50, created: 50, updated: 0, rejected: 0, dryRun: false });
    expect(typeof summary.batchId).toBe("number");
    expect(count("worker-test")).toBe(50);
    const batch = db.$client.prepare("SELECT created_by AS a FROM import_batches WHERE id = ?").get(summary.batchId) as { a: string } | undefined;
    expect(batch?.a).toBe("editor@example.com");

    // The same file again on the main thread: unchanged rows, the same answer shape.
    const again = await importInWorker(job(csv(rows(1, 50))));
    const inProcess = await runImportJob(db, job(csv(rows(1, 50))));
    expect({ ...JSON.parse(again.body), batchId: 0 }).toEqual({ ...JSON.parse(inProcess.body), batchId: 0 });
    expect(JSON.parse(again.body)).toMatchObject({ created: 0, unchanged: 50 });
    expect(again.wrote).toBe(false);
  });

  test("a refused file answers 422 with every row error and writes nothing; one transaction, all or nothing", async () => {
    const bad = [...rows(100, 20), "W-BAD1,Bad,SEV2,2024-03-01T00:00:00Z,,oth,api,final", "W-BAD2,Bad,SEV2,not a date,,change,api,final"];
    const answer = await importInWorker(job(csv(bad)));
    expect(answer.status).toBe(422);
    expect(answer.wrote).toBe(false);
    const body = JSON.parse(answer.body);
    expect(body.error).toBe("import_refused");
    expect(new Set(body.errors.map((e: { row: number }) => e.row))).toEqual(new Set([22, 23]));
    expect(body.summary).toMatchObject({ batchId: null, created: 0, rejected: 2, refused: true });
    expect(db.$client.prepare("SELECT count(*) AS n FROM incidents WHERE source_id IN ('W-100', 'W-BAD1')").get()).toEqual({ n: 0 });
    // The same answer as in-process.
    expect(JSON.parse((await runImportJob(db, job(csv(bad)))).body)).toEqual(body);
  });

  test("dry run and preview count without writing; a bad time zone is a clear 422", async () => {
    const before = count("worker-test");
    const dry = await importInWorker(job(csv(rows(200, 10)), { dryRun: true }));
    expect(dry.status).toBe(200);
    expect(JSON.parse(dry.body)).toMatchObject({ created: 10, dryRun: true, batchId: null });
    const preview = await importInWorker(job(csv(rows(200, 10)), { preview: true }));
    expect(preview.status).toBe(200);
    const p = JSON.parse(preview.body);
    expect(p.summary).toMatchObject({ created: 10, dryRun: true });
    expect(p.preview).toBeTruthy();
    expect(count("worker-test")).toBe(before);
    const tz = await importInWorker(job(csv(rows(300, 1)), { timezone: "Mars/Base" }));
    expect(tz.status).toBe(422);
    expect(JSON.parse(tz.body).message).toContain('Unknown time zone "Mars/Base"');
  });

  test("a second connection sees the worker's import once it answers (the dashboard's fingerprint moves)", async () => {
    const other = openMigratedDatabase(`file:${t.file}`);
    try {
      const n = (other.$client.prepare("SELECT coalesce(max(id), 0) AS m FROM incidents").get() as { m: number }).m;
      await importInWorker(job(csv(rows(400, 5))));
      expect((other.$client.prepare("SELECT coalesce(max(id), 0) AS m FROM incidents").get() as { m: number }).m).toBe(n + 5);
    } finally {
      other.$client.close();
    }
    expect(fs.existsSync(t.file)).toBe(true);
  });
});
