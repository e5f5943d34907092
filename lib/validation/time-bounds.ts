/**
 * The configured bounds on time, shared by every entry point (importer rows, incident
 * edits, deploy events, CLI arguments) and by the guard where stored rows become engine
 * incidents.
 *
 * - `TIME_MIN` (ISO-8601 date or instant, default 1990-01-01T00:00:00Z): nothing earlier
 *   is accepted. It may not be before 1902 (the fiscal calendar names years from 1901).
 * - `TIME_MAX_FUTURE_HOURS` (hours, default 24): nothing later than this many hours after
 *   *now* is accepted, now being the moment of entry (the import, the save, the request),
 *   so a time accepted once is never refused later as it ages.
 *
 * A bad value of either variable is an error naming it, never silently replaced.
 */
import { z } from "zod";
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from "@/lib/metric/calendar";
import { HOUR_MS } from "@/lib/metric/intervals";
import { instantOutOfBounds, type TimeBounds } from "@/lib/metric/time-bounds";

export const DEFAULT_TIME_MIN = "1990-01-01T00:00:00Z";
export const DEFAULT_TIME_MAX_FUTURE_HOURS = 24;
/** The earliest TIME_MIN allowed: quarter ids of every year accepted must round-trip. */
const TIME_MIN_FLOOR = Date.UTC(MIN_FISCAL_YEAR + 1, 0, 1);
/** At most ten years ahead, so the calendar can always name the quarter. */
const MAX_FUTURE_HOURS = 24 * 366 * 10;
/** No instant past the start of the calendar's last fiscal year, whatever the clock says. */
export const CALENDAR_MAX_MS = Date.UTC(MAX_FISCAL_YEAR - 1, 0, 1);

/** A setting that cannot be read: the message names the variable and the bad value. */
export class TimeBoundsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeBoundsConfigError";
  }
}

const DATE_OR_INSTANT = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

let lastTimeMin: { raw: string; ms: number } | null = null;

/** `TIME_MIN` → epoch ms. Throws TimeBoundsConfigError for a bad value. */
export function readTimeMin(raw: string | undefined = process.env.TIME_MIN): number {
  const value = raw?.trim() || DEFAULT_TIME_MIN;
  // Read once per distinct value: every imported row and deploy event asks.
  if (lastTimeMin?.raw === value) return lastTimeMin.ms;
  if (!DATE_OR_INSTANT.safeParse(value).success) {
    throw new TimeBoundsConfigError(`TIME_MIN "${value}" is not an ISO-8601 date or instant (e.g. ${DEFAULT_TIME_MIN})`);
  }
  const ms = Date.parse(value);
  if (ms < TIME_MIN_FLOOR) throw new TimeBoundsConfigError(`TIME_MIN "${value}" is before ${MIN_FISCAL_YEAR + 1}-01-01, the earliest the fiscal calendar supports`);
  lastTimeMin = { raw: value, ms };
  return ms;
}

/** `TIME_MAX_FUTURE_HOURS` → hours. Throws TimeBoundsConfigError for a bad value. */
export function readMaxFutureHours(raw: string | undefined = process.env.TIME_MAX_FUTURE_HOURS): number {
  const value = raw?.trim();
  if (!value) return DEFAULT_TIME_MAX_FUTURE_HOURS;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > MAX_FUTURE_HOURS) {
    throw new TimeBoundsConfigError(`TIME_MAX_FUTURE_HOURS "${value}" must be a number of hours from 0 to ${MAX_FUTURE_HOURS}`);
  }
  return n;
}

/**
 * The bounds in force at `now` (epoch ms, default the clock): [TIME_MIN, now +
 * TIME_MAX_FUTURE_HOURS], both inclusive. Throws TimeBoundsConfigError when a variable is bad
 * or TIME_MIN is after that upper bound.
 */
export function timeBounds(now: number = Date.now()): TimeBounds {
  const min = readTimeMin();
  const hours = readMaxFutureHours();
  const max = Math.min(now + hours * HOUR_MS, CALENDAR_MAX_MS);
  if (min > max) throw new TimeBoundsConfigError(`TIME_MIN ${new Date(min).toISOString()} is after the latest time accepted (${new Date(max).toISOString()})`);
  return { min, max, minLabel: "TIME_MIN", maxLabel: `${hours} hours after now, TIME_MAX_FUTURE_HOURS` };
}

/**
 * Bounds for data that describes its own "now" (metric case files, whose asOf may be any
 * year): TIME_MIN below, and the calendar's reach above instead of the clock.
 */
export function calendarTimeBounds(): TimeBounds {
  return { min: readTimeMin(), max: CALENDAR_MAX_MS, minLabel: "TIME_MIN", maxLabel: "the calendar's last year" };
}

/** Why `ms` is out of the bounds in force now (`field` named), or null. */
export function checkInstant(field: string, ms: number, bounds: TimeBounds = timeBounds()): string | null {
  return instantOutOfBounds(field, ms, bounds);
}

/**
 * A zod refinement for a nullable epoch-ms field: adds an issue naming the field and the
 * value when it is out of the bounds in force at parse time.
 */
export function refineInBounds(field: string, bounds?: () => TimeBounds) {
  return (v: number | null | undefined, ctx: z.RefinementCtx): void => {
    if (v == null) return;
    const why = instantOutOfBounds(field, v, bounds ? bounds() : timeBounds());
    if (why) ctx.addIssue({ code: "custom", message: why });
  };
}
