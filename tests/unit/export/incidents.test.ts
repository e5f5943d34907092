import { describe, expect, test } from "vitest";
import { incidentExportQuerySchema, incidentMatcher, incidentsToCsv, searchParamsToObject, type IncidentExportRow, type StoredIncidentExport } from "@/lib/export/incidents";

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

const parse = (qs: string) => incidentExportQuerySchema.parse(searchParamsToObject(new URLSearchParams(qs)));

describe("query schema", () => {
  test("lists accept commas and repeats", () => {
    expect(parse("severity=SEV1,SEV2&severity=P1").severity).toEqual(["SEV1", "SEV2", "P1"]);
  });
  test("every bad field is reported", () => {
    const r = incidentExportQuerySchema.safeParse(searchParamsToObject(new URLSearchParams("quarter=2024Q1&trigger=maybe&counted=perhaps&bogus=1")));
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path.join(".") || (i as { keys?: string[] }).keys?.join(","));
    expect(fields).toEqual(expect.arrayContaining(["quarter", "trigger.0", "counted"]));
    expect(r.error!.issues.some((i) => i.code === "unrecognized_keys")).toBe(true);
  });
  test("booleans", () => {
    expect(parse("counted=true").counted).toBe(true);
    expect(parse("counted=no").counted).toBe(false);
    expect(parse("").counted).toBeUndefined();
  });
});

describe("incidentMatcher", () => {
  test.each([
    ["", true],
    ["severity=sev2", true],
    ["severity=SEV1", false],
    ["trigger=change", true],
    ["trigger=other,unknown", false],
    ["service=PAYMENTS", true],
    ["service=search", false],
    ["deploySystem=argo", true],
    ["deploySystem=spinnaker", false],
    ["changeType=config", false],
    ["analysisStatus=pending", false],
    ["reviewed=false", true],
    ["reviewed=true", false],
    ["q=checkout", true],
    ["q=inc-1", true],
    ["q=nothing", false],
    ["source=import", true],
  ])("%s → %s", (qs, expected) => {
    expect(incidentMatcher(parse(qs))(stored())).toBe(expected);
  });
});

test("incidents CSV neutralises a formula title and keeps dates ISO", () => {
  const row: IncidentExportRow = {
    ...stored({ title: "=HYPERLINK(\"http://evil\",\"x\")", services: ["a", "b"] }),
    counted: true, reason: "high_severity", effectiveStart: "2024-02-01T10:00:00.000Z", effectiveEnd: "2024-02-01T11:00:00.000Z",
    durationHours: 1, quarter: "FY2024-Q1", contributionHours: 1,
  };
  const [header, line] = incidentsToCsv([row]).trim().split("\n");
  const cols = header.split(",");
  expect(cols).toContain("contributionHours");
  expect(cols).toContain("reason");
  expect(line).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
  expect(line).toContain("2024-02-01T10:00:00.000Z");
  expect(line).toContain(",a;b,");
  expect(line).toContain("High severity");
});
