/**
 * CSV output (RFC 4180) with formula-injection neutralisation: a cell that begins
 * with = + - @ or a control character (tab, CR, ...) gets a leading apostrophe, so a
 * spreadsheet shows it as text instead of evaluating it.
 */

const DANGEROUS_START = /^[=+\-@\u0000-\u001f]/;

export function neutraliseCell(value: string): string {
  return DANGEROUS_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = neutraliseCell(typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(",");
}
