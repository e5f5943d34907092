import { analyze } from "@/lib/metric/analyze";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type EngineIncident, type Policy } from "@/lib/metric/types";

export const H = 3_600_000;
export const t = (iso: string) => Date.parse(iso);

/** A change-triggered SEV2 incident from `start` lasting `hours`; override any field. */
export function inc(id: string, start: string, hours: number, extra: Partial<EngineIncident> = {}): EngineIncident {
  const s = t(start);
  return {
    id,
    severity: "SEV2",
    trigger: "change",
    startedAt: s,
    resolvedAt: s + hours * H,
    impactStart: null,
    impactEnd: null,
    customerImpactPct: null,
    affectedFeatures: [],
    services: ["api"],
    override: null,
    analysisStatus: "final",
    deploySystem: "spinnaker",
    changeType: "code_deploy",
    ...extra,
  };
}

/** analyze() over UTC calendar quarters FY2024-Q1 … FY2024-Q4 at `asOf`. */
export function run(incidents: EngineIncident[], opts: { asOf?: string; targets?: Record<string, number>; policy?: Policy } = {}) {
  return analyze({
    settings: { ...DEFAULT_SETTINGS, maturityDays: 30 },
    policy: opts.policy ?? DEFAULT_POLICY,
    targets: opts.targets ?? {},
    asOf: t(opts.asOf ?? "2024-11-15T00:00:00Z"),
    range: { from: "FY2024-Q1", to: "FY2024-Q4" },
    incidents,
  });
}
