import { TZDate } from "@date-fns/tz";
import { isValid, parse } from "date-fns";

export type InstantResult = { ok: true; value: number } | { ok: false; reason: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** True when `tz` is an IANA zone name this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads one instant as a source file writes it, to epoch ms.
 *
 * - ISO-8601 with an offset (`Z`, `+02:00`, `+0200`) is exact.
 * - ISO-8601 without an offset, or a `formats` match (date-fns patterns such as
 *   Jira's `dd/MMM/yy hh:mm a`), is a wall-clock time: it is read in `timezone`
 *   and is an error when no time zone was stated; we never guess.
 * - A date without a time is midnight in `timezone`.
 */
export function parseInstant(raw: string, opts: { timezone?: string | null; formats?: readonly string[] } = {}): InstantResult {
  const value = raw.trim();
  const fast = isoUtcFast(value);
  if (fast === fast) return { ok: true, value: fast };
  const m = ISO.exec(value);
  if (m) {
    const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", off] = m;
    if (off) {
      const offset = off === "Z" || off === "z" ? "Z" : off.length === 3 ? `${off}:00` : off.includes(":") ? off : `${off.slice(0, 3)}:${off.slice(3)}`;
      const ms = frac ? `.${frac.slice(0, 3).padEnd(3, "0")}` : "";
      const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
      if (Number.isNaN(t) || !validParts(+y, +mo, +d, +h, +mi, +s)) return { ok: false, reason: `"${value}" is not a valid date/time` };
      return { ok: true, value: t };
    }
    if (!validParts(+y, +mo, +d, +h, +mi, +s)) return { ok: false, reason: `"${value}" is not a valid date/time` };
    if (!opts.timezone) return noOffset(value);
    const t = new TZDate(+y, +mo - 1, +d, +h, +mi, +s, frac ? +frac.slice(0, 3).padEnd(3, "0") : 0, opts.timezone).getTime();
    return Number.isNaN(t) ? { ok: false, reason: `"${value}" is not a valid date/time` } : { ok: true, value: t };
  }
  for (const fmt of opts.formats ?? []) {
    // Parse once without a zone to learn whether the text matches the pattern at all.
    const probe = parse(value, fmt, new Date(2000, 0, 1));
    if (!isValid(probe)) continue;
    if (!opts.timezone) return noOffset(value);
    const d = parse(value, fmt, new TZDate(2000, 0, 1, opts.timezone));
    if (isValid(d)) return { ok: true, value: d.getTime() };
  }
  return { ok: false, reason: `"${truncate(value)}" is not a date/time (expected ISO-8601 such as 2024-02-01T10:00:00Z)` };
}

/**
 * The shape nearly every export writes, `YYYY-MM-DDTHH:MM:SS[.fff]Z`, read by hand:
 * no regex, no rebuilt string for Date.parse. Returns NaN for anything else (other
 * offsets, no seconds, leap seconds, years before 100, impossible dates), and the
 * caller falls back to the full reader, so it accepts nothing parseInstant refuses
 * and yields the same instant for everything it accepts.
 */
export function isoUtcFast(s: string): number {
  const n = s.length;
  if (n < 20 || n > 30) return NaN;
  const last = s.charCodeAt(n - 1);
  if (last !== 90 && last !== 122) return NaN; // Z z
  const sep = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = num(s, 0, 4);
  const mo = num(s, 5, 2);
  const d = num(s, 8, 2);
  const h = num(s, 11, 2);
  const mi = num(s, 14, 2);
  const sec = num(s, 17, 2);
  // NaN in any part fails every comparison below.
  if (!(y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && sec <= 59)) return NaN;
  if (d > daysIn(y, mo)) return NaN;
  let ms = 0;
  if (n > 20) {
    const dot = s.charCodeAt(19);
    if (dot !== 46 && dot !== 44) return NaN; // . ,
    const digits = n - 21;
    if (digits < 1 || digits > 9) return NaN;
    const frac = num(s, 20, digits);
    if (!(frac >= 0)) return NaN;
    ms = digits >= 3 ? num(s, 20, 3) : digits === 2 ? frac * 10 : frac * 100;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** The decimal number in s[from, from+len), or NaN if any of it is not a digit. */
function num(s: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

function daysIn(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function noOffset(value: string): InstantResult {
  return { ok: false, reason: `"${value}" has no UTC offset; add one (e.g. Z or +02:00) or state the time zone (--timezone)` };
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
