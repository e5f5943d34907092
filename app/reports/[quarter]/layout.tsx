import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { parseQuarterParam } from "@/db/queries/reports";
import { requirePageRole } from "@/lib/auth/server";
import { quarterById } from "@/lib/metric/calendar";

/**
 * Role and the quarter's existence are decided here, above the page's loading.tsx: once that
 * skeleton has streamed, the status is already 200 and a notFound() in the page can only draw
 * the 404 page. Same rule as resolveReport: a malformed id or a quarter that has not started
 * has no report. A `?version=` that was never published is still the page's to refuse
 * (layouts are not given search params), so that one arrives as 200 + noindex.
 */
export default async function QuarterReportLayout({ children, params }: { children: ReactNode; params: Promise<{ quarter: string }> }) {
  await requirePageRole("viewer");
  const quarter = parseQuarterParam((await params).quarter);
  if (!quarter || quarterById(quarter, getSettings(getDb())).start > Date.now()) notFound();
  return children;
}
