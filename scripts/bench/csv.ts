/**
 * Bench section "csv": the CSV writer behind every export (lib/export/csv.ts). Writes
 * 50,000 incidents through the incident export's 44 columns, plain and in spreadsheet
 * mode (BOM, CRLF, local times), with cells that need quoting and neutralising.
 */
import { incidentsToCsv } from "@/lib/export/incidents";
import type { IncidentExportRow } from "@/lib/export/incidents";

const ROWS = Number(process.env.BENCH_CSV_ROWS) || 50_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown, runs = 3): { ms: number; bytes: number } {
  const out: number[] = [];
  let bytes = 0;
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    const s = fn() as string;
    out.push(performance.now() - t);
    bytes = s.length;
  }
  return { ms: Math.round(median(out) * 10) / 10, bytes };
}

/** The curated fields an untouched incident leaves empty. */
const EMPTY = Object.fromEntries(
  ["url", "impactStart", "impactEnd", "detectedAt", "mitigatedAt", "remediation", "fleetExposurePct", "override", "overrideReason", "duplicateOfId", "linkedDeployId", "reviewedAt", "reviewedBy"].map((k) => [k, null]),
);

export async function run(): Promise<Record<string, unknown>> {
  const t0 = Date.parse("2023-01-01T00:00:00Z");
  const rows: IncidentExportRow[] = [];
  for (let i = 0; i < ROWS; i++) {
    const start = new Date(t0 + i * 300_000).toISOString();
    const end = new Date(t0 + i * 300_000 + 3_600_000).toISOString();
    rows.push({
      ...EMPTY,
      id: i + 1,
      source: "statuspage",
      sourceId: `INC-${i}`,
      title: i % 10 === 0 ? `=HYPERLINK("x") run ${i}` : `Elevated "5xx" on checkout, eu-west ${i}`,
      description: "Customers saw errors;\nmitigated by rollback. ".repeat(3),
      severity: "SEV2",
      status: "resolved",
      startedAt: start,
      resolvedAt: end,
      sourceServices: ["checkout", "payments"],
      trigger: "change",
      changeType: "deploy",
      deploySystem: "argo",
      services: ["checkout"],
      affectedFeatures: [],
      customerImpactPct: 12.5,
      analysisStatus: "final",
      projects: [],
      customFields: { team: `team-${i % 12}` },
      isDemo: false,
      importBatchId: 1,
      createdAt: start,
      updatedAt: end,
      counted: true,
      reason: "high_severity",
      effectiveStart: start,
      effectiveEnd: end,
      durationHours: 1,
      quarter: "FY2023-Q1",
      contributionHours: 1,
    } as unknown as IncidentExportRow);
  }
  const plain = time(() => incidentsToCsv(rows));
  const spreadsheet = time(() => incidentsToCsv(rows, { spreadsheet: { timezone: "Europe/Berlin" } }));
  return {
    csv: {
      rows: ROWS,
      plainMs: plain.ms,
      plainMB: Math.round((plain.bytes / 1e6) * 10) / 10,
      spreadsheetMs: spreadsheet.ms,
      spreadsheetMB: Math.round((spreadsheet.bytes / 1e6) * 10) / 10,
    },
  };
}
