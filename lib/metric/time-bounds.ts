/**
 * Bounds on time: the instants an incident may carry for the engine to count it.
 *
 * Every entry point refuses times outside the configured bounds (see
 * lib/validation/time-bounds.ts), but a row can still reach the engine with one: inserted
 * by SQL, an old database, a clock that was wrong at entry. Such an incident is left out of
 * every figure and listed with the reason, so one bad date never breaks the figures for
 * everyone. Pure: the bounds come in as data.
 */
import type { EngineIncident } from "./types";

/** Inclusive bounds, epoch ms (UTC). */
export interface TimeBounds {
  min: number;
  max: number;
  /** How the bounds are named in messages, e.g. "TIME_MIN" / "24 hours after now". */
  minLabel?: string;
  maxLabel?: string;
}

/** The instant fields of an engine incident, with the names the import format gives them. */
export const INSTANT_FIELD_NAMES = {
  startedAt: "started_at",
  resolvedAt: "resolved_at",
  impactStart: "impact_start",
  impactEnd: "impact_end",
  detectedAt: "detected_at",
  mitigatedAt: "mitigated_at",
} as const satisfies Partial<Record<keyof EngineIncident, string>>;

export type InstantField = keyof typeof INSTANT_FIELD_NAMES;
const FIELDS = Object.keys(INSTANT_FIELD_NAMES) as InstantField[];

/** An incident left out of every figure because one of its instants is out of bounds. */
export interface ExcludedIncident {
  id: string;
  /** The first offending field, as the import format names it (`started_at`). */
  field: string;
  /** The stored value, ISO-8601 (or the raw number when it is not a representable date). */
  value: string;
  /** A sentence naming the field, the value and the bound. */
  reason: string;
}

/** Epoch ms → ISO-8601, or the number itself when no Date can hold it (never throws). */
export function formatInstant(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return String(ms);
  return new Date(ms).toISOString();
}

/**
 * Why `ms` (the value of `field`) is out of `bounds`, or null when it is within them
 * (both ends inclusive). A non-finite number is out of bounds.
 */
export function instantOutOfBounds(field: string, ms: number, bounds: TimeBounds): string | null {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return `${field} ${String(ms)} is not a date/time`;
  if (ms < bounds.min) return `${field} ${formatInstant(ms)} is before ${formatInstant(bounds.min)}, the earliest time accepted${bounds.minLabel ? ` (${bounds.minLabel})` : ""}`;
  if (ms > bounds.max) return `${field} ${formatInstant(ms)} is after ${formatInstant(bounds.max)}, the latest time accepted${bounds.maxLabel ? ` (${bounds.maxLabel})` : ""}`;
  return null;
}

/** The first out-of-bounds instant of `inc`, or null when all of them are within bounds. */
export function excludedBecause(inc: EngineIncident, bounds: TimeBounds): ExcludedIncident | null {
  for (const f of FIELDS) {
    const v = inc[f];
    if (v == null) continue;
    if (typeof v === "number" && v >= bounds.min && v <= bounds.max) continue;
    const field = INSTANT_FIELD_NAMES[f];
    return { id: inc.id, field, value: formatInstant(v as number), reason: instantOutOfBounds(field, v as number, bounds) ?? `${field} is out of range` };
  }
  return null;
}

/** `v` is absent or a number within [min, max] (NaN fails every comparison). */
function ok(v: number | null | undefined, min: number, max: number): boolean {
  return v == null || (v >= min && v <= max);
}

/** Every instant of `inc` within [min, max]: field by field, no loop (it runs per incident per figure). */
function allWithin(inc: EngineIncident, min: number, max: number): boolean {
  return (
    ok(inc.startedAt, min, max) &&
    ok(inc.resolvedAt, min, max) &&
    ok(inc.impactStart, min, max) &&
    ok(inc.impactEnd, min, max) &&
    ok(inc.detectedAt, min, max) &&
    ok(inc.mitigatedAt, min, max)
  );
}

/**
 * Splits incidents into those the engine may count and those with an instant out of
 * `bounds`. When nothing is out of bounds `kept` is the input array itself (no copy), so
 * callers that cache by identity keep working; otherwise it is a new frozen array.
 */
export function partitionByTimeBounds<T extends EngineIncident>(
  incidents: readonly T[],
  bounds: TimeBounds,
): { kept: readonly T[]; excluded: ExcludedIncident[] } {
  const { min, max } = bounds;
  let firstBad = -1;
  for (let k = 0; k < incidents.length; k++) {
    if (!allWithin(incidents[k], min, max)) {
      firstBad = k;
      break;
    }
  }
  if (firstBad < 0) return { kept: incidents, excluded: [] };
  const kept = incidents.slice(0, firstBad);
  const excluded: ExcludedIncident[] = [];
  for (let k = firstBad; k < incidents.length; k++) {
    const inc = incidents[k];
    const why = allWithin(inc, min, max) ? null : excludedBecause(inc, bounds);
    if (why) excluded.push(why);
    else kept.push(inc);
  }
  // Shared like the input (callers cache it): frozen so a stray push throws.
  return { kept: Object.freeze(kept), excluded };
}
