/**
 * The one CSV writer: every export (incidents, quarters, the audit trail, `cli export`)
 * goes through it. RFC 4180 quoting; a cell with a leading or trailing white space is
 * quoted too, so a spreadsheet keeps it. Lines end with "\n" unless asked otherwise.
 *
 * Written here rather than on csv-stringify: side by side in one process, csv-stringify
 * took 4-5x as long for the same 2.2 million cells and the same bytes (Papa Parse's
 * unparse about 2x), and the whole job is the dozen lines below, held by
 * tests/unit/export/csv.test.ts and read back with csv-parse in the tests.
 *
 * Formula neutralisation: a spreadsheet evaluates a cell that begins with = + - @ (or
 * their full-width forms) or a control character (tab, CR, LF, ...) as a formula, so such
 * a cell gets a leading single quote and is shown as text. Numbers are written as numbers
 * (a negative number is not a formula).
 */
import { roundHours } from "@/lib/format/hours";

const FORMULA_START = /^[=+\-@\u0000-\u001f\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** Prefixes a string that a spreadsheet would run as a formula with `'`. */
function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A value as one CSV cell: null → empty, lists → `a;b`, objects → JSON, neutralised, quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const raw = typeof value === "string" ? value : Array.isArray(value) ? value.map((v) => (v == null ? "" : String(v))).join(";") : JSON.stringify(value);
  // Edge white space is judged on the value as given: a neutralised "\tcmd" still needs its quotes.
  const s = neutralise(raw);
  return NEEDS_QUOTES.test(raw) || NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Values as one CSV line, without its line end. */
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
  /** "\r\n" for a document that always ends lines so (the audit trail's); spreadsheet mode implies it. */
  lineEnd?: "\n" | "\r\n";
}

/** Hours as written in a CSV: 3 decimals (0.001 h = 3.6 s). */
export function csvHours(hours: unknown): unknown {
  return typeof hours === "number" && Number.isFinite(hours) ? roundHours(hours) : hours;
}

// One formatter per zone: building one per cell cost 25 s for a 50,000-incident export.
const formatters = new Map<string, Intl.DateTimeFormat>();

function localFormatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    formatters.set(timezone, f);
  }
  return f;
}

/** An ISO instant as local wall-clock time in `timezone` ("2026-03-31 17:05:00"); other values unchanged. */
export function localDateTime(value: unknown, timezone: string): unknown {
  if (typeof value !== "string" || value === "") return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const parts = localFormatter(timezone).formatToParts(d);
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
  const nl = zone != null || options.lineEnd === "\r\n" ? "\r\n" : "\n";
  let out = (zone != null ? "\uFEFF" : "") + csvLine(headers) + nl;
  for (const row of rows) out += columns.map((c) => csvCell(cell(c, row))).join(",") + nl;
  return out;
}
