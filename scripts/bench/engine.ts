/**
 * Engine section: synthetic incidents in a temp SQLite database (real migrations),
 * timing a full read of the incidents, evaluate over 12 quarters, the in-memory store
 * catching up after 1 and 1,000 edits, and the whole `cli metrics --json` process; then
 * the same load + evaluate at 1,000,000 incidents.
 *
 * Targets: evaluate ≤ load; load + evaluate (100k) < 1 s in-process; cli metrics < 2 s.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase, type Db } from "@/db/client";
import { getCurrentPolicy, getSettings, getTargets } from "@/db/queries/config";
import { dropEngineIncidentSnapshot } from "@/db/queries/incident-store";
import { loadEngineIncidents } from "@/db/queries/metric-input";
import { evaluate } from "@/lib/metric/evaluate";
import type { EvaluationInput } from "@/lib/metric/types";

const FROM = Date.parse("2022-01-01T00:00:00Z");
const SPAN = Date.parse("2025-01-01T00:00:00Z") - FROM; // 12 calendar quarters
const AS_OF = "2024-12-31T00:00:00Z";
const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV3", "SEV4", "P2", "minor", "Major"];
const TRIGGERS = ["change", "change", "change", "other", "unknown"];
const SERVICES = ["api", "web", "db", "auth", "search", "billing", "messaging"];
const FEATURES = ["login", "messaging", "files", "calls"];
const DEPLOY_SYSTEMS = ["argo", "spinnaker", "terraform", "flags", null];
const REMEDIATIONS = ["automatic_rollback", "manual_rollback", "manual_fix", null];

/** Deterministic PRNG (mulberry32) so every run measures the same data. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inserts `n` synthetic incidents with curation rows in one transaction. */
export function seedSynthetic(db: Db, n: number, seed = 42): void {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const sqlite = db.$client;
  const insInc = sqlite.prepare(
    `INSERT INTO incidents (id, source, source_id, title, severity, started_at, resolved_at, source_services, source_hash, created_at, updated_at)
     VALUES (?, 'bench', ?, ?, ?, ?, ?, '[]', ?, ?, ?)`,
  );
  const insCur = sqlite.prepare(
    `INSERT INTO incident_curation (incident_id, trigger, change_type, deploy_system, services, affected_features, customer_impact_pct,
       impact_start, impact_end, detected_at, mitigated_at, remediation, fleet_exposure_pct, analysis_status, override, duplicate_of_id, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  sqlite.transaction(() => {
    for (let id = 1; id <= n; id++) {
      const start = FROM + Math.floor(rnd() * SPAN);
      const minutes = Math.floor(rnd() < 0.2 ? rnd() * 10 : rnd() * 600);
      const ongoing = rnd() < 0.002;
      const resolved = ongoing ? null : start + minutes * 60_000;
      const postHoc = rnd() < 0.3;
      const impactStart = postHoc ? start + Math.floor(rnd() * 10) * 60_000 : null;
      const impactEnd = postHoc && resolved != null ? resolved : null;
      const services = JSON.stringify(rnd() < 0.7 ? [pick(SERVICES)] : [pick(SERVICES), pick(SERVICES)]);
      const features = JSON.stringify(rnd() < 0.5 ? [] : [pick(FEATURES)]);
      insInc.run(id, `B-${id}`, `Synthetic incident ${id}`, pick(SEVERITIES), start, resolved, `h${id}`, now, now);
      insCur.run(
        id,
        pick(TRIGGERS),
        pick(["deploy", "config", "flag", "infra", null]),
        pick(DEPLOY_SYSTEMS),
        services,
        features,
        rnd() < 0.5 ? Math.round(rnd() * 3000) / 100 : null,
        impactStart,
        impactEnd,
        start + 60_000,
        resolved == null ? null : start + Math.floor(minutes * rnd()) * 60_000,
        pick(REMEDIATIONS),
        rnd() < 0.7 ? Math.round(rnd() * 5000) / 100 : null,
        rnd() < 0.1 ? "pending" : "final",
        rnd() < 0.01 ? pick(["include", "exclude"]) : null,
        id > 10 && rnd() < 0.01 ? id - 1 : null,
        now,
      );
    }
  })();
}

function best(times: number[]): number {
  return Math.round(Math.min(...times) * 10) / 10;
}

function measure(db: Db, runs: number) {
  const loads: number[] = [];
  const evals: number[] = [];
  let quarters = 0;
  let incidents = 0;
  for (let r = 0; r < runs; r++) {
    // A full read each time: the in-memory store would otherwise serve runs 2+ from memory.
    dropEngineIncidentSnapshot(db);
    let t = performance.now();
    const list = loadEngineIncidents(db);
    loads.push(performance.now() - t);
    const input: EvaluationInput = {
      settings: getSettings(db),
      policy: getCurrentPolicy(db).policy,
      targets: getTargets(db),
      asOf: Date.parse(AS_OF),
      range: { from: "FY2022-Q1", to: "FY2024-Q4" },
      incidents: list,
    };
    t = performance.now();
    const result = evaluate(input);
    evals.push(performance.now() - t);
    quarters = result.quarters.length;
    incidents = list.length;
  }
  return { load: best(loads), evaluate: best(evals), firstLoad: Math.round(loads[0]), firstEvaluate: Math.round(evals[0]), quarters, incidents };
}

/**
 * The in-memory store after a write: one curation edit, then 1,000 (a bulk edit), each
 * followed by the load that brings the kept incidents up to date from the change log.
 */
function measureSync(db: Db) {
  loadEngineIncidents(db);
  const one: number[] = [];
  const edit = db.$client.prepare("UPDATE incident_curation SET customer_impact_pct = ? WHERE incident_id = ?");
  for (let r = 0; r < 5; r++) {
    edit.run(r, 1 + r);
    const t = performance.now();
    loadEngineIncidents(db);
    one.push(performance.now() - t);
  }
  const bulk: number[] = [];
  for (let r = 0; r < 3; r++) {
    db.$client.transaction(() => {
      for (let id = 1000 * r + 1; id <= 1000 * (r + 1); id++) edit.run(50, id);
    })();
    const t = performance.now();
    loadEngineIncidents(db);
    bulk.push(performance.now() - t);
  }
  return { engine_load_after_one_edit_100k_ms: best(one), engine_load_after_1000_edits_100k_ms: best(bulk) };
}

function freshDb(dir: string, name: string): { db: Db; file: string } {
  const file = path.join(dir, name);
  return { db: openMigratedDatabase(`file:${file}`), file };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-engine-"));
  try {
    const out: Record<string, unknown> = {};
    const small = freshDb(dir, "100k.sqlite");
    let t = performance.now();
    seedSynthetic(small.db, 100_000);
    out.engine_seed_100k_ms = Math.round(performance.now() - t);
    const m = measure(small.db, 3);
    Object.assign(out, {
      engine_incidents_100k: m.incidents,
      engine_quarters: m.quarters,
      engine_load_100k_ms: m.load,
      engine_evaluate_100k_ms: m.evaluate,
      engine_load_plus_evaluate_100k_ms: Math.round((m.load + m.evaluate) * 10) / 10,
      engine_first_load_100k_ms: m.firstLoad,
      engine_first_evaluate_100k_ms: m.firstEvaluate,
      engine_evaluate_le_load: m.evaluate <= m.load,
    });
    Object.assign(out, measureSync(small.db));
    small.db.$client.close();

    const cliTimes: number[] = [];
    let cliOk = true;
    for (let r = 0; r < 3; r++) {
      t = performance.now();
      const res = spawnSync(
        process.execPath,
        [path.join(process.cwd(), "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/cli.ts", "metrics", "--json", "--as-of", AS_OF],
        { env: { ...process.env, DATABASE_URL: `file:${small.file}` }, maxBuffer: 512 * 1024 * 1024, encoding: "utf8" },
      );
      cliTimes.push(performance.now() - t);
      cliOk &&= res.status === 0 && JSON.parse(res.stdout).quarters.length === 12;
    }
    out.engine_cli_metrics_100k_ms = best(cliTimes);
    out.engine_cli_metrics_100k_ok = cliOk;
    out.engine_peak_rss_100k_mb = Math.round(process.resourceUsage().maxRSS / 1024);

    const big = freshDb(dir, "1m.sqlite");
    t = performance.now();
    seedSynthetic(big.db, 1_000_000, 7);
    out.engine_seed_1m_ms = Math.round(performance.now() - t);
    const b = measure(big.db, 1);
    big.db.$client.close();
    Object.assign(out, {
      engine_incidents_1m: b.incidents,
      engine_load_1m_ms: b.load,
      engine_evaluate_1m_ms: b.evaluate,
      engine_load_plus_evaluate_1m_ms: Math.round((b.load + b.evaluate) * 10) / 10,
      engine_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
