/**
 * The quarterly report as plain JSON: what the page, the PDF and the text summary
 * render, and what publishing stores (quarter_closures.report), so a published report
 * is re-rendered from exactly the numbers it was published with. Pure.
 */
import type { Analysis, Breakdown, Completeness, NorthStar } from "@/lib/metric/analysis-types";
import type { QuarterChanges } from "./quarters";
import type { QuarterStatus } from "@/lib/metric/types";

export const REPORT_MODEL_VERSION = 1;
/** Quarters shown in the report's chart, ending with the report's own quarter. */
export const REPORT_CHART_QUARTERS = 8;
export const REPORT_TOP_INCIDENTS = 10;

export interface ReportSeriesPoint {
  quarter: string;
  hours: number;
  upperBoundHours: number;
  target: number | null;
  status: QuarterStatus;
}

export interface ReportIncident {
  /** incidents.id as a string (the engine id). */
  id: string;
  sourceId: string;
  title: string;
  url: string | null;
  severity: string;
  services: string[];
  reason: string;
  /** Hours added to the report's quarter, and that as a share of its figure (0–1). */
  hours: number;
  share: number | null;
  reviewed: boolean;
}

export interface ReportProject {
  slug: string;
  name: string;
  status: string;
  /** Where the project stands against its lag window ("In lag window", "Effect measurable"…), when known. */
  phase: string | null;
  deliveredOn: string | null;
  detail: string | null;
}

/** The quarter's change figures (DORA), as published with the report. */
export interface ReportChanges extends QuarterChanges {
  /** Counted incidents of the quarter, and how many have a confirmed causing deploy. */
  causeCoverage: { counted: number; withCause: number; share: number | null };
  /** Services with the highest change fail rate in the quarter (at most 5, with deployments). */
  worstServices: { service: string; deployments: number; failedDeployments: number; changeFailRate: number | null }[];
}

export interface ReportModel {
  modelVersion: number;
  quarter: string;
  /** ISO instants; end exclusive. */
  start: string;
  end: string;
  timezone: string;
  /** The instant the figures were computed at. */
  asOf: string;
  figure: {
    hours: number;
    upperBoundHours: number;
    target: number | null;
    status: QuarterStatus;
    countedIncidents: number;
    provisionalMessages: string[];
  };
  previous: { quarter: string; hours: number; target: number | null } | null;
  /** The highest quarter up to and including this one. */
  peak: { quarter: string; hours: number } | null;
  series: ReportSeriesPoint[];
  topIncidents: ReportIncident[];
  breakdowns: { service: Breakdown; deploySystem: Breakdown; changeType: Breakdown };
  northStar: NorthStar;
  completeness: Completeness & {
    /** Counted incidents whose tags nobody has reviewed yet. */
    unreviewedCounted: number;
    unreviewed: { id: string; sourceId: string; title: string }[];
  };
  projects: ReportProject[];
  narrative: string | null;
  policy: { versionId: number; note: string | null; createdAt: string | null; overlap: "sum" | "union" };
  /** Change figures; absent in reports published before they existed. */
  changes?: ReportChanges | null;
}

export interface ReportIncidentMeta {
  sourceId: string;
  title: string;
  url: string | null;
  severity: string;
  services: string[];
  reviewedAt: number | null;
}

export interface ReportModelInput {
  quarter: string;
  /** An analysis whose range ends at `quarter` (earlier quarters feed previous, peak and the chart). */
  analysis: Analysis;
  /** Metadata for (at least) the incidents counted in `quarter`, keyed by engine id. */
  incidents: ReadonlyMap<string, ReportIncidentMeta>;
  projects: ReportProject[];
  narrative: string | null;
  policy: { versionId: number; note: string | null; createdAt: number | null };
  timezone: string;
  changes?: ReportChanges | null;
}

/** Builds the report for `input.quarter`. Throws when the analysis does not cover it. */
export function buildReportModel(input: ReportModelInput): ReportModel {
  const { analysis, quarter } = input;
  const idx = analysis.quarters.findIndex((q) => q.quarter === quarter);
  if (idx < 0) throw new Error(`the analysis does not cover ${quarter}`);
  const q = analysis.quarters[idx];
  const prev = idx > 0 ? analysis.quarters[idx - 1] : null;
  let peak: { quarter: string; hours: number } | null = null;
  for (const x of analysis.quarters.slice(0, idx + 1)) {
    if (!peak || x.hours > peak.hours) peak = { quarter: x.quarter, hours: x.hours };
  }

  const contributions: { id: string; hours: number; reason: string }[] = [];
  for (const inc of analysis.incidents) {
    const share = inc.contributions.find((c) => c.quarter === quarter);
    if (share) contributions.push({ id: inc.id, hours: share.hours, reason: inc.reason });
  }
  contributions.sort((a, b) => b.hours - a.hours || Number(a.id) - Number(b.id));
  const meta = (id: string): ReportIncidentMeta =>
    input.incidents.get(id) ?? { sourceId: id, title: "(incident not found)", url: null, severity: "", services: [], reviewedAt: null };

  const topIncidents: ReportIncident[] = contributions.slice(0, REPORT_TOP_INCIDENTS).map((c) => {
    const m = meta(c.id);
    return {
      id: c.id,
      sourceId: m.sourceId,
      title: m.title,
      url: m.url,
      severity: m.severity,
      services: m.services,
      reason: c.reason,
      hours: c.hours,
      share: q.hours > 0 ? c.hours / q.hours : null,
      reviewed: m.reviewedAt != null,
    };
  });
  const unreviewed = contributions.filter((c) => meta(c.id).reviewedAt == null).map((c) => ({ id: c.id, sourceId: meta(c.id).sourceId, title: meta(c.id).title }));

  return {
    modelVersion: REPORT_MODEL_VERSION,
    quarter,
    start: q.start,
    end: q.end,
    timezone: input.timezone,
    asOf: analysis.asOf,
    figure: {
      hours: q.hours,
      upperBoundHours: q.upperBoundHours,
      target: q.target,
      status: q.status,
      countedIncidents: q.countedIncidentIds.length,
      provisionalMessages: q.status === "provisional" ? q.provisional.messages : [],
    },
    previous: prev ? { quarter: prev.quarter, hours: prev.hours, target: prev.target } : null,
    peak,
    series: analysis.quarters.slice(Math.max(0, idx + 1 - REPORT_CHART_QUARTERS), idx + 1).map((x) => ({
      quarter: x.quarter,
      hours: x.hours,
      upperBoundHours: x.upperBoundHours,
      target: x.target,
      status: x.status,
    })),
    topIncidents,
    breakdowns: { service: q.breakdowns.service, deploySystem: q.breakdowns.deploySystem, changeType: q.breakdowns.changeType },
    northStar: q.northStar,
    completeness: { ...q.completeness, unreviewedCounted: unreviewed.length, unreviewed: unreviewed.slice(0, 50) },
    projects: input.projects,
    narrative: input.narrative?.trim() ? input.narrative : null,
    policy: {
      versionId: input.policy.versionId,
      note: input.policy.note,
      createdAt: input.policy.createdAt ? new Date(input.policy.createdAt).toISOString() : null,
      overlap: analysis.overlap,
    },
    changes: input.changes ?? null,
  };
}

/** How the figure stands against the target: "met" (≤ target), "missed", or null without a target. */
export function targetOutcome(model: Pick<ReportModel, "figure">): "met" | "missed" | null {
  const { hours, target } = model.figure;
  if (target == null) return null;
  return hours <= target ? "met" : "missed";
}

/** The figure against the target in words: "Met", "Missed by 2.0 h", "Within target so far"… */
export function targetText(model: Pick<ReportModel, "figure">, fmt: (h: number) => string): string {
  const { hours, target, status } = model.figure;
  if (target == null) return "No target set";
  const within = hours <= target;
  if (status === "in_progress" || status === "future") return within ? "Within target so far" : `Already over by ${fmt(hours - target)}`;
  return within ? "Met" : `Missed by ${fmt(hours - target)}`;
}
