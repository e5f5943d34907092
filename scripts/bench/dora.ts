/**
 * DORA section: the change figures (lib/metric/dora.ts) over 100,000 incidents and
 * 1,000,000 deploys (2% rollbacks, 5,000 cause links, 2,000 remediation links) across
 * 12 quarters and 40 services, in memory: the whole-range figures, then per service.
 *
 * Target (issue #19): the figures compute in under 1 s.
 */
import { aggregateDora, classifyDeploys, type DoraDeploy, type DoraInput, type DoraLink } from "@/lib/metric/dora";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type EngineIncident } from "@/lib/metric/types";
import { prng } from "./engine";

const FROM = Date.parse("2022-01-01T00:00:00Z");
const SPAN = Date.parse("2025-01-01T00:00:00Z") - FROM; // 12 calendar quarters
const AS_OF = Date.parse("2024-12-31T00:00:00Z");
const HOUR = 3_600_000;

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
      resolvedAt: startedAt + Math.floor(rnd() * 6 * HOUR),
      impactStart: null,
      impactEnd: null,
      customerImpactPct: null,
      affectedFeatures: [],
      services: [services[Math.floor(rnd() * services.length)]],
      override: null,
      analysisStatus: "final",
      mitigatedAt: rnd() < 0.5 ? startedAt + Math.floor(rnd() * 2 * HOUR) : null,
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
  };
}
