/**
 * JSON with bounds checked before parsing. V8's JSON.parse copes with deep nesting,
 * but everything after it that walks the value (JSON.stringify, zod, React, the
 * importer's cell flattening) recurses and overflows the stack at a few thousand
 * levels: a 500 for the caller. No document this app reads nests anywhere near
 * MAX_JSON_DEPTH, so a deeper one is refused as bad input, at the byte where it
 * crosses the limit, before anything is parsed or written.
 */
import { PayloadTooLargeError, ValidationError } from "@/lib/api/errors";

/** Deepest nesting accepted: `[]` and `{}` are depth 1, `{"a":[1]}` depth 2. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * The index (UTF-16, as in `text`) of the first bracket that opens level `maxDepth + 1`,
 * or -1 when the text never nests deeper than `maxDepth`. Brackets inside strings do not
 * count; a backslash escapes the next character. The text need not be valid JSON (NDJSON's
 * lines each start again at depth 0 since each closes what it opened); invalid JSON is left
 * to JSON.parse to describe.
 */
export function jsonDepthExceededAt(text: string, maxDepth: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote: one indexOf per escape instead of a compare per character.
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q < 0) return -1;
        let backslashes = 0;
        for (let k = q - 1; k > i && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
        i = q;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** UTF-8 byte offset of a string index (what an editor or `head -c` shows). */
export function byteOffset(text: string, index: number): number {
  return new TextEncoder().encode(text.slice(0, index)).length;
}

/** The one-line reason a text is refused for depth, or null when it is within bounds. */
export function jsonDepthProblem(text: string, maxDepth: number = MAX_JSON_DEPTH): string | null {
  const at = jsonDepthExceededAt(text, maxDepth);
  return at < 0 ? null : `nested deeper than ${maxDepth} levels at byte ${byteOffset(text, at)}`;
}

export interface JsonBounds {
  /** Largest text accepted, in UTF-8 bytes; unbounded when omitted (the caller bounded the read). */
  maxBytes?: number;
  maxDepth?: number;
  /** How messages name the text: "The body", "The mapping", "Stored custom fields". */
  what?: string;
  /** The field the ValidationError's issue names. */
  field?: string;
}

/**
 * Size and depth checked, then JSON.parse. Throws PayloadTooLargeError (413) over
 * `maxBytes` and ValidationError (422) when nested too deep or not JSON, each naming
 * the limit and where it was crossed.
 */
export function parseBoundedJson(text: string, bounds: JsonBounds = {}): unknown {
  const what = bounds.what ?? "The JSON";
  const field = bounds.field ?? "(body)";
  if (bounds.maxBytes !== undefined && text.length > bounds.maxBytes / 3) {
    // Only measure when the text could be over (a UTF-16 unit is at most 3 UTF-8 bytes).
    const size = new TextEncoder().encode(text).length;
    if (size > bounds.maxBytes) throw new PayloadTooLargeError(`${what} is ${size} bytes; the limit is ${bounds.maxBytes} bytes.`);
  }
  const depth = jsonDepthProblem(text, bounds.maxDepth);
  if (depth) throw new ValidationError(`${what} is ${depth}.`, [{ field, message: depth }]);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : "not valid JSON";
    throw new ValidationError(`${what} is not valid JSON: ${reason}`, [{ field, message: reason }]);
  }
}

/** Nesting depth of a parsed value, walked without recursion; stops counting past `limit`. */
export function valueDepth(value: unknown, limit: number = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d > deepest) deepest = d;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** What a stored custom field shows instead of a value nested too deep to print. */
export const TOO_DEEP_VALUE = `(a value nested deeper than ${MAX_JSON_DEPTH} levels, not shown)`;

/**
 * A stored JSON column read back as the `Record<string, string>` the app writes (custom
 * fields): anything else is made safe without recursion, so one row written by other means
 * (an old version, direct SQL) cannot overflow the stack where the value is rendered or
 * exported. Non-objects become `{}`; nested values are shown as JSON text unless too deep.
 */
export function storedStringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string") out[k] = v;
    else if (v === null || v === undefined) out[k] = "";
    else if (typeof v !== "object") out[k] = String(v);
    else out[k] = valueDepth(v) > MAX_JSON_DEPTH - 1 ? TOO_DEEP_VALUE : JSON.stringify(v);
  }
  return out;
}
