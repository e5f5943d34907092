/**
 * Bench section "import": a 100,000-row canonical CSV through the whole importer
 * (read, decode, csv-parse, zod, upsert batch) against plain better-sqlite3
 * prepared INSERTs of the same rows (incidents + curation) in one transaction.
 * Targets: import < 10 s, rate >= 0.5 x the plain inserts, peak RSS < 500 MB.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase } from "@/db/client";
import { importIncidents, sourceHash } from "@/db/queries/imports";
import { parseImport } from "@/lib/import/parse";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS) || 100_000;
const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"];
const SERVICES = ["checkout", "payments", "auth", "search", "notifications", "api-gateway"];

function makeCsv(n: number): string {
  const lines = ["id,title,severity,started_at,resolved_at,trigger,change_type,services,customer_impact_pct,description,team"];
  const t0 = Date.parse("2023-01-01T00:00:00Z");
  for (let i = 0; i < n; i++) {
    const start = t0 + i * 300_000;
    const end = start + ((i * 7919) % 7200) * 1000;
    lines.push(
      [
        `INC-${i}`,
        `"Elevated errors on ${SERVICES[i % 6]}, run ${i}"`,
        SEVERITIES[i % 4],
        new Date(start).toISOString(),
        new Date(end).toISOString(),
        i % 3 === 0 ? "change" : "unknown",
        i % 3 === 0 ? "code_deploy" : "",
        `${SERVICES[i % 6]};${SERVICES[(i + 1) % 6]}`,
        String(i % 50),
        "Customers saw 5xx responses; mitigated by rollback.",
        "team-" + (i % 12),
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

function tempDb(dir: string, name: string) {
  return openMigratedDatabase(`file:${path.join(dir, name)}`);
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-import-"));
  try {
    const file = path.join(dir, "incidents.csv");
    fs.writeFileSync(file, makeCsv(ROWS));
    const bytes = fs.statSync(file).size;

    // 1. The importer, end to end, as `cli import` runs it.
    const db = tempDb(dir, "import.sqlite");
    const t0 = performance.now();
    const parsed = await parseImport(fs.readFileSync(file), { maxBytes: 200 * 1024 * 1024 });
    const t1 = performance.now();
    const summary = importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, fileName: "bench.csv", actor: { label: "bench" } });
    const t2 = performance.now();
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    // Re-import: every row unchanged.
    const t3 = performance.now();
    const again = importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, fileName: "bench.csv", actor: { label: "bench" } });
    const t4 = performance.now();
    db.$client.close();

    // 2. Plain better-sqlite3: the same rows, already parsed, straight INSERTs.
    const base = tempDb(dir, "plain.sqlite");
    const sqlite = base.$client;
    const insI = sqlite.prepare(
      `INSERT INTO incidents (source, source_id, title, description, severity, status, started_at, resolved_at, url, source_services, custom_fields, source_hash, import_batch_id, is_demo, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?)`,
    );
    const insC = sqlite.prepare(
      `INSERT INTO incident_curation (incident_id, "trigger", change_type, services, affected_features, customer_impact_pct, analysis_status, version, updated_at)
       VALUES (?, ?, ?, ?, '[]', ?, 'pending', 1, ?)`,
    );
    const rows = parsed.rows.map((r) => r.incident);
    const now = Date.now();
    const p0 = performance.now();
    sqlite.transaction(() => {
      for (const i of rows) {
        const id = insI.run(i.source, i.sourceId, i.title, i.description, i.severity, i.status, i.startedAt, i.resolvedAt, i.url, JSON.stringify(i.sourceServices), JSON.stringify(i.customFields), sourceHash(i), now, now).lastInsertRowid;
        insC.run(id, i.curated.trigger ?? "unknown", i.curated.changeType ?? null, JSON.stringify(i.curated.services ?? i.sourceServices), i.curated.customerImpactPct ?? null, now);
      }
    })();
    const p1 = performance.now();
    sqlite.close();

    const importMs = t2 - t0;
    const plainMs = p1 - p0;
    const writeMs = t2 - t1;
    return {
      import_rows: ROWS,
      import_file_mb: +(bytes / 1024 / 1024).toFixed(1),
      import_created: summary.created,
      import_total_ms: Math.round(importMs),
      import_parse_validate_ms: Math.round(t1 - t0),
      import_write_ms: Math.round(writeMs),
      import_reimport_unchanged: again.unchanged,
      import_reimport_ms: Math.round(t4 - t3),
      import_plain_insert_ms: Math.round(plainMs),
      import_rows_per_s: Math.round(ROWS / (importMs / 1000)),
      import_plain_rows_per_s: Math.round(ROWS / (plainMs / 1000)),
      /** Import rate / plain-insert rate, end to end (>= 0.5 is the target). */
      import_rate_ratio: +(plainMs / importMs).toFixed(2),
      /** The same for the database write alone (parse and validation excluded). */
      import_write_rate_ratio: +(plainMs / writeMs).toFixed(2),
      import_peak_rss_mb: Math.round(peakRssMb),
      import_under_10s: importMs < 10_000,
      import_under_500mb: peakRssMb < 500,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
