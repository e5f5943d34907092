import "server-only";
import type { Db } from "@/db/client";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { analyze } from "@/lib/metric/analyze";
import type { Analysis } from "@/lib/metric/analysis-types";
import { quarterForInstant, quarterOrdinal, quarterIdFromOrdinal } from "@/lib/metric/calendar";
import { evaluate } from "@/lib/metric/evaluate";
import { impactWindow } from "@/lib/metric/intervals";
import { instantOutOfBounds } from "@/lib/metric/time-bounds";
import type { EvaluationInput, EvaluationResult, Policy, Settings, Targets } from "@/lib/metric/types";
import { metricConfigSchema, quarterIdSchema, settingsSchema, type MetricConfigInput } from "@/lib/validation/metric";
import { calendarTimeBounds } from "@/lib/validation/time-bounds";
import { getCurrentPolicy, getSettings, getTargets } from "@/db/queries/config";
import { loadEngineIncidents, type IncidentFilter } from "@/db/queries/metric-input";

export interface MetricsOptions {
  /** The evaluation instant, epoch ms. */
  asOf: number;
  /** Inclusive quarter ids; defaults: earliest incident's quarter … the quarter holding asOf. */
  from?: string;
  to?: string;
  /** Per-run overrides: settings are merged over the stored ones; policy and targets replace them. */
  config?: MetricConfigInput;
  filter?: IncidentFilter;
}

function checkQuarter(id: string | undefined, field: string): string | undefined {
  if (id === undefined) return undefined;
  const r = quarterIdSchema.safeParse(id);
  if (!r.success) throw new ValidationError(`${field} is not a valid quarter`, issuesFromZod(r.error).map((i) => ({ ...i, field })));
  return r.data;
}

/**
 * Gathers stored settings, current policy, targets and incidents (plus per-run
 * overrides) into the engine's input. Throws ValidationError (422) for bad quarter
 * ids, a reversed range, or an invalid config.
 */
export function loadMetricInput(db: Db, opts: MetricsOptions): EvaluationInput {
  if (!Number.isFinite(opts.asOf)) throw new ValidationError("asOf is not a valid instant", [{ field: "asOf", message: "must be an ISO-8601 instant" }]);
  const asOfOut = instantOutOfBounds("asOf", opts.asOf, calendarTimeBounds());
  if (asOfOut) throw new ValidationError("asOf is out of range", [{ field: "asOf", message: asOfOut }]);
  let config: MetricConfigInput = {};
  if (opts.config !== undefined) {
    const cfg = metricConfigSchema.safeParse(opts.config);
    if (!cfg.success) throw new ValidationError("config is invalid", issuesFromZod(cfg.error));
    config = cfg.data;
  }
  const merged = settingsSchema.safeParse({ ...getSettings(db), ...(config.settings ?? {}) });
  if (!merged.success) throw new ValidationError("settings are invalid", issuesFromZod(merged.error));
  const settings: Settings = merged.data;
  const policy: Policy = (config.policy as Policy | undefined) ?? getCurrentPolicy(db).policy;
  const targets: Targets = config.targets ?? getTargets(db);

  let from = checkQuarter(opts.from, "from");
  let to = checkQuarter(opts.to, "to");
  const asOfQuarter = quarterForInstant(opts.asOf, settings).id;
  if (to === undefined) {
    to = asOfQuarter;
    if (from !== undefined && quarterOrdinal(from) > quarterOrdinal(to)) to = from;
  }
  const incidents = loadEngineIncidents(db, opts.filter);
  if (from === undefined) {
    let earliest: number | null = null;
    for (const i of incidents) {
      const s = impactWindow(i).start;
      if (earliest === null || s < earliest) earliest = s;
    }
    const first = earliest == null ? asOfQuarter : quarterForInstant(earliest, settings).id;
    from = quarterIdFromOrdinal(Math.min(quarterOrdinal(first), quarterOrdinal(to)));
  }
  if (quarterOrdinal(from) > quarterOrdinal(to)) {
    throw new ValidationError("from is after to", [{ field: "from", message: `${from} is after ${to}` }]);
  }
  return { settings, policy, targets, asOf: opts.asOf, range: { from, to }, incidents };
}

/** The JSON `cli metrics --json` prints and `GET /api/metrics/quarters` returns: `{ quarters, incidents }`. */
export function computeMetrics(db: Db, opts: MetricsOptions): EvaluationResult {
  const result = evaluate(loadMetricInput(db, opts));
  return { quarters: result.quarters, incidents: result.incidents };
}

/** The richer engine analysis over the stored data (dashboard, incident pages, reports). */
export function computeAnalysis(db: Db, opts: MetricsOptions): Analysis {
  return analyze(loadMetricInput(db, opts));
}
