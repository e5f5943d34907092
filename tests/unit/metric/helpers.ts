import { DEFAULT_POLICY, DEFAULT_SETTINGS, type EngineIncident, type EvaluationInput } from "@/lib/metric";

export const T = (iso: string) => Date.parse(iso);
export const H = 3_600_000;

let n = 0;
/** A counted-by-default incident (SEV1, change, final) over [start, start + hours). */
export function inc(start: string, hours: number | null, extra: Partial<EngineIncident> = {}): EngineIncident {
  const s = T(start);
  return {
    id: extra.id ?? `I${++n}`,
    severity: "SEV1",
    trigger: "change",
    startedAt: s,
    resolvedAt: hours == null ? null : s + hours * H,
    impactStart: null,
    impactEnd: null,
    customerImpactPct: null,
    affectedFeatures: [],
    services: [],
    override: null,
    analysisStatus: "final",
    ...extra,
  };
}

export function input(incidents: EngineIncident[], over: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    settings: DEFAULT_SETTINGS,
    policy: DEFAULT_POLICY,
    targets: {},
    asOf: T("2025-06-01T00:00:00Z"),
    range: { from: "FY2024-Q1", to: "FY2024-Q4" },
    incidents,
    ...over,
  };
}
