import Papa from "papaparse";
import { ImportFileError, MAX_COLUMNS } from "./input";

/** One record may hold a long description, but not megabytes. */
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/**
 * Calls `onRecord` with each CSV record of `text`, in order, synchronously: raw
 * arrays of cells, so repeated column names survive (Jira). Empty lines are
 * skipped; rows may be shorter or longer than the header.
 *
 * Papa Parse does the reading (indexOf-driven, several times faster than
 * csv-parse's char-by-char stream on big exports). Each record is handed over and
 * dropped, so memory is bounded by the text plus one record. Refuses a header
 * wider than MAX_COLUMNS before reading rows, a record wider than that or longer
 * than MAX_RECORD_CHARS, and malformed quoting (with the record's number).
 */
export function forEachCsvRecord(text: string, onRecord: (record: string[]) => void, opts: { delimiter?: string } = {}): void {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  checkColumnBound(text, delimiter);
  let failure: unknown = null;
  let n = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    // Empty lines are skipped below: Papa's own option filters a fresh array per record.
    step(results, parser) {
      const record = results.data;
      if (record.length === 1 && record[0] === "") return;
      n++;
      try {
        if (results.errors.length) {
          const e = results.errors[0];
          throw new ImportFileError(`The CSV could not be read: ${e.message.replace(/\.$/, "")} (record ${n}).`);
        }
        if (record.length > MAX_COLUMNS) {
          throw new ImportFileError(`A row has ${record.length.toLocaleString("en-US")} columns; at most ${MAX_COLUMNS} are accepted.`);
        }
        if (n === 1 && record.length === 1 && record[0].length > 2000) {
          throw new ImportFileError("The first line is not a CSV header (one very long cell); is this the right file?");
        }
        let chars = 0;
        for (let i = 0; i < record.length; i++) chars += record[i].length;
        if (chars > MAX_RECORD_CHARS) {
          throw new ImportFileError(`The CSV could not be read: record ${n} holds more than ${MAX_RECORD_CHARS.toLocaleString("en-US")} characters.`);
        }
        onRecord(record);
      } catch (err) {
        failure = err;
        parser.abort();
      }
    },
  });
  if (failure) throw failure;
}

/** Comma, unless the header line clearly uses semicolons or tabs (spreadsheets in some locales). */
export function detectDelimiter(text: string): string {
  const end = text.indexOf("\n");
  const line = text.slice(0, end === -1 ? Math.min(text.length, 65536) : Math.min(end, 65536));
  const count = (c: string) => line.split(c).length - 1;
  const comma = count(",");
  const semi = count(";");
  const tab = count("\t");
  if (tab > comma && tab > semi) return "\t";
  if (semi > comma) return ";";
  return ",";
}

/**
 * One linear, quote-aware pass that stops at the first record wider than
 * MAX_COLUMNS, so a "million columns" file is refused in milliseconds, before any
 * parser builds a million cells. It goes line by line with indexOf: a record of
 * at most MAX_COLUMNS characters cannot hold more delimiters than that, so only
 * longer records have their delimiters counted one by one.
 */
export function checkColumnBound(text: string, delimiter: string): void {
  const d = delimiter.charCodeAt(0);
  const len = text.length;
  let record = 1;
  let start = 0; // where the current record begins
  let inQuotes = false;
  let pos = 0;
  // The next quote at or after pos (len when none): found once, not once per line.
  let quote = indexOr(text, '"', 0, len);
  while (pos < len) {
    const nl = indexOr(text, "\n", pos, len);
    while (quote < nl) {
      inQuotes = !inQuotes;
      quote = indexOr(text, '"', quote + 1, len);
    }
    pos = nl + 1;
    if (inQuotes && pos < len) continue; // a quoted cell goes on over the line break
    if (nl - start >= MAX_COLUMNS) countColumns(text, start, nl, d, record);
    start = pos;
    record++;
  }
}

function indexOr(text: string, what: string, from: number, none: number): number {
  const i = text.indexOf(what, from);
  return i === -1 ? none : i;
}

/** The exact count for one long record, text[from, to): quotes toggle, delimiters outside quotes count. */
function countColumns(text: string, from: number, to: number, d: number, record: number): void {
  let inQuotes = false;
  let columns = 1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && c === d && ++columns > MAX_COLUMNS) {
      throw new ImportFileError(`Record ${record} has more than ${MAX_COLUMNS} columns; is this really a CSV export?`);
    }
  }
}
