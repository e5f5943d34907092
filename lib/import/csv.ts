import { parse } from "csv-parse";
import { ImportFileError, MAX_COLUMNS } from "./input";

const CHUNK = 64 * 1024;
/** One record may hold a long description, but not megabytes. */
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/**
 * Streams CSV records (raw arrays, so repeated column names survive) out of text,
 * feeding csv-parse in slices with back-pressure so memory stays bounded by the
 * file plus one record. Refuses a header wider than MAX_COLUMNS before reading rows.
 */
export async function* csvRecords(text: string, opts: { delimiter?: string } = {}): AsyncGenerator<string[]> {
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  checkColumnBound(text, delimiter);
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  let feedError: unknown = null;
  const feed = (async () => {
    try {
      for (let i = 0; i < text.length; i += CHUNK) {
        if (parser.destroyed) return;
        if (!parser.write(text.slice(i, i + CHUNK))) await new Promise((r) => parser.once("drain", r));
      }
      parser.end();
    } catch (err) {
      feedError = err;
    }
  })();
  let first = true;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (record.length > MAX_COLUMNS) {
        throw new ImportFileError(`A row has ${record.length.toLocaleString("en-US")} columns; at most ${MAX_COLUMNS} are accepted.`);
      }
      if (first && record.length === 1 && record[0].length > 2000) {
        throw new ImportFileError("The first line is not a CSV header (one very long cell); is this the right file?");
      }
      first = false;
      yield record;
    }
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ImportFileError(`The CSV could not be read: ${message.replace(/^Invalid Record Length: /, "")}`);
  } finally {
    parser.destroy();
    await feed;
  }
  if (feedError) throw feedError;
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
 * MAX_COLUMNS: csv-parse slows down badly on a single enormous record, so a
 * "million columns" file is refused here in milliseconds instead.
 */
export function checkColumnBound(text: string, delimiter: string): void {
  const d = delimiter.charCodeAt(0);
  let inQuotes = false;
  let columns = 1;
  let record = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === d) {
      if (++columns > MAX_COLUMNS) {
        throw new ImportFileError(`Record ${record} has more than ${MAX_COLUMNS} columns; is this really a CSV export?`);
      }
    } else if (c === 10) {
      columns = 1;
      record++;
    }
  }
}
