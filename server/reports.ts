import "server-only";
import type { Db } from "@/db/client";
import { getCurrentPolicy, getSettings } from "@/db/queries/config";
import { earliestIncidentStart } from "@/db/queries/metric-input";
import { getNarrative, listProjectsByDelivery, publishedVersionsByQuarter, reportIncidentMeta, type PublishedVersion } from "@/db/queries/reports";
import { toQuarterExportRows, type QuarterExportRow } from "@/lib/export/quarters";
import { reportChanges } from "./dora";
import { buildReportModel, type ReportModel, type ReportProject } from "@/lib/export/report-model";
import { quarterById, quarterForInstant, quarterOrdinal } from "@/lib/metric/calendar";
import type { Settings } from "@/lib/metric/types";
import { lagWindow, lagWindowDates, quarterPhase } from "@/lib/projects";
import { quarterIdSchema } from "@/lib/validation/metric";
import { computeAnalysis, computeMetrics } from "./metrics";

/** A quarter id from a URL or form, or null when malformed or outside the calendar's years. */
export function parseQuarterParam(value: string): string | null {
  const r = quarterIdSchema.safeParse(value);
  return r.success ? r.data : null;
}

const PHASE_TEXT = { before: "Not yet delivered in this quarter", lag: "In its lag window", after: "Lag passed: effect measurable" } as const;

/** Every project with its status and, for a delivered one, its phase relative to `quarter`. */
export function reportProjects(db: Db, quarter: string, settings: Settings): ReportProject[] {
  const q = quarterById(quarter, settings);
  const rows = listProjectsByDelivery(db);
  return rows.map((p) => {
    let phase: string | null = null;
    let detail: string | null = null;
    if (p.deliveredOn) {
      try {
        const w = lagWindow({ deliveredOn: p.deliveredOn, lagMinMonths: p.lagMinMonths, lagMaxMonths: p.lagMaxMonths }, settings.timezone);
        phase = PHASE_TEXT[quarterPhase(q, w)];
        const dates = lagWindowDates(w, settings.timezone);
        detail = `Effect expected ${dates.from} to ${dates.to}`;
      } catch {
        phase = null;
      }
    } else if (p.status === "planned" || p.status === "in_progress") {
      phase = p.status === "planned" ? "Planned" : "In progress";
    }
    return { slug: p.slug, name: p.name, status: p.status, phase, deliveredOn: p.deliveredOn, detail };
  });
}

/**
 * The live report for `quarter` at `asOf`: the figures over the stored data with the
 * current policy, settings and targets, the previous quarters for the chart, and the
 * saved narrative. 422 for a malformed quarter.
 */
export function buildLiveReport(db: Db, quarter: string, opts: { asOf: number }): ReportModel {
  const analysis = computeAnalysis(db, { asOf: opts.asOf, to: quarter });
  const q = analysis.quarters.find((x) => x.quarter === quarter);
  const ids = q ? analysis.incidents.filter((i) => i.contributions.some((c) => c.quarter === quarter)).map((i) => i.id) : [];
  const settings = getSettings(db);
  const policy = getCurrentPolicy(db);
  return buildReportModel({
    quarter,
    analysis,
    incidents: reportIncidentMeta(db, ids),
    projects: reportProjects(db, quarter, settings),
    narrative: getNarrative(db, quarter)?.narrative ?? null,
    policy: { versionId: policy.id, note: policy.note, createdAt: policy.createdAt || null },
    timezone: settings.timezone,
    changes: reportChanges(db, quarter, opts.asOf),
  });
}

/** A quarter's figures as the export has them, with its published versions. */
export interface ReportListRow extends QuarterExportRow {
  /** Published versions, newest last. */
  published: PublishedVersion[];
}

/** Every quarter from the first incident's to the one holding `asOf`, newest first, with its publications. */
export function listReportQuarters(db: Db, options: { asOf?: number } = {}): ReportListRow[] {
  const opts = { asOf: options.asOf ?? Date.now() };
  const published = publishedVersionsByQuarter(db);
  const settings = getSettings(db);
  const current = quarterForInstant(opts.asOf, settings).id;
  // A quarter published before every incident was removed still lists.
  const earliest = earliestIncidentStart(db);
  let from = quarterForInstant(earliest ?? opts.asOf, settings).id;
  for (const q of published.keys()) if (quarterOrdinal(q) < quarterOrdinal(from)) from = q;
  if (quarterOrdinal(from) > quarterOrdinal(current)) from = current;
  const rows = computeMetrics(db, { asOf: opts.asOf, from, to: current }).quarters;
  return toQuarterExportRows(rows)
    .map((q) => ({ ...q, published: published.get(q.quarter) ?? [] }))
    .reverse();
}
