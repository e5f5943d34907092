import "server-only";
import type { Db } from "@/db/client";
import { NotFoundError } from "@/lib/api/errors";
import type { ReportModel } from "@/lib/export/report-model";
import { quarterById } from "@/lib/metric/calendar";
import { getSettings } from "@/db/queries/config";
import { listPublishedReports, type PublishedReport } from "@/db/queries/report-publish";
import { restatementForPublished, type ReportRestatement } from "./report-publish";
import { buildLiveReport } from "./reports";

export interface ResolvedReport {
  quarter: string;
  model: ReportModel;
  /** What is shown: a published version's frozen content, or today's figures. */
  mode: "published" | "live";
  /** The version shown (mode "published"). */
  published: PublishedReport | null;
  versions: Omit<PublishedReport, "model">[];
  /** When the shown published version's figures have since moved. */
  restatement: ReportRestatement | null;
  /** The quarter has ended (so it can be published). */
  ended: boolean;
}

/**
 * What `/reports/<quarter>` (and its PDF/text) shows: `version` → that published version;
 * `live` → today's figures; neither → the latest published version, else live.
 * Throws NotFoundError for a quarter that has not started or a version that does not exist.
 */
export function resolveReport(db: Db, quarter: string, options: { asOf?: number; version?: number; live?: boolean }): ResolvedReport {
  const opts = { ...options, asOf: options.asOf ?? Date.now() };
  const q = quarterById(quarter, getSettings(db));
  if (q.start > opts.asOf) throw new NotFoundError(`${quarter} has not started yet, so it has no report`);
  const all = listPublishedReports(db, quarter);
  const versions = all.map((p) => ({ quarter: p.quarter, version: p.version, closureId: p.closureId, publishedAt: p.publishedAt, publishedBy: p.publishedBy, inForce: p.inForce }));
  let published: PublishedReport | null = null;
  if (opts.version !== undefined) {
    published = all[opts.version - 1] ?? null;
    if (!published) throw new NotFoundError(`${quarter} has no published version ${opts.version}${all.length ? ` (versions 1–${all.length})` : ""}`);
  } else if (!opts.live) {
    published = all.at(-1) ?? null;
  }
  const ended = q.end <= opts.asOf;
  if (published) {
    return { quarter, model: published.model, mode: "published", published, versions, restatement: restatementForPublished(db, published, { asOf: opts.asOf }), ended };
  }
  return { quarter, model: buildLiveReport(db, quarter, { asOf: opts.asOf }), mode: "live", published: null, versions, restatement: null, ended };
}
