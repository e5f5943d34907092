/**
 * The one reader for JSON-or-CSV uploads (incident imports, deploy events, projects files):
 * how a text is told to be JSON, how a JSON list is found in it (bounded depth first), and
 * how a CSV with a header row becomes one record per row through the one CSV parser
 * (./csv.ts, Papa Parse). What the records mean is the caller's business; so are the words
 * of its refusals: each UploadReadError names its problem and a one-line detail, and the
 * caller says it in its own terms (a 422 field, a CLI line, an import error).
 */
import { jsonDepthProblem } from "@/lib/json/bounded";
import { forEachCsvRecord } from "./csv";

export type UploadProblem = "empty" | "too_deep" | "bad_json" | "no_list" | "bad_csv";

export class UploadReadError extends Error {
  constructor(
    readonly problem: UploadProblem,
    /** One line: the parser's reason ("Unexpected token ..."), the depth reason, ... */
    readonly detail: string,
  ) {
    super(detail);
    this.name = "UploadReadError";
  }
}

/** The text without a byte-order mark and outer white space; refused when nothing is left. */
export function uploadText(text: string): string {
  const t = text.replace(/^\uFEFF/, "").trim();
  if (!t) throw new UploadReadError("empty", "the file is empty");
  return t;
}

/** True when the text (trimmed) opens a JSON array or object. */
export function looksLikeJson(text: string): boolean {
  const head = text.trimStart()[0];
  return head === "[" || head === "{";
}

/**
 * The list a JSON document holds: the document itself when it is an array, else its
 * `key` member when that is an array; otherwise the document as a list of one (`single`)
 * or a `no_list` refusal. Depth is bounded before JSON.parse, which would parse a deep
 * value and leave the overflow to whoever walks it.
 */
export function readJsonList(text: string, key: string, opts: { single?: boolean } = {}): unknown[] {
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep) throw new UploadReadError("too_deep", tooDeep);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UploadReadError("bad_json", err instanceof Error ? err.message.split("\n")[0] : String(err));
  }
  if (Array.isArray(doc)) return doc;
  const list = doc && typeof doc === "object" ? (doc as Record<string, unknown>)[key] : undefined;
  if (Array.isArray(list)) return list;
  if (opts.single) return [doc];
  throw new UploadReadError("no_list", `expected an array or { "${key}": [...] }`);
}

/**
 * A CSV with a header row → one object per data row, keyed by the (trimmed) header
 * names; a short row's missing cells are "". `trim` trims every cell; `exactWidth`
 * refuses a row with more or fewer cells than the header instead of padding or
 * dropping. Blank lines are skipped. An unreadable CSV is a `bad_csv` refusal.
 */
export function readCsvObjects(text: string, opts: { trim?: boolean; exactWidth?: boolean } = {}): Record<string, string>[] {
  let header: string[] | null = null;
  const rows: Record<string, string>[] = [];
  try {
    forEachCsvRecord(text, (record) => {
      if (!header) {
        header = record.map((h) => h.trim());
        return;
      }
      if (opts.exactWidth && record.length !== header.length) {
        throw new UploadReadError("bad_csv", `row ${rows.length + 1} has ${record.length} cells; the header has ${header.length}`);
      }
      const row: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) row[header[i]] = opts.trim ? (record[i] ?? "").trim() : (record[i] ?? "");
      rows.push(row);
    });
  } catch (err) {
    if (err instanceof UploadReadError) throw err;
    throw new UploadReadError("bad_csv", (err instanceof Error ? err.message : String(err)).replace(/^The CSV could not be read: /, ""));
  }
  return rows;
}
