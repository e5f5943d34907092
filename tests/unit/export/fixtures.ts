import { analyze } from "@/lib/metric/analyze";
import { DEFAULT_POLICY, type EngineIncident } from "@/lib/metric/types";
import { buildReportModel, type ReportIncidentMeta, type ReportModel } from "@/lib/export/report-model";

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);

export function incident(id: string, startIso: string, hours: number, extra: Partial<EngineIncident> = {}): EngineIncident {
  const start = t(startIso);
  return {
    id,
    severity: "SEV1",
    trigger: "change",
    startedAt: start,
    resolvedAt: start + hours * H,
    impactStart: null,
    impactEnd: null,
    customerImpactPct: null,
    affectedFeatures: [],
    services: ["api"],
    override: null,
    analysisStatus: "final",
    ...extra,
  };
}

/** Three quarters of 2024 (UTC calendar): Q1 5 h, Q2 12 h (peak), Q3 3 h + an untriaged 2 h. */
export function sampleAnalysis() {
  return analyze({
    settings: { fiscalYearStartMonth: 1, timezone: "UTC", fiscalYearLabel: "end", maturityDays: 30 },
    policy: DEFAULT_POLICY,
    targets: { "FY2024-Q2": 10, "FY2024-Q3": 8 },
    asOf: t("2025-01-15T00:00:00Z"),
    range: { from: "FY2024-Q1", to: "FY2024-Q3" },
    incidents: [
      incident("1", "2024-02-01T00:00:00Z", 5),
      incident("2", "2024-05-01T00:00:00Z", 8, { services: ["api", "db"], deploySystem: "argo", changeType: "code_deploy" }),
      incident("3", "2024-05-10T00:00:00Z", 4),
      incident("4", "2024-08-01T00:00:00Z", 2, { services: ["web"], deploySystem: "spinnaker" }),
      incident("5", "2024-08-02T00:00:00Z", 1, { services: ["web"] }),
      incident("6", "2024-08-03T00:00:00Z", 2, { trigger: "unknown" }),
    ],
  });
}

export const META = new Map<string, ReportIncidentMeta>(
  ["1", "2", "3", "4", "5", "6"].map((id) => [
    id,
    { sourceId: `INC-${id}`, title: `Incident ${id}`, url: null, severity: "SEV1", services: ["api"], reviewedAt: id === "5" ? null : 1 },
  ]),
);

export function sampleModel(quarter = "FY2024-Q3", narrative: string | null = null): ReportModel {
  return buildReportModel({
    quarter,
    analysis: sampleAnalysis(),
    incidents: META,
    projects: [{ slug: "rollbacks", name: "Automatic rollbacks", status: "delivered", phase: "Effect measurable", deliveredOn: "2024-03-01", detail: null }],
    narrative,
    policy: { versionId: 3, note: "Default", createdAt: t("2024-01-01T00:00:00Z") },
    timezone: "UTC",
  });
}
