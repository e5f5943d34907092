import { headers } from "next/headers";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { countPublishedVersions } from "@/db/queries/report-publish";
import { parseQuarterParam } from "@/server/reports";
import { PATH_HEADER } from "@/lib/auth/next-path";
import { requirePageRole } from "@/server/auth/guards";
import { quarterById } from "@/lib/metric/calendar";
import { reportPageQuery } from "@/lib/validation/report-query";

/**
 * Role and the report's existence are decided here, above the page's loading.tsx: once that
 * skeleton has streamed, the status is already 200 and a notFound() in the page can only draw
 * the 404 page. Same rules as resolveReport: a malformed id, a quarter that has not started,
 * a malformed query or a `?version=` never published has no report. Layouts are not given
 * search params, so the query is read from the path the proxy forwards (it overwrites any
 * client-sent value); without it the page still refuses, only after the skeleton.
 */
export default async function QuarterReportLayout({ children, params }: { children: ReactNode; params: Promise<{ quarter: string }> }) {
  await requirePageRole("viewer");
  const quarter = parseQuarterParam((await params).quarter);
  const db = getDb();
  if (!quarter || quarterById(quarter, getSettings(db)).start > Date.now()) notFound();
  const forwarded = (await headers()).get(PATH_HEADER);
  if (forwarded) {
    const query = reportPageQuery(new URL(forwarded, "http://path.invalid").searchParams);
    if (!query.success) notFound();
    const { version } = query.data;
    if (version !== undefined && version > countPublishedVersions(db, quarter)) notFound();
  }
  return children;
}
