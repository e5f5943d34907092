/**
 * DORA section: the change figures (lib/metric/dora.ts) over 100,000 incidents and
 * 1,000,000 deploys (2% rollbacks, 5,000 cause links, 2,000 remediation links) across
 * 12 quarters and 40 services, in memory: the whole-range figures, then per service.
 *
 * Then the same over a database (real migrations): 100,000 synthetic incidents and
 * 1,000,000 deploy events, timing `computeDora` from a cold read of the deploys (the
 * incidents come from the in-memory store, warm, as on a running server) and warm runs
 * (the deploy rows kept; best of three).
 *
 * Target (issue #19): the figures compute in under 1 s.
 */
import { aggregateDora, classifyDeploys, type DoraDeploy, type DoraInput, type DoraLink } from "@/lib/metric/dora";
import { HOUR_MS } from "@/lib/metric/intervals";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type EngineIncident } from "@/lib/metric/types";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase, type Db } from "@/db/client";
import { loadEngineIncidents } from "@/db/queries/metric-input";
import { computeDora } from "@/server/dora";
import { prng, seedSynthetic } from "./engine";

const FROM = Date.parse("2022-01-01T00:00:00Z");
const SPAN = Date.parse("2025-01-01T00:00:00Z") - FROM; // 12 calendar quarters
const AS_OF = Date.parse("2024-12-31T00:00:00Z");

export function syntheticDoraInput(incidentCount: number, deployCount: number, seed = 7): DoraInput {
  const rnd = prng(seed);
  const services = Array.from({ length: 40 }, (_, i) => `svc-${i}`);
  const systems = ["argo", "spinnaker", "flags", "terraform"];
  // Deploys in time order, as the database hands them out.
  const deploys: DoraDeploy[] = new Array(deployCount);
  for (let k = 0; k < deployCount; k++) {
    deploys[k] = {
      id: `d${k}`,
      service: services[Math.floor(rnd() * services.length)],
      finishedAt: FROM + Math.floor((k / deployCount) * SPAN),
      isRollback: rnd() < 0.02,
      system: systems[Math.floor(rnd() * systems.length)],
    };
  }
  const incidents: EngineIncident[] = new Array(incidentCount);
  for (let k = 0; k < incidentCount; k++) {
    const startedAt = FROM + Math.floor(rnd() * SPAN);
    incidents[k] = {
      id: `I${k}`,
      severity: rnd() < 0.5 ? "SEV2" : "SEV3",
      trigger: rnd() < 0.7 ? "change" : "other",
      startedAt,
      resolvedAt: startedAt + Math.floor(rnd() * 6 * HOUR_MS),
      impactStart: null,
      impactEnd: null,
      customerImpactPct: null,
      affectedFeatures: [],
      services: [services[Math.floor(rnd() * services.length)]],
      override: null,
      analysisStatus: "final",
      mitigatedAt: rnd() < 0.5 ? startedAt + Math.floor(rnd() * 2 * HOUR_MS) : null,
    };
  }
  const link = (n: number): DoraLink[] =>
    Array.from({ length: n }, () => ({ incidentId: `I${Math.floor(rnd() * incidentCount)}`, deployId: `d${Math.floor(rnd() * deployCount)}` }));
  return {
    settings: DEFAULT_SETTINGS,
    policy: DEFAULT_POLICY,
    asOf: AS_OF,
    range: { from: "FY2022-Q1", to: "FY2024-Q4" },
    incidents,
    deploys,
    causes: link(5_000),
    remediations: link(2_000),
  };
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, Math.round(performance.now() - t0)];
}

/** Writes the synthetic deploys and links into `db` (deploy ids 1…n, incident ids 1…m). */
function seedDeploys(db: Db, data: DoraInput): void {
  const sqlite = db.$client;
  const ins = sqlite.prepare("INSERT INTO deploy_events (id, finished_at, service, deploy_system, is_rollback, created_at) VALUES (?, ?, ?, ?, ?, 0)");
  const link = sqlite.prepare("INSERT OR IGNORE INTO incident_deploy_links (incident_id, deploy_id, kind, created_at) VALUES (?, ?, ?, 0)");
  sqlite.transaction(() => {
    data.deploys.forEach((d, k) => ins.run(k + 1, d.finishedAt, d.service, d.system ?? null, d.isRollback ? 1 : 0));
    const num = (id: string) => Number(id.slice(1)) + 1;
    for (const l of data.causes) link.run(num(l.incidentId), num(l.deployId), "cause");
    for (const l of data.remediations) link.run(num(l.incidentId), num(l.deployId), "remediation");
  })();
}

function overDatabase(data: DoraInput): Record<string, number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-dora-"));
  const db = openMigratedDatabase(`file:${path.join(dir, "bench.sqlite")}`);
  try {
    seedSynthetic(db, data.incidents.length);
    seedDeploys(db, data);
    loadEngineIncidents(db); // the store is warm on a running server
    const opts = { asOf: data.asOf, from: data.range.from, to: data.range.to };
    const [cold, coldMs] = timed(() => computeDora(db, opts));
    // Warm: the deploy rows are kept until they change, as on a running server; best of three.
    const warm = [0, 1, 2].map(() => timed(() => computeDora(db, opts))[1]);
    console.error(`bench dora (database): ${cold.quarters.reduce((s, q) => s + q.deployments, 0)} deployments in range`);
    return { dora_db_first_ms: coldMs, dora_db_ms: Math.min(...warm) };
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const input = syntheticDoraInput(100_000, 1_000_000);
  // One warm-up so the figures measure steady-state code, not the JIT's first pass.
  aggregateDora(classifyDeploys(syntheticDoraInput(10_000, 100_000, 3)));
  const [facts, classifyMs] = timed(() => classifyDeploys(input));
  const [quarters, aggregateMs] = timed(() => aggregateDora(facts));
  const [byService, perServiceMs] = timed(() => aggregateDora(facts, (d) => d.service));
  const failed = quarters.reduce((s, q) => s + q.failedDeployments, 0);
  console.error(`bench dora: ${quarters.length} quarters, ${failed} failed deployments, ${byService.size} services`);
  return {
    dora_deploys: input.deploys.length,
    dora_incidents: input.incidents.length,
    dora_classify_ms: classifyMs,
    dora_aggregate_ms: aggregateMs,
    dora_per_service_ms: perServiceMs,
    dora_total_ms: classifyMs + aggregateMs,
    ...overDatabase(input),
  };
}
