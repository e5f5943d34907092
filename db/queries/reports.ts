import "server-only";
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentCuration, incidents, projects, reportNarratives } from "@/db/schema";
import { ValidationError } from "@/lib/api/errors";
import type { ReportIncidentMeta } from "@/lib/export/report-model";
import { quarterIdSchema } from "@/lib/validation/metric";
import { recordAudit } from "./audit";
import type { ActorInput } from "./config";

/** The most a narrative may hold (a few pages of text). */
export const NARRATIVE_MAX_CHARS = 20_000;

export function getNarrative(db: Db, quarter: string): { narrative: string; updatedAt: number; updatedBy: string | null } | null {
  return db.select().from(reportNarratives).where(eq(reportNarratives.quarter, quarter)).get() ?? null;
}

/** Saves (or with blank text clears) a quarter's narrative; audits `report.narrative`. */
export function saveNarrative(db: Db, quarter: string, text: string, opts: { actor: ActorInput; now?: number }): void {
  const q = quarterIdSchema.safeParse(quarter).data;
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

/** Every project, in delivery order then by name (the report's project table). */
export function listProjectsByDelivery(db: Db): (typeof projects.$inferSelect)[] {
  return db.select().from(projects).orderBy(asc(projects.deliveredOn), asc(projects.name)).all();
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

/** One published version of a quarter's report, as the reports list shows it. */
export interface PublishedVersion {
  version: number;
  closureId: number;
  publishedAt: number;
  hours: number;
  inForce: boolean;
}

/** Published closures per quarter, numbered 1.. in publishing order. */
export function publishedVersionsByQuarter(db: Db): Map<string, PublishedVersion[]> {
  const rows = db.all<{ id: number; quarter: string; closedAt: number; hours: number; reopenedAt: number | null }>(sql`
    SELECT id, quarter, closed_at AS closedAt, hours, reopened_at AS reopenedAt FROM quarter_closures WHERE published = 1 ORDER BY id`);
  const out = new Map<string, PublishedVersion[]>();
  for (const r of rows) {
    const list = out.get(r.quarter) ?? [];
    list.push({ version: list.length + 1, closureId: r.id, publishedAt: r.closedAt, hours: r.hours, inForce: r.reopenedAt == null });
    out.set(r.quarter, list);
  }
  return out;
}

