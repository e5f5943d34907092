import { expect, test } from "vitest";
import { incidentsToCsv, incidentsToJson, type IncidentExportRow, type StoredIncidentExport } from "@/lib/export/incidents";

function stored(over: Partial<StoredIncidentExport> = {}): StoredIncidentExport {
  return {
    id: 1, source: "import", sourceId: "INC-1", title: "Checkout errors", description: null, severity: "SEV2", status: "resolved",
    startedAt: "2024-02-01T10:00:00.000Z", resolvedAt: "2024-02-01T11:00:00.000Z", url: null, sourceServices: [],
    trigger: "change", changeType: "code_deploy", deploySystem: "argo", services: ["checkout", "payments"], affectedFeatures: [],
    customerImpactPct: 12.5, impactStart: null, impactEnd: null, detectedAt: null, mitigatedAt: null, remediation: null,
    fleetExposurePct: null, analysisStatus: "final", override: null, overrideReason: null, duplicateOfId: null, linkedDeployId: null,
    reviewedAt: null, reviewedBy: null, projects: [], customFields: {}, isDemo: false, importBatchId: null,
    createdAt: "2024-02-02T00:00:00.000Z", updatedAt: "2024-02-02T00:00:00.000Z", ...over,
  };
}

test("incidents CSV neutralises a formula title and keeps dates ISO", () => {
  const row: IncidentExportRow = {
    ...stored({ title: "=HYPERLINK(\"http://evil\",\"x\")", services: ["a", "b"] }),
    counted: true, reason: "high_severity", effectiveStart: "2024-02-01T10:00:00.000Z", effectiveEnd: "2024-02-01T11:00:00.000Z",
    durationHours: 1, quarter: "FY2024-Q1", contributionHours: 1, causeDeployIds: [7, 9], remediationDeployIds: [],
  };
  const [header, line] = incidentsToCsv([row]).trim().split("\n");
  const cols = header.split(",");
  expect(cols).toContain("contributionHours");
  expect(cols).toContain("reason");
  expect(line).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
  expect(line).toContain("2024-02-01T10:00:00.000Z");
  expect(line).toContain(",a;b,");
  expect(line).toContain("High severity");
  expect(line.endsWith(",7;9,")).toBe(true);
});

test("incidents JSON keeps types and adds the reason text", () => {
  const row: IncidentExportRow = {
    ...stored(), counted: false, reason: "untriaged", effectiveStart: "2024-02-01T10:00:00.000Z", effectiveEnd: "2024-02-01T11:00:00.000Z",
    durationHours: 1, quarter: null, contributionHours: null, causeDeployIds: [], remediationDeployIds: [],
  };
  const parsed = JSON.parse(incidentsToJson([row], { asOf: "2024-03-01T00:00:00.000Z", quarter: null, filters: { trigger: "unknown" } }));
  expect(parsed.count).toBe(1);
  expect(parsed.incidents[0]).toMatchObject({ id: 1, services: ["checkout", "payments"], customerImpactPct: 12.5, reasonText: "Not yet triaged" });
  expect(parsed.filters).toEqual({ trigger: "unknown" });
});

test("incidents CSV columns: identity, source fields, curated fields, bookkeeping, then the verdict (the order the export has always had)", () => {
  const row: IncidentExportRow = {
    ...stored(), counted: false, reason: "untriaged", effectiveStart: "2024-02-01T10:00:00.000Z", effectiveEnd: "2024-02-01T11:00:00.000Z",
    durationHours: 1, quarter: null, contributionHours: null, causeDeployIds: [], remediationDeployIds: [],
  };
  const header = incidentsToCsv([row]).split("\n")[0].trim();
  expect(header.split(",")).toEqual([
    "id", "source", "sourceId", "title", "description", "severity", "status", "startedAt", "resolvedAt", "url", "sourceServices",
    "trigger", "changeType", "deploySystem", "services", "affectedFeatures", "customerImpactPct", "impactStart", "impactEnd",
    "detectedAt", "mitigatedAt", "remediation", "fleetExposurePct", "analysisStatus", "override", "overrideReason", "duplicateOfId",
    "linkedDeployId", "reviewedAt", "reviewedBy", "projects", "customFields", "isDemo", "importBatchId", "createdAt", "updatedAt",
    "counted", "reason", "reasonText", "effectiveStart", "effectiveEnd", "durationHours", "quarter", "contributionHours",
    "causeDeployIds", "remediationDeployIds",
  ]);
});

test("incidents CSV marks exactly the instant fields as instants (spreadsheet mode names their zone and writes local time)", () => {
  const t = "2024-02-01T10:00:00.000Z";
  const row: IncidentExportRow = {
    ...stored({ impactStart: t, impactEnd: t, detectedAt: t, mitigatedAt: t, reviewedAt: t }), counted: false, reason: "untriaged",
    effectiveStart: t, effectiveEnd: t, durationHours: 1, quarter: null, contributionHours: null, causeDeployIds: [], remediationDeployIds: [],
  };
  const [header, line] = incidentsToCsv([row], { spreadsheet: { timezone: "UTC" } }).replace(/^\uFEFF/, "").split("\r\n");
  const zoned = header.split(",").filter((h) => h.endsWith(" (UTC)")).map((h) => h.slice(0, -" (UTC)".length));
  expect(zoned).toEqual(["startedAt", "resolvedAt", "impactStart", "impactEnd", "detectedAt", "mitigatedAt", "reviewedAt", "createdAt", "updatedAt", "effectiveStart", "effectiveEnd"]);
  expect(line).toContain("2024-02-01 10:00:00");
  expect(line).not.toContain(t);
});
