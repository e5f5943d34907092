/** Number and date formatting shared by the report page, the PDF and the text summary. */

/** Relative change as a percentage of `base` ("−35%"), or null when base is 0. */
export function formatPercentChange(value: number, base: number): string | null {
  if (!(base > 0)) return null;
  const pct = Math.round(((value - base) / base) * 100);
  return `${pct > 0 ? "+" : pct < 0 ? "−" : "±"}${Math.abs(pct)}%`;
}

/** An ISO instant as a local calendar date in `timezone` ("2026-03-31"). */
export function formatLocalDate(iso: string, timezone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The last local day of a quarter whose exclusive end is `endIso`. */
export function formatLastDay(endIso: string, timezone: string): string {
  return formatLocalDate(new Date(Date.parse(endIso) - 1).toISOString(), timezone);
}

