/**
 * Guards that run before any parsing, so a file that is not text (binary, the
 * wrong encoding, empty, too big) gets a clear error at a cost bounded by the
 * size limit.
 */
import { declaredLength } from "@/lib/api/body-limits";
import { AppError, PayloadTooLargeError, ValidationError } from "@/lib/api/errors";
import { env } from "@/lib/env";

export const DEFAULT_MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** More columns than any real export has; a header wider than this is refused before its rows are read. */
export const MAX_COLUMNS = 1000;

export class ImportFileError extends ValidationError {}

/** The effective limit: env IMPORT_MAX_BYTES, else the setting, else 50 MB. */
export function resolveMaxImportBytes(setting?: number | null): number {
  const fromEnv = env("IMPORT_MAX_BYTES");
  if (fromEnv !== undefined) return fromEnv;
  if (setting && setting > 0) return setting;
  return DEFAULT_MAX_IMPORT_BYTES;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) ? 1 : 0)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** How a 413 names its limit ("the import limit") and what went over it ("The file"). */
export interface SizeLimitName {
  what: string;
  subject: string;
}
export const IMPORT_LIMIT: SizeLimitName = { what: "import", subject: "The file" };

/**
 * The 413 for a body over `max`, naming the limit: `size` is the body's size when known
 * (its Content-Length, a file's size), null when it was cut off while streaming. `limit`
 * names the limit and what was sent.
 */
export function tooLarge(size: number | null, max: number, limit: SizeLimitName = IMPORT_LIMIT): PayloadTooLargeError {
  const { what, subject } = limit;
  if (size == null) return new PayloadTooLargeError(`${subject} is larger than the ${what} limit of ${formatBytes(max)}.`);
  // Just over the limit both round to the same figure ("50.0 MB; the limit is 50 MB"): show the bytes.
  const exact = formatBytes(size).replace(".0 ", " ") === formatBytes(max);
  return new PayloadTooLargeError(
    exact
      ? `${subject} is ${size} bytes; the ${what} limit is ${formatBytes(max)} (${max} bytes).`
      : `${subject} is ${formatBytes(size)}; the ${what} limit is ${formatBytes(max)}.`,
  );
}

/**
 * Reads a body stream into memory, stopping (and cancelling the stream) as soon as it
 * passes `max` bytes, so an oversized upload costs at most `max` bytes of memory whether
 * or not it declared its length.
 */
export async function readLimited(
  stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
  max: number,
  overLimit: () => Error = () => tooLarge(null, max),
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving a for-await early calls the iterator's return(), which cancels the stream.
  const iterable: AsyncIterable<Uint8Array> =
    Symbol.asyncIterator in (stream as object) ? (stream as AsyncIterable<Uint8Array>) : readableToIterable(stream as ReadableStream<Uint8Array>);
  for await (const chunk of iterable) {
    size += chunk.byteLength;
    if (size > max) throw overLimit();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

async function* readableToIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** A body that ended before the length it announced: something between the client and the handler cut it. */
export class IncompleteBodyError extends AppError {
  constructor(received: number, declared: number) {
    super(
      `The request body arrived incomplete: ${received} of the ${declared} bytes its Content-Length announced. Nothing was written; send it again.`,
      400,
      "incomplete_body",
    );
  }
}

/**
 * A request's whole body, never a part of it: a 413 naming the limit when it announces
 * more than `max` bytes or streams past them (chunked, no Content-Length), and
 * IncompleteBodyError when fewer bytes arrive than its Content-Length announced.
 */
export async function readRequestBody(req: Request, max: number, limit: SizeLimitName = IMPORT_LIMIT): Promise<Uint8Array> {
  const declared = declaredLength(req.headers);
  if (declared != null && declared > max) throw tooLarge(declared, max, limit);
  if (!req.body) {
    if (declared) throw new IncompleteBodyError(0, declared);
    return new Uint8Array(0);
  }
  const bytes = await readLimited(req.body, max, () => tooLarge(null, max, limit));
  if (declared != null && bytes.byteLength !== declared) throw new IncompleteBodyError(bytes.byteLength, declared);
  return bytes;
}

/** Bytes → text, or a clear error. Accepts UTF-8 (with or without BOM) and UTF-16 with a BOM. */
export function decodeText(bytes: Uint8Array, max: number = DEFAULT_MAX_IMPORT_BYTES): string {
  if (bytes.byteLength > max) throw tooLarge(bytes.byteLength, max);
  if (bytes.byteLength === 0) throw new ImportFileError("The file is empty (0 bytes).");
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = decode(bytes.subarray(2), "utf-16le");
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = decode(bytes.subarray(2), "utf-16be");
  else {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const nul = buf.indexOf(0);
    if (nul !== -1) {
      if (looksUtf16(buf)) throw new ImportFileError("The file looks like UTF-16 text without a byte-order mark; save it as UTF-8 and try again.");
      throw new ImportFileError(`The file contains binary data (a NUL byte at offset ${nul}); expected CSV or JSON text.`);
    }
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    text = decode(bytes.subarray(start), "utf-8");
  }
  if (text.includes("\u0000")) throw new ImportFileError("The file contains binary data (NUL characters); expected CSV or JSON text.");
  if (!text.trim()) throw new ImportFileError("The file is empty (only whitespace).");
  return text;
}

function decode(bytes: Uint8Array, encoding: "utf-8" | "utf-16le" | "utf-16be"): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new ImportFileError(
      encoding === "utf-8"
        ? "The file is not valid UTF-8 text (it may be Latin-1/Windows-1252 or binary); save it as UTF-8 and try again."
        : `The file is not valid ${encoding.toUpperCase()} text.`,
    );
  }
}

/** Every other byte zero in the first KB: UTF-16 text without its BOM. */
function looksUtf16(buf: Buffer): boolean {
  const n = Math.min(buf.length, 1024) & ~1;
  if (n < 4) return false;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  return evenZero > pairs * 0.6 || oddZero > pairs * 0.6;
}
