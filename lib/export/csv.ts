/**
 * CSV writing (RFC 4180, CRLF-free: lines end with "\n", which every spreadsheet reads).
 *
 * Formula neutralisation: a spreadsheet evaluates a cell that begins with = + - @ or a
 * control character (tab, CR, ...) as a formula, so such a cell gets a leading single
 * quote and is shown as text. Numbers are written as numbers (a negative number is not a
 * formula), so only strings are neutralised.
 */

const FORMULA_START = /^[=+\-@\u0000-\u001f]/;

/** Prefixes a string that a spreadsheet would run as a formula with `'`. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A value as CSV text: null → empty, lists → `a;b`, objects → JSON, quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s: string;
  if (typeof value === "number") s = Number.isFinite(value) ? String(value) : "";
  else if (typeof value === "boolean") s = value ? "true" : "false";
  else if (Array.isArray(value)) s = neutraliseCell(value.map((v) => (v == null ? "" : String(v))).join(";"));
  else if (typeof value === "object") s = neutraliseCell(JSON.stringify(value));
  else s = neutraliseCell(String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(",");
}

/** One column: its header, how to read it from a row, and what kind of value it holds. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
  /**
   * `hours`: rounded to 3 decimals (3.6 s), never 15.131684722222221; the JSON export keeps
   * the exact figure. `instant`: an ISO-8601 UTC string, rewritten as local time for spreadsheets.
   */
  kind?: "hours" | "instant";
}

export interface CsvOptions {
  /**
   * Spreadsheet-friendly output: a UTF-8 byte-order mark (Excel otherwise reads accented
   * titles as mojibake), CRLF line ends, and instants as local "yyyy-mm-dd hh:mm:ss" in
   * this IANA zone, a form spreadsheets read as a date and time; the header names the zone.
   */
  spreadsheet?: { timezone: string };
}

/** Hours as written in a CSV: 3 decimals (0.001 h = 3.6 s). */
export function csvHours(hours: unknown): unknown {
  return typeof hours === "number" && Number.isFinite(hours) ? Math.round(hours * 1000) / 1000 : hours;
}

/** An ISO instant as local wall-clock time in `timezone` ("2026-03-31 17:05:00"); other values unchanged. */
export function localDateTime(value: unknown, timezone: string): unknown {
  if (typeof value !== "string" || value === "") return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")}`;
}

/** Header line plus one line per row, each ending in "\n" ("\r\n" and a BOM for spreadsheets). */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: Iterable<T>, options: CsvOptions = {}): string {
  const zone = options.spreadsheet?.timezone;
  const headers = columns.map((c) => (zone && c.kind === "instant" ? `${c.header} (${zone})` : c.header));
  const cell = (c: CsvColumn<T>, row: T) => {
    const v = c.value(row);
    if (c.kind === "hours") return csvHours(v);
    if (zone && c.kind === "instant") return localDateTime(v, zone);
    return v;
  };
  const out = [csvLine(headers)];
  for (const row of rows) out.push(csvLine(columns.map((c) => cell(c, row))));
  const eol = zone ? "\r\n" : "\n";
  return (zone ? "\uFEFF" : "") + out.join(eol) + eol;
}
