import "server-only";
import type { Db } from "@/db/client";
import { appLink, reportPath } from "@/lib/delivery/app-url";
import { renderReportPdf } from "@/lib/export/report-pdf";
import { resolveReport } from "@/server/report-view";
import { resolveAppUrl } from "./app-url";

/** The report's PDF as the download gives it, with links under the app's public URL. */
export async function renderReportAttachment(db: Db, quarter: string, version: number | null): Promise<{ filename: string; content: Buffer }> {
  const r = resolveReport(db, quarter, { version: version ?? undefined, live: version === null });
  const published = r.published ? { version: r.published.version, publishedAt: new Date(r.published.publishedAt).toISOString(), publishedBy: r.published.publishedBy } : null;
  const appUrl = resolveAppUrl(db);
  const content = await renderReportPdf(r.model, { published, restatement: r.restatement, baseUrl: appUrl, reportUrl: appLink(appUrl, reportPath(quarter, r.published?.version)) });
  return { filename: `deploy-safety-${quarter}${r.published ? `-v${r.published.version}` : "-live"}.pdf`, content };
}
