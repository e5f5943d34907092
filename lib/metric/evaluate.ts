/**
 * `evaluate`: the cases contract (`cli evaluate`, `cli metrics --json`, the quarters API).
 */
import { runCore, targetFor, type CoreRun } from "./core";
import { HOUR_MS } from "./intervals";
import type { EvaluationInput, EvaluationResult, IncidentResult, QuarterResult } from "./types";

/** Epoch ms → ISO-8601 in UTC with `Z` (`2024-01-01T00:00:00.000Z`). */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Per-quarter results of a core run, in range order. */
export function quarterResults(run: CoreRun): QuarterResult[] {
  return run.quarters.map((q, i) => ({
    quarter: q.id,
    start: toIso(q.start),
    end: toIso(q.end),
    hours: run.hoursMs[i] / HOUR_MS,
    upperBoundHours: run.upperMs[i] / HOUR_MS,
    countedIncidentIds: run.countedIds[i],
    target: targetFor(run.input.targets, q.id),
    status: run.status[i],
  }));
}

/** Per-incident verdicts of a core run, in input order. */
export function incidentResults(run: CoreRun): IncidentResult[] {
  const { incidents } = run.input;
  const out: IncidentResult[] = new Array(incidents.length);
  for (let k = 0; k < incidents.length; k++) out[k] = { id: incidents[k].id, counted: run.counted[k] === 1, reason: run.reasons[k] };
  return out;
}

/**
 * Evaluates the metric (METRIC.md) for every quarter of `input.range` (inclusive).
 *
 * - Instants are epoch ms; quarters are half-open [start, end) local-midnight
 *   boundaries in `settings.timezone`, so DST shifts move them in UTC.
 * - An incident's effective window is [impactStart ?? startedAt, impactEnd ?? resolvedAt ?? asOf);
 *   an ongoing one is measured to `asOf`. A window ending before it starts is treated as empty.
 * - `hours` / `upperBoundHours` are exact (ms / 3.6e6); round only for display.
 * - `incidents` lists every input incident in input order, including ones outside the range.
 *
 * Throws QuarterIdError when the range names a malformed or reversed quarter range.
 */
export function evaluate(input: EvaluationInput): EvaluationResult {
  const run = runCore(input);
  return { quarters: quarterResults(run), incidents: incidentResults(run) };
}
