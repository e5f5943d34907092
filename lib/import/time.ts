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
