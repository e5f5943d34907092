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

/** One column: its header and how to read it from a row. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Header line plus one line per row, each ending in "\n". */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: Iterable<T>): string {
  const out = [csvLine(columns.map((c) => c.header))];
  for (const row of rows) out.push(csvLine(columns.map((c) => c.value(row))));
  return out.join("\n") + "\n";
}
