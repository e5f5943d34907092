import "server-only";
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentCuration, incidents, projects, reportNarratives } from "@/db/schema";
import { ValidationError } from "@/lib/api/errors";
import { buildReportModel, type ReportIncidentMeta, type ReportModel, type ReportProject } from "@/lib/export/report-model";
import { quarterById, quarterForInstant, quarterOrdinal } from "@/lib/metric/calendar";
import type { Settings } from "@/lib/metric/types";
import { lagWindow, lagWindowDates, quarterPhase } from "@/lib/projects";
import { quarterIdSchema } from "@/lib/validation/metric";
import { recordAudit } from "./audit";
import { getCurrentPolicy, getSettings, type ActorInput } from "./config";
import { earliestIncidentStart } from "./metric-input";
import { computeAnalysis, computeMetrics } from "./metrics";

/** The most a narrative may hold (a few pages of text). */
export const NARRATIVE_MAX_CHARS = 20_000;

/** A quarter id from a URL or form, or null when malformed or outside the calendar's years. */
export function parseQuarterParam(value: string): string | null {
  const r = quarterIdSchema.safeParse(value);
  return r.success ? r.data : null;
}

export function getNarrative(db: Db, quarter: string): { narrative: string; updatedAt: number; updatedBy: string | null } | null {
  return db.select().from(reportNarratives).where(eq(reportNarratives.quarter, quarter)).get() ?? null;
}

/** Saves (or with blank text clears) a quarter's narrative; audits `report.narrative`. */
export function saveNarrative(db: Db, quarter: string, text: string, opts: { actor: ActorInput; now?: number }): void {
  const q = parseQuarterParam(quarter);
  if (!q) throw new ValidationError("quarter is invalid", [{ field: "quarter", message: "must be a quarter id like FY2026-Q3" }]);
  if (text.length > NARRATIVE_MAX_CHARS) {
    throw new ValidationError("narrative is too long", [{ field: "narrative", message: `must be at most ${NARRATIVE_MAX_CHARS} characters` }]);
  }
  const now = opts.now ?? Date.now();
  const actor = typeof opts.actor === "string" ? { id: null, label: opts.actor } : { id: opts.actor.id ?? null, label: opts.actor.label };
  const value = text.replace(/\r\n/g, "\n").trim();
  db.transaction((tx) => {
    const before = tx.select().from(reportNarratives).where(eq(reportNarratives.quarter, q)).get();
    if ((before?.narrative ?? "") === value) return;
    if (value === "") tx.delete(reportNarratives).where(eq(reportNarratives.quarter, q)).run();
    else
      tx.insert(reportNarratives)
        .values({ quarter: q, narrative: value, updatedAt: now, updatedBy: actor.label })
        .onConflictDoUpdate({ target: reportNarratives.quarter, set: { narrative: value, updatedAt: now, updatedBy: actor.label } })
        .run();
    recordAudit(tx, {
      actor,
      action: "report.narrative",
      entityType: "quarter",
      entityId: q,
      before: before ? { narrative: before.narrative } : null,
      after: value ? { narrative: value } : null,
      at: now,
    });
  });
}

const PHASE_TEXT = { before: "Not yet delivered in this quarter", lag: "In its lag window", after: "Lag passed: effect measurable" } as const;

/** Every project with its status and, for a delivered one, its phase relative to `quarter`. */
export function reportProjects(db: Db, quarter: string, settings: Settings): ReportProject[] {
  const q = quarterById(quarter, settings);
  const rows = db.select().from(projects).orderBy(asc(projects.deliveredOn), asc(projects.name)).all();
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

/** Titles, links, services and review state of these incidents (engine ids). */
export function reportIncidentMeta(db: Db, ids: string[]): Map<string, ReportIncidentMeta> {
  const out = new Map<string, ReportIncidentMeta>();
  const nums = ids.map(Number).filter(Number.isInteger);
  for (let k = 0; k < nums.length; k += 500) {
    const rows = db
      .select({
        id: incidents.id,
        sourceId: incidents.sourceId,
        title: incidents.title,
        url: incidents.url,
        severity: incidents.severity,
        services: incidentCuration.services,
        reviewedAt: incidentCuration.reviewedAt,
      })
      .from(incidents)
      .leftJoin(incidentCuration, eq(incidentCuration.incidentId, incidents.id))
      .where(inArray(incidents.id, nums.slice(k, k + 500)))
      .all();
    for (const r of rows) out.set(String(r.id), { ...r, services: r.services ?? [], reviewedAt: r.reviewedAt ?? null });
  }
  return out;
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
  });
}

export interface ReportListRow {
  quarter: string;
  start: string;
  end: string;
  hours: number;
  upperBoundHours: number;
  target: number | null;
  status: string;
  countedIncidents: number;
  /** Published versions, newest last: { version, closureId, publishedAt, hours }. */
  published: { version: number; closureId: number; publishedAt: number; hours: number; inForce: boolean }[];
}

/** Published closures per quarter, numbered 1.. in publishing order. */
export function publishedVersionsByQuarter(db: Db): Map<string, ReportListRow["published"]> {
  const rows = db.all<{ id: number; quarter: string; closedAt: number; hours: number; reopenedAt: number | null }>(sql`
    SELECT id, quarter, closed_at AS closedAt, hours, reopened_at AS reopenedAt FROM quarter_closures WHERE published = 1 ORDER BY id`);
  const out = new Map<string, ReportListRow["published"]>();
  for (const r of rows) {
    const list = out.get(r.quarter) ?? [];
    list.push({ version: list.length + 1, closureId: r.id, publishedAt: r.closedAt, hours: r.hours, inForce: r.reopenedAt == null });
    out.set(r.quarter, list);
  }
  return out;
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
  return rows
    .map((q) => ({
      quarter: q.quarter,
      start: q.start,
      end: q.end,
      hours: q.hours,
      upperBoundHours: q.upperBoundHours,
      target: q.target,
      status: q.status,
      countedIncidents: q.countedIncidentIds.length,
      published: published.get(q.quarter) ?? [],
    }))
    .reverse();
}
