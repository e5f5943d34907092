/**
 * Where a fiscal quarter sits relative to a project's delivery and its lag window.
 *
 * Rules (all instants epoch ms; quarters half-open [start, end)):
 * - The delivery instant is local midnight at the start of `deliveredOn`
 *   (`YYYY-MM-DD`) in the organisation's time zone.
 * - The lag window runs from delivery + `lagMinMonths` to delivery + `lagMaxMonths`,
 *   counted in local calendar months; a day that does not exist in the target month
 *   is clamped to its last day (Nov 30 + 3 months = Feb 28/29).
 * - `before`: the quarter ends on or before the delivery instant (end ≤ delivery).
 * - `after`: the quarter starts on or after the end of the lag window
 *   (start ≥ delivery + lagMaxMonths).
 * - `lag`: everything else. In particular the quarter that contains the delivery
 *   is `lag`, never `before` (part of it already had the change), and with a lag of
 *   0 months only that quarter is `lag` (none is when delivery falls exactly on a
 *   quarter's first day).
 *
 * `lagMinMonths` never changes a phase: it marks where the effect is expected to
 * start arriving and is drawn as the lighter part of the shading.
 */
import { TZDate } from "@date-fns/tz";

export type ProjectPhase = "before" | "lag" | "after";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` into its parts; null when malformed or not a real calendar date. */
export function parseLocalDate(value: string): { year: number; month0: number; day: number } | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month0 = Number(m[2]) - 1;
  const day = Number(m[3]);
  if (month0 < 0 || month0 > 11 || day < 1 || day > daysInMonth(year, month0)) return null;
  return { year, month0, day };
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(value: unknown): value is string {
  return typeof value === "string" && parseLocalDate(value) !== null;
}

/**
 * Epoch ms of local midnight starting `date` (`YYYY-MM-DD`) in `timezone`, `months`
 * local calendar months later (day clamped to the target month's length).
 * Throws on a malformed date or unknown zone.
 */
export function localDateInstant(date: string, timezone: string, months = 0): number {
  const p = parseLocalDate(date);
  if (!p) throw new Error(`"${date}" is not a date (expected YYYY-MM-DD)`);
  const total = p.year * 12 + p.month0 + months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const day = Math.min(p.day, daysInMonth(year, month0));
  const ms = new TZDate(year, month0, day, 0, 0, 0, 0, timezone).getTime();
  if (Number.isNaN(ms)) throw new Error(`unknown time zone "${timezone}"`);
  return ms;
}

/** A delivery and its lag window as instants (epoch ms). */
export interface LagWindow {
  /** Local midnight starting the delivery date. */
  delivery: number;
  /** delivery + lagMinMonths: the effect may start showing from here. */
  lagStart: number;
  /** delivery + lagMaxMonths: the effect should be complete from here. */
  lagEnd: number;
}

export interface DeliveryInput {
  deliveredOn: string;
  lagMinMonths: number;
  lagMaxMonths: number;
}

/** The delivery instant and lag window of a project, in `timezone`. */
export function lagWindow(p: DeliveryInput, timezone: string): LagWindow {
  return {
    delivery: localDateInstant(p.deliveredOn, timezone),
    lagStart: localDateInstant(p.deliveredOn, timezone, p.lagMinMonths),
    lagEnd: localDateInstant(p.deliveredOn, timezone, p.lagMaxMonths),
  };
}

/** The phase of the quarter [start, end) against a lag window (rules in the file comment). */
export function quarterPhase(quarter: { start: number; end: number }, window: LagWindow): ProjectPhase {
  if (quarter.end <= window.delivery) return "before";
  if (quarter.start >= window.lagEnd) return "after";
  return "lag";
}

/** `YYYY-MM-DD` of the local calendar day holding instant `ms` in `timezone`. */
export function localDateOf(ms: number, timezone: string): string {
  const d = new TZDate(ms, timezone);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * The last local day inside a half-open span ending at `endMs` (exclusive): the day
 * before when `endMs` is local midnight. The one rule for printing an end date.
 */
export function inclusiveEndDate(endMs: number, timezone: string): string {
  return localDateOf(endMs - 1, timezone);
}

/**
 * A lag window as the local dates people read, both inclusive: `from` is the day the
 * window opens (delivery + lagMinMonths), `to` the LAST day inside it, i.e. the day
 * before delivery + lagMaxMonths (the window itself is half-open). Delivered
 * 2025-05-16 with a 3–6 month lag reads "2025-08-16 to 2025-11-15"; 2025-11-16 is
 * already after it. Every page that prints a lag window (dashboard, project pages,
 * reports, target planning) goes through this, so they never differ by a day.
 */
export function lagWindowDates(window: Pick<LagWindow, "lagStart" | "lagEnd">, timezone: string): { from: string; to: string } {
  return { from: localDateOf(window.lagStart, timezone), to: window.lagEnd > window.lagStart ? inclusiveEndDate(window.lagEnd, timezone) : localDateOf(window.lagStart, timezone) };
}
