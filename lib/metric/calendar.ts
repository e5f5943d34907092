/**
 * The fiscal calendar: quarter ids, boundaries and lookups.
 *
 * A quarter starts at local midnight on the 1st of its first month in the
 * organisation's IANA time zone, so its length in hours changes with DST. All
 * boundaries are epoch ms (UTC); `start` inclusive, `end` exclusive.
 *
 * Quarters are numbered internally by an ordinal `fyLabel * 4 + (q - 1)`, so
 * next/previous/range are plain integer steps.
 */
import { TZDate } from "@date-fns/tz";
import type { Quarter, Settings } from "./types";

const QUARTER_ID = /^FY(\d{4})-Q([1-4])$/;
/**
 * Fiscal years outside this range are refused as "unknown" rather than computed, and no
 * quarter id is ever formatted for them (an instant in year 0 must not become "FY00-1-Q4").
 * The earliest time the app accepts (TIME_MIN, lib/validation/time-bounds.ts) may not be
 * before 1902, so every quarter of an accepted time has an id that parses back.
 */
export const MIN_FISCAL_YEAR = 1901;
export const MAX_FISCAL_YEAR = 2200;
/** Longest range `quartersInRange` builds: 100 years. */
export const MAX_QUARTERS_IN_RANGE = 400;

/** A quarter id the calendar cannot place: malformed, out of range, or a reversed range. */
export class QuarterIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuarterIdError";
  }
}

/** True when `id` has the shape `FY<yyyy>-Q<1-4>` (does not check the year range). */
export function isQuarterId(id: unknown): id is string {
  return typeof id === "string" && QUARTER_ID.test(id);
}

/** `FY2024-Q1` → ordinal. Throws QuarterIdError naming the bad id. */
export function quarterOrdinal(id: string): number {
  const m = typeof id === "string" ? QUARTER_ID.exec(id.trim()) : null;
  if (!m) throw new QuarterIdError(`"${String(id)}" is not a quarter id (expected FY<yyyy>-Q<1-4>, e.g. FY2024-Q1)`);
  const fy = Number(m[1]);
  if (fy < MIN_FISCAL_YEAR || fy > MAX_FISCAL_YEAR) {
    throw new QuarterIdError(`unknown quarter "${id}": fiscal year must be between ${MIN_FISCAL_YEAR} and ${MAX_FISCAL_YEAR}`);
  }
  return fy * 4 + (Number(m[2]) - 1);
}

/** Throws QuarterIdError unless `fy` is a fiscal year the calendar names. */
function checkFiscalYear(fy: number, what: () => string): void {
  if (!(fy >= MIN_FISCAL_YEAR && fy <= MAX_FISCAL_YEAR)) {
    throw new QuarterIdError(`${what()} is outside the calendar: fiscal year must be between ${MIN_FISCAL_YEAR} and ${MAX_FISCAL_YEAR}`);
  }
}

/** Ordinal → `FY2024-Q1`. Throws QuarterIdError for a fiscal year outside the calendar. */
export function quarterIdFromOrdinal(ordinal: number): string {
  const fy = Math.floor(ordinal / 4);
  checkFiscalYear(fy, () => `quarter ordinal ${ordinal} (fiscal year ${fy})`);
  return `FY${String(fy).padStart(4, "0")}-Q${(ordinal - fy * 4) + 1}`;
}

/**
 * Local calendar year and 0-based month in which the quarter with this ordinal starts.
 * Label `end` with start month > 1: FY Y starts in calendar year Y-1.
 */
function localStartOf(ordinal: number, settings: Settings): { year: number; month0: number } {
  const fy = Math.floor(ordinal / 4);
  const q = ordinal - fy * 4;
  const startMonth0 = settings.fiscalYearStartMonth - 1;
  const fyStartYear = settings.fiscalYearLabel === "end" && startMonth0 > 0 ? fy - 1 : fy;
  const months = startMonth0 + q * 3;
  return { year: fyStartYear + Math.floor(months / 12), month0: months % 12 };
}

/** Epoch ms of local midnight on the 1st of (year, month0) in `timezone`. */
export function localMonthStart(year: number, month0: number, timezone: string): number {
  const ms = new TZDate(year, month0, 1, 0, 0, 0, 0, timezone).getTime();
  if (Number.isNaN(ms)) throw new Error(`unknown time zone "${timezone}"`);
  return ms;
}

/** The quarter with this ordinal, boundaries in epoch ms. */
export function quarterFromOrdinal(ordinal: number, settings: Settings): Quarter {
  const a = localStartOf(ordinal, settings);
  const b = localStartOf(ordinal + 1, settings);
  const fy = Math.floor(ordinal / 4);
  return {
    id: quarterIdFromOrdinal(ordinal),
    fiscalYear: fy,
    index: (ordinal - fy * 4 + 1) as Quarter["index"],
    start: localMonthStart(a.year, a.month0, settings.timezone),
    end: localMonthStart(b.year, b.month0, settings.timezone),
  };
}

/** The quarter named by `id` (`FY2024-Q1`). Throws QuarterIdError for a malformed or out-of-range id. */
export function quarterById(id: string, settings: Settings): Quarter {
  return quarterFromOrdinal(quarterOrdinal(id), settings);
}

/**
 * Ordinal of the quarter containing the instant `ms` (epoch ms). Throws QuarterIdError
 * naming the instant when it falls outside the calendar's fiscal years.
 */
export function ordinalForInstant(ms: number, settings: Settings): number {
  const local = new TZDate(ms, settings.timezone);
  if (Number.isNaN(local.getTime())) throw new QuarterIdError(`${String(ms)} is not an instant the calendar can place`);
  const year = local.getFullYear();
  const month0 = local.getMonth();
  const startMonth0 = settings.fiscalYearStartMonth - 1;
  const fyStartYear = month0 >= startMonth0 ? year : year - 1;
  const q = Math.floor(((month0 - startMonth0 + 12) % 12) / 3);
  const fy = settings.fiscalYearLabel === "end" && startMonth0 > 0 ? fyStartYear + 1 : fyStartYear;
  checkFiscalYear(fy, () => `${new Date(ms).toISOString()} (fiscal year ${fy})`);
  let ordinal = fy * 4 + q;
  // Where local midnight on the 1st does not exist (a DST jump at midnight) the
  // boundary falls an hour later; step back/forward so the result really contains ms.
  const quarter = quarterFromOrdinal(ordinal, settings);
  if (ms < quarter.start) ordinal -= 1;
  else if (ms >= quarter.end) ordinal += 1;
  return ordinal;
}

/** The quarter containing the instant `ms` (epoch ms); the quarter's start is inclusive, its end exclusive. */
export function quarterForInstant(ms: number, settings: Settings): Quarter {
  return quarterFromOrdinal(ordinalForInstant(ms, settings), settings);
}

/** The quarter after `id`. */
export function nextQuarter(id: string, settings: Settings): Quarter {
  return quarterFromOrdinal(quarterOrdinal(id) + 1, settings);
}

/** The quarter before `id`. */
export function prevQuarter(id: string, settings: Settings): Quarter {
  return quarterFromOrdinal(quarterOrdinal(id) - 1, settings);
}

/**
 * Every quarter from `from` to `to`, both inclusive, in order. Consecutive quarters
 * share a boundary (one's end is the next one's start), so they tile time.
 * Throws QuarterIdError when an id is bad, `from` is after `to`, or the range is
 * longer than MAX_QUARTERS_IN_RANGE.
 */
export function quartersInRange(from: string, to: string, settings: Settings): Quarter[] {
  const a = quarterOrdinal(from);
  const b = quarterOrdinal(to);
  if (a > b) throw new QuarterIdError(`range starts at ${from}, after its end ${to}`);
  if (b - a + 1 > MAX_QUARTERS_IN_RANGE) throw new QuarterIdError(`range ${from}..${to} is longer than ${MAX_QUARTERS_IN_RANGE} quarters`);
  const out: Quarter[] = [];
  let next = quarterFromOrdinal(a, settings);
  for (let o = a; o <= b; o++) {
    const q = next;
    out.push(q);
    if (o < b) next = quarterFromOrdinal(o + 1, settings);
  }
  return out;
}

/** Quarter boundaries as a Float64Array of length n+1: quarter i is [b[i], b[i+1]). */
export function quarterBounds(quarters: readonly Quarter[]): Float64Array {
  const b = new Float64Array(quarters.length + 1);
  for (let i = 0; i < quarters.length; i++) b[i] = quarters[i].start;
  if (quarters.length) b[quarters.length] = quarters[quarters.length - 1].end;
  return b;
}

/**
 * The instant `days` local calendar days after `ms` (same local wall time), so
 * "30 days after the quarter ends" means the 30th local midnight after it.
 */
export function addLocalDays(ms: number, days: number, timezone: string): number {
  const d = new TZDate(ms, timezone);
  d.setDate(d.getDate() + days);
  return d.getTime();
}
