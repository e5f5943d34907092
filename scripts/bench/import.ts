/**
 * Bench section "import": a 100,000-row canonical CSV through the whole importer
 * (read, decode, CSV parse, zod, upsert batch) against plain better-sqlite3
 * prepared INSERTs of the same rows (incidents + curation, the same column
 * values, checked afterwards) in one transaction.
 * Targets: import < 10 s, rate >= 0.5 x the plain inserts, peak RSS < 500 MB.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
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

/** Same incidents and curation rows, column for column, in both databases. */
function sameRows(a: Database.Database, b: Database.Database): boolean {
  for (const table of ["incidents", "incident_curation"]) {
    const q = `SELECT * FROM ${table} ORDER BY rowid`;
    const ia = a.prepare(q).raw().iterate() as IterableIterator<unknown[]>;
    const ib = b.prepare(q).raw().iterate() as IterableIterator<unknown[]>;
    for (;;) {
      const ra = ia.next();
      const rb = ib.next();
      if (ra.done || rb.done) {
        if (ra.done !== rb.done) return false;
        break;
      }
      if (JSON.stringify(ra.value) !== JSON.stringify(rb.value)) return false;
    }
  }
  return true;
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
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
    const now = Date.now();
    const importOpts = { fileName: "bench.csv", actor: { label: "bench" }, now };
    const db = tempDb(dir, "import.sqlite");
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const parsed = await parseImport(fs.readFileSync(file), { maxBytes: 200 * 1024 * 1024 });
    const t1 = performance.now();
    const summary = importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, ...importOpts });
    const t2 = performance.now();
    const importCpuMs = cpuMs(process.cpuUsage(c0));
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    // Re-import: every row unchanged.
    const t3 = performance.now();
    const again = importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, ...importOpts });
    const t4 = performance.now();

    // 2. Plain better-sqlite3: the same rows and the same column values (hash, JSON,
    //    batch id, defaults written out) into the same schema and indexes, with
    //    prepared INSERTs in one transaction. Every value is computed before the
    //    clock starts, so this times the inserts alone.
    const base = tempDb(dir, "plain.sqlite");
    const sqlite = base.$client;
    const batchId = sqlite
      .prepare("INSERT INTO import_batches (kind, source, format, file_name, created_at, created_by) VALUES ('incidents', ?, ?, ?, ?, ?)")
      .run(parsed.source, parsed.format, importOpts.fileName, now, importOpts.actor.label).lastInsertRowid;
    const insI = sqlite.prepare(
      `INSERT INTO incidents (source, source_id, title, description, severity, status, started_at, resolved_at, url, source_services, custom_fields, source_hash, import_batch_id, is_demo, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insC = sqlite.prepare(
      `INSERT INTO incident_curation (incident_id, "trigger", change_type, deploy_system, services, affected_features, customer_impact_pct, impact_start, impact_end, detected_at, mitigated_at, remediation, fleet_exposure_pct, analysis_status, override, override_reason, version, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    const values = parsed.rows.map(({ incident: i }) => {
      const c = i.curated;
      return {
        incident: [
          i.source, i.sourceId, i.title, i.description, i.severity, i.status, i.startedAt, i.resolvedAt, i.url,
          JSON.stringify(i.sourceServices), JSON.stringify(i.customFields), sourceHash(i), batchId, 0, now, now,
        ],
        curation: [
          0 as number | bigint, // incident_id, set once the incident row exists
          c.trigger ?? "unknown", c.changeType ?? null, c.deploySystem ?? null, JSON.stringify(c.services ?? i.sourceServices),
          JSON.stringify(c.affectedFeatures ?? []), c.customerImpactPct ?? null, c.impactStart ?? null, c.impactEnd ?? null,
          c.detectedAt ?? null, c.mitigatedAt ?? null, c.remediation ?? null, c.fleetExposurePct ?? null, c.analysisStatus ?? "pending",
          c.override ?? null, c.overrideReason ?? null, now, importOpts.actor.label,
        ],
      };
    });
    const pc0 = process.cpuUsage();
    const p0 = performance.now();
    sqlite.transaction(() => {
      for (const v of values) {
        v.curation[0] = insI.run(v.incident).lastInsertRowid;
        insC.run(v.curation);
      }
    })();
    const p1 = performance.now();
    const plainCpuMs = cpuMs(process.cpuUsage(pc0));
    // Fair means identical: the two databases must now hold the same incidents and curation.
    const samePlainRows = sameRows(db.$client, sqlite);
    sqlite.close();
    db.$client.close();

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
      /** The baseline wrote exactly the rows the importer wrote (incidents and curation). */
      import_plain_same_rows: samePlainRows,
      import_rows_per_s: Math.round(ROWS / (importMs / 1000)),
      import_plain_rows_per_s: Math.round(ROWS / (plainMs / 1000)),
      /** Import rate / plain-insert rate, end to end (>= 0.5 is the target). */
      import_rate_ratio: +(plainMs / importMs).toFixed(2),
      /** The same for the database write alone (parse and validation excluded). */
      import_write_rate_ratio: +(plainMs / writeMs).toFixed(2),
      /**
       * The same ratio in CPU time (user + system, this process): on a machine busy
       * with other work, wall-clock figures swing run to run; CPU time much less.
       */
      import_cpu_ms: Math.round(importCpuMs),
      import_plain_insert_cpu_ms: Math.round(plainCpuMs),
      import_rate_ratio_cpu: +(plainCpuMs / importCpuMs).toFixed(2),
      import_load_avg_1m: +os.loadavg()[0].toFixed(1),
      import_peak_rss_mb: Math.round(peakRssMb),
      import_under_10s: importMs < 10_000,
      import_under_500mb: peakRssMb < 500,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
