/**
 * The one CSV writer: every export (incidents, quarters, the audit trail, `cli export`)
 * goes through csv-stringify (the csv-parse family's writer; the tests read exports back
 * with csv-parse) rather than a hand-rolled quoter (there were three, each neutralising
 * and ending lines its own way). RFC 4180 quoting; a cell with a leading or trailing space is quoted
 * too, so a spreadsheet keeps the space. Lines end with "\n" unless asked otherwise.
 *
 * Formula neutralisation: a spreadsheet evaluates a cell that begins with = + - @ or a
 * control character (tab, CR, ...) as a formula, so such a cell gets a leading single
 * quote and is shown as text. csv-stringify's `escape_formulas` covers = + - @ tab CR
 * (and their full-width forms); the cast below adds the other control characters.
 * Numbers are written as numbers (a negative number is not a formula).
 */
import { stringify, type Options } from "csv-stringify/sync";
import { roundHours } from "@/lib/format/hours";

/** Control characters escape_formulas leaves alone (it handles tab and CR). */
const OTHER_CONTROL_START = /^[\u0000-\u0008\n\u000b\u000c\u000e-\u001f]/;

function guard(s: string): string {
  return OTHER_CONTROL_START.test(s) ? `'${s}` : s;
}

const WRITER: Options = {
  escape_formulas: true,
  quoted_match: /^\s|\s$/,
  cast: {
    string: guard,
    number: (n) => (Number.isFinite(n) ? String(n) : ""),
    boolean: (b) => (b ? "true" : "false"),
    // Lists read back the way the canonical import reads them (`a;b`); other objects as JSON.
    object: (v) => guard(Array.isArray(v) ? v.map((x) => (x == null ? "" : String(x))).join(";") : JSON.stringify(v)),
  },
};

/** A value as one CSV cell: null → empty, lists → `a;b`, objects → JSON, neutralised, quoted when needed. */
export function csvCell(value: unknown): string {
  return csvLine([value]);
}

/** Values as one CSV line, without its line end. */
export function csvLine(values: readonly unknown[]): string {
  return stringify([values as unknown[]], { ...WRITER, eof: false });
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
  const records: unknown[][] = [headers];
  for (const row of rows) records.push(columns.map((c) => cell(c, row)));
  const crlf = zone != null || options.lineEnd === "\r\n";
  return stringify(records, { ...WRITER, bom: zone != null, record_delimiter: crlf ? "windows" : "unix" });
}
