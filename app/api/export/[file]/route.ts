import { z } from "zod";
import { getDb } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { computeMetrics } from "@/server/metrics";
import { exportIncidents } from "@/server/report-exports";
import { issuesFromZod, NotFoundError, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/server/auth/api";
import { incidentsToCsv, incidentsToJson } from "@/lib/export/incidents";
import { quartersToCsv, quartersToJson, toQuarterExportRows } from "@/lib/export/quarters";
import { computeDora } from "@/server/dora";
import { FILTER_KEYS, incidentListQuerySchema, searchParamsObject } from "@/lib/validation/incident-list";
import { quarterRangeQueryShape } from "@/lib/validation/metric";

export const dynamic = "force-dynamic";

const FILE = /^(quarters|incidents)\.(csv|json)$/;
const asOfSchema = z.iso.datetime({ offset: true, message: "must be an ISO-8601 instant, e.g. 2024-12-31T00:00:00Z" }).optional();

/** `excel=1`: CSV for spreadsheets (BOM, CRLF, local times); see CsvOptions. */
const excelSchema = z.literal("1", { message: 'must be 1 (spreadsheet-friendly CSV) or left out' }).optional();
const quartersQuerySchema = z.strictObject({ ...quarterRangeQueryShape, asOf: asOfSchema, excel: excelSchema });
const INCIDENT_KEYS = new Set<string>([...FILTER_KEYS, "sort", "dir", "page", "pageSize", "asOf", "excel"]);

function download(body: string, name: string, format: "csv" | "json"): Response {
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * GET /api/export/quarters.csv|json?from=&to=&asOf=  — the figures of GET /api/metrics/quarters.
 * GET /api/export/incidents.csv|json?<the incident list's filters>&quarter=&asOf=  — every field,
 * the counting reason and (with quarter=) the contribution to that quarter.
 * Parse params → query → pure formatter → attachment. Bad query → 422 naming each field.
 */
export const GET = withRole("viewer", async (req: Request, ctx: { params: Promise<{ file: string }> }) => {
  const { file } = await ctx.params;
  const m = FILE.exec(file);
  if (!m) throw new NotFoundError(`No export named "${file}"; try quarters.csv, quarters.json, incidents.csv or incidents.json`);
  const [, what, format] = m as unknown as [string, "quarters" | "incidents", "csv" | "json"];
  const sp = new URL(req.url).searchParams;
  const db = getDb();

  if (what === "quarters") {
    const parsed = quartersQuerySchema.safeParse(Object.fromEntries(sp));
    if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));
    const asOf = parsed.data.asOf ? Date.parse(parsed.data.asOf) : Date.now();
    const metrics = computeMetrics(db, { asOf, from: parsed.data.from, to: parsed.data.to });
    const range = { from: metrics.quarters[0]?.quarter, to: metrics.quarters.at(-1)?.quarter };
    const rows = toQuarterExportRows(metrics.quarters, computeDora(db, { asOf, ...range }).quarters);
    const csv = parsed.data.excel ? { spreadsheet: { timezone: getSettings(db).timezone } } : {};
    const body = format === "csv" ? quartersToCsv(rows, csv) : quartersToJson(rows, { asOf: new Date(asOf).toISOString() });
    return download(body, `deploy-safety-quarters-${stamp(asOf)}.${format}`, format);
  }

  const raw = searchParamsObject(sp);
  const unknown = Object.keys(raw).filter((k) => !INCIDENT_KEYS.has(k));
  const parsed = incidentListQuerySchema.safeParse(raw);
  const asOfParsed = asOfSchema.safeParse(raw.asOf);
  const excelParsed = excelSchema.safeParse(raw.excel);
  const issues = [
    ...unknown.map((k) => ({ field: k, message: `unknown filter; use one of ${FILTER_KEYS.join(", ")}` })),
    ...(parsed.success ? [] : issuesFromZod(parsed.error)),
    ...(asOfParsed.success ? [] : issuesFromZod(asOfParsed.error).map((i) => ({ ...i, field: "asOf" }))),
    ...(excelParsed.success ? [] : issuesFromZod(excelParsed.error).map((i) => ({ ...i, field: "excel" }))),
  ];
  if (issues.length || !parsed.success) throw new ValidationError("Invalid query", issues);
  const asOf = asOfParsed.data ? Date.parse(asOfParsed.data) : Date.now();
  const rows = exportIncidents(db, parsed.data, { asOf });
  const filters = Object.fromEntries(FILTER_KEYS.filter((k) => parsed.data[k] !== undefined).map((k) => [k, parsed.data[k]]));
  const body =
    format === "csv" ? incidentsToCsv(rows, excelParsed.data ? { spreadsheet: { timezone: getSettings(db).timezone } } : {}) : incidentsToJson(rows, { asOf: new Date(asOf).toISOString(), quarter: parsed.data.quarter ?? null, filters });
  const name = `deploy-safety-incidents${parsed.data.quarter ? `-${parsed.data.quarter}` : ""}-${stamp(asOf)}.${format}`;
  return download(body, name, format);
});
