import "server-only";
import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { quarterClosures } from "@/db/schema";
import type { ReportModel } from "@/lib/export/report-model";
import type { DbOrTx } from "./audit";
import type { ClosureRow } from "./closures";

export interface PublishedReport {
  quarter: string;
  /** 1, 2, … in publishing order for the quarter. */
  version: number;
  closureId: number;
  publishedAt: number;
  publishedBy: string | null;
  /** False once the quarter was reopened or published again. */
  inForce: boolean;
  model: ReportModel;
}

export function toPublished(row: ClosureRow, version: number): PublishedReport {
  return {
    quarter: row.quarter,
    version,
    closureId: row.id,
    publishedAt: row.closedAt,
    publishedBy: row.closedBy,
    inForce: row.reopenedAt == null,
    model: row.report as ReportModel,
  };
}

export function publishedRows(db: DbOrTx, quarter: string): ClosureRow[] {
  return db
    .select()
    .from(quarterClosures)
    .where(and(eq(quarterClosures.quarter, quarter), eq(quarterClosures.published, true)))
    .orderBy(asc(quarterClosures.id))
    .all();
}

/** Marks a closure published with the report it froze; returns the updated row. */
export function markClosurePublished(db: DbOrTx, closureId: number, model: ReportModel): ClosureRow {
  return db.update(quarterClosures).set({ report: model, narrative: model.narrative, published: true }).where(eq(quarterClosures.id, closureId)).returning().get();
}

/** Every published version of a quarter's report, oldest (version 1) first. */
export function listPublishedReports(db: Db, quarter: string): PublishedReport[] {
  return publishedRows(db, quarter).map((r, i) => toPublished(r, i + 1));
}

/** How many versions of `quarter`'s report were published (versions are numbered 1..n). */
export function countPublishedVersions(db: Db, quarter: string): number {
  const row = db
    .select({ n: count() })
    .from(quarterClosures)
    .where(and(eq(quarterClosures.quarter, quarter), eq(quarterClosures.published, true)))
    .get();
  return row?.n ?? 0;
}

/** One published version (the latest when `version` is omitted), or null. */
export function getPublishedReport(db: Db, quarter: string, version?: number): PublishedReport | null {
  const rows = publishedRows(db, quarter);
  if (rows.length === 0) return null;
  const v = version ?? rows.length;
  const row = rows[v - 1];
  return row ? toPublished(row, v) : null;
}

