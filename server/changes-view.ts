import "server-only";
import type { Db } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { incidentSummaries, type IncidentSummary } from "@/db/queries/dashboard-reads";
import { earliestDeployAt } from "@/db/queries/deploy-links";
import { resolvePeriod, type ResolvedPeriod } from "@/lib/charts/period";
import { quarterForInstant } from "@/lib/metric/calendar";
import type { Settings } from "@/lib/metric/types";
import { quarterIdSchema } from "@/lib/validation/metric";
import { changeDrillDown, computeDoraCached, type ChangeDrillDown, type DoraReport } from "./dora";

export interface ChangesView {
  now: number;
  settings: Settings;
  current: string;
  period: ResolvedPeriod;
  /** False until the first deploy event arrives. */
  hasDeploys: boolean;
  report: DoraReport;
  drill: ChangeDrillDown | null;
  /** `?quarter=` named something that is not a quarter of the period. */
  badQuarter: string | null;
  summaries: Map<string, IncidentSummary>;
}

/** Everything the Changes page shows for `?from=&to=&quarter=`, as of now. */
export function loadChangesView(db: Db, raw: Record<string, string | string[] | undefined>, now: number = Date.now()): ChangesView {
  const settings = getSettings(db);
  const current = quarterForInstant(now, settings).id;
  const first = earliestDeployAt(db);
  const period = resolvePeriod({ from: raw.from, to: raw.to }, { current, earliest: first == null ? null : quarterForInstant(first, settings).id });
  const report = computeDoraCached(db, { from: period.from, to: period.to }, now);
  const q = typeof raw.quarter === "string" ? quarterIdSchema.safeParse(raw.quarter) : null;
  const drill = q?.success && report.quarters.some((x) => x.quarter === q.data) ? changeDrillDown(db, q.data, now) : null;
  return {
    now,
    settings,
    current,
    period,
    hasDeploys: first != null,
    report,
    drill,
    badQuarter: raw.quarter !== undefined && !drill ? String(raw.quarter) : null,
    summaries: drill ? incidentSummaries(db, drill.failed.flatMap((f) => f.causedIncidentIds)) : new Map(),
  };
}
