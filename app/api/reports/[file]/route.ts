import { z } from "zod";
import { getDb } from "@/db/client";
import { resolveReport } from "@/server/report-view";
import { parseQuarterParam } from "@/server/reports";
import { issuesFromZod, NotFoundError, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/server/auth/api";
import { renderReportPdf } from "@/lib/export/report-pdf";
import { buildQuarterSummary } from "@/lib/export/summary";
import { reportQueryFields } from "@/lib/validation/report-query";
import { appLink, reportPath } from "@/lib/delivery/app-url";
import { resolveAppUrl } from "@/server/delivery/app-url";

export const dynamic = "force-dynamic";
// The PDF renderer (pdfkit, yoga) needs Node, not the edge runtime.
export const runtime = "nodejs";

const FILE = /^(.+)\.(pdf|txt|json)$/;
const querySchema = z.strictObject(reportQueryFields);

/**
 * GET /api/reports/FY2026-Q3.pdf | .txt | .json  [?version=N | ?view=live]
 * The quarter's report as the page shows it (the latest published version, else live):
 * a PDF, the short text summary, or the report model as JSON. 404 for an unknown
 * quarter or version; 422 for a malformed one.
 */
export const GET = withRole("viewer", async (req: Request, ctx: { params: Promise<{ file: string }> }) => {
  const { file } = await ctx.params;
  const m = FILE.exec(file);
  if (!m) throw new NotFoundError(`No report file "${file}"; use FYyyyy-Qn.pdf, .txt or .json`);
  const quarter = parseQuarterParam(m[1]);
  if (!quarter) throw new ValidationError(`"${m[1]}" is not a quarter`, [{ field: "quarter", message: "must be a quarter id like FY2026-Q3" }]);
  const format = m[2] as "pdf" | "txt" | "json";
  const url = new URL(req.url);
  const parsed = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new ValidationError("Invalid query", issuesFromZod(parsed.error));

  const r = resolveReport(getDb(), quarter, { asOf: Date.now(), version: parsed.data.version, live: parsed.data.view === "live" });
  const published = r.published
    ? { version: r.published.version, publishedAt: new Date(r.published.publishedAt).toISOString(), publishedBy: r.published.publishedBy }
    : null;
  const base = `deploy-safety-${quarter}${r.published ? `-v${r.published.version}` : "-live"}`;
  const headers = (type: string, name: string) => ({
    "Content-Type": type,
    "Content-Disposition": `attachment; filename="${name}"`,
    "Cache-Control": "no-store",
  });

  // Links under the app's public URL (APP_URL or the admin setting), never the request's host; none when unset.
  const appUrl = resolveAppUrl(getDb());
  const reportUrl = appLink(appUrl, reportPath(quarter, r.published?.version));
  if (format === "pdf") {
    const pdf = await renderReportPdf(r.model, { published, restatement: r.restatement, baseUrl: appUrl, reportUrl });
    return new Response(new Uint8Array(pdf), { headers: headers("application/pdf", `${base}.pdf`) });
  }
  if (format === "txt") {
    const text = buildQuarterSummary(r.model, { url: reportUrl, published });
    return new Response(text, { headers: { ...headers("text/plain; charset=utf-8", `${base}.txt`), "Content-Disposition": `inline; filename="${base}.txt"` } });
  }
  return Response.json(
    { mode: r.mode, published, restatement: r.restatement, report: r.model },
    { headers: headers("application/json; charset=utf-8", `${base}.json`) },
  );
});
