/**
 * Case files (shared/spec/cases): ISO strings at the edge, epoch ms inside.
 * Validation (zod) lives in lib/validation/metric.ts; these functions take
 * already-validated data.
 */
import { toIso } from "./evaluate";
import type { EngineIncident, EvaluationInput, EvaluationResult, Policy, Settings, Targets } from "./types";
import { DEFAULT_SETTINGS } from "./types";

/** An incident as a case file (or any JSON edge) writes it: instants as ISO-8601 strings. */
export interface CaseIncident {
  id: string;
  severity: string;
  trigger: EngineIncident["trigger"];
  startedAt: string;
  resolvedAt: string | null;
  impactStart?: string | null;
  impactEnd?: string | null;
  customerImpactPct?: number | null;
  affectedFeatures?: string[];
  services?: string[];
  override?: EngineIncident["override"];
  analysisStatus?: EngineIncident["analysisStatus"];
  deploySystem?: string | null;
  changeType?: string | null;
  remediation?: string | null;
  detectedAt?: string | null;
  mitigatedAt?: string | null;
  fleetExposurePct?: number | null;
  duplicateOf?: string | null;
}

export interface CaseFile {
  name?: string;
  description?: string;
  settings?: Partial<Settings>;
  policy: Policy;
  targets?: Targets;
  asOf: string;
  range: { from: string; to: string };
  incidents: CaseIncident[];
  expected?: unknown;
}

function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`"${iso}" is not an ISO-8601 instant`);
  return t;
}

function msOrNull(iso: string | null | undefined): number | null {
  return iso == null ? null : ms(iso);
}

/** Case-file incident → EngineIncident (ISO → epoch ms; missing optional fields → null/[]). */
export function incidentFromCase(c: CaseIncident): EngineIncident {
  return {
    id: c.id,
    severity: c.severity,
    trigger: c.trigger,
    startedAt: ms(c.startedAt),
    resolvedAt: msOrNull(c.resolvedAt),
    impactStart: msOrNull(c.impactStart),
    impactEnd: msOrNull(c.impactEnd),
    customerImpactPct: c.customerImpactPct ?? null,
    affectedFeatures: c.affectedFeatures ?? [],
    services: c.services ?? [],
    override: c.override ?? null,
    analysisStatus: c.analysisStatus ?? "final",
    deploySystem: c.deploySystem ?? null,
    changeType: c.changeType ?? null,
    remediation: c.remediation ?? null,
    detectedAt: msOrNull(c.detectedAt),
    mitigatedAt: msOrNull(c.mitigatedAt),
    fleetExposurePct: c.fleetExposurePct ?? null,
    duplicateOf: c.duplicateOf ?? null,
  };
}

/** EngineIncident → case-file shape (ISO `...Z`). */
export function incidentToCase(i: EngineIncident): CaseIncident {
  const iso = (v: number | null | undefined) => (v == null ? null : toIso(v));
  return {
    id: i.id,
    severity: i.severity,
    trigger: i.trigger,
    startedAt: toIso(i.startedAt),
    resolvedAt: iso(i.resolvedAt),
    impactStart: iso(i.impactStart),
    impactEnd: iso(i.impactEnd),
    customerImpactPct: i.customerImpactPct,
    affectedFeatures: i.affectedFeatures,
    services: i.services,
    override: i.override,
    analysisStatus: i.analysisStatus,
  };
}

/** A validated case file → EvaluationInput; settings missing from the case take METRIC.md defaults. */
export function inputFromCase(c: CaseFile): EvaluationInput {
  return {
    settings: { ...DEFAULT_SETTINGS, ...(c.settings ?? {}) },
    policy: c.policy,
    targets: c.targets ?? {},
    asOf: ms(c.asOf),
    range: c.range,
    incidents: c.incidents.map(incidentFromCase),
  };
}

/**
 * The result as `cli evaluate` prints it: `{ quarters, incidents }` with quarter
 * start/end already ISO `...Z` (EvaluationResult is JSON-ready as is).
 */
export function caseOutput(result: EvaluationResult): EvaluationResult {
  return { quarters: result.quarters, incidents: result.incidents };
}
