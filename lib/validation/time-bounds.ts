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
import { env, EnvError, type Env } from "@/lib/env";
import { MAX_FISCAL_YEAR } from "@/lib/metric/calendar";
import { HOUR_MS } from "@/lib/metric/intervals";
import { instantOutOfBounds, type TimeBounds } from "@/lib/metric/time-bounds";

/** No instant past the start of the calendar's last fiscal year, whatever the clock says. */
export const CALENDAR_MAX_MS = Date.UTC(MAX_FISCAL_YEAR - 1, 0, 1);

/** A bad TIME_MIN or TIME_MAX_FUTURE_HOURS, or a TIME_MIN after the upper bound: the message names it. */
export class TimeBoundsConfigError extends EnvError {
  constructor(message: string) {
    super(message);
    this.name = "TimeBoundsConfigError";
  }
}

/** The variable (schema, default and messages in lib/env.ts), or `raw` read as its value. */
function timeSetting<K extends "TIME_MIN" | "TIME_MAX_FUTURE_HOURS">(name: K, raw: string | undefined): Env[K] {
  try {
    return raw === undefined ? env(name) : env(name, { [name]: raw });
  } catch (err) {
    throw err instanceof EnvError ? new TimeBoundsConfigError(err.message) : err;
  }
}

/** `TIME_MIN` → epoch ms. Throws TimeBoundsConfigError for a bad value. */
export function readTimeMin(raw?: string): number {
  return timeSetting("TIME_MIN", raw);
}

/** `TIME_MAX_FUTURE_HOURS` → hours. Throws TimeBoundsConfigError for a bad value. */
export function readMaxFutureHours(raw?: string): number {
  return timeSetting("TIME_MAX_FUTURE_HOURS", raw);
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
