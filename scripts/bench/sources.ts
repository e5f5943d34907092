/**
 * Bench section "sources": a sync of 10,000 incidents from the fake PagerDuty
 * (tests/support/fake-vendors/pagerduty.ts, on 127.0.0.1) in pages of 100 into a fresh
 * database, then a second sync of the same window (everything unchanged). Reports each
 * sync's seconds, pages and counts, and the heap's growth over the first (pages are written
 * as they arrive, so memory stays bounded by a page, not the sync). Target: first sync < 30 s.
 * BENCH_SOURCES_INCIDENTS changes the size.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase } from "@/db/client";
import { saveSource } from "@/server/sources/manage";
import { syncSource } from "@/server/sources/sync";
import { pagerdutyIncident, startFakePagerDuty } from "../../tests/support/fake-vendors/pagerduty";

const N = Number(process.env.BENCH_SOURCES_INCIDENTS) || 10_000;

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-sources-"));
  const url = `file:${path.join(dir, "bench.sqlite")}`;
  const db = openMigratedDatabase(url);
  const now = Date.now();
  const pd = await startFakePagerDuty();
  try {
    // Spread over the last 80 days (inside the first sync's 90-day window).
    for (let i = 1; i <= N; i++) pd.incidents.push(pagerdutyIncident(i, now - 80 * 86_400_000 + Math.floor((i * 80 * 86_400_000) / (N + 1))));
    saveSource(db, { name: "bench-pd", kind: "pagerduty", baseUrl: pd.url, credential: pd.token }, { label: "bench" }, { databaseUrl: url });
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peakHeap = heap0;
    const t0 = performance.now();
    const first = await syncSource(db, "bench-pd", {
      pageSize: 100,
      databaseUrl: url,
      onPage: (p) => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        if (p.page % 20 === 0) console.error(`sources: page ${p.page}`);
      },
    });
    const firstS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const second = await syncSource(db, "bench-pd", { pageSize: 100, databaseUrl: url });
    const secondS = (performance.now() - t1) / 1000;
    if (first.status !== "succeeded" || first.created !== N) throw new Error(`first sync: ${JSON.stringify(first)}`);
    return {
      sources_incidents: N,
      sources_page_size: 100,
      sources_first_sync_s: Number(firstS.toFixed(2)),
      sources_first_sync_pages: first.pages,
      sources_first_sync_created: first.created,
      sources_first_sync_target_s: 30,
      sources_second_sync_s: Number(secondS.toFixed(2)),
      sources_second_sync_unchanged: second.unchanged,
      sources_heap_growth_mb: Number(((peakHeap - heap0) / 1048576).toFixed(1)),
      sources_requests: pd.requests.length,
    };
  } finally {
    await pd.close();
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
