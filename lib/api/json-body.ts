/**
 * Reading a route handler's JSON body with its size and depth bounded before parsing:
 * instead of `req.json()`, which reads any length and hands any nesting to code that
 * recurses over it.
 */
import { PayloadTooLargeError, ValidationError } from "@/lib/api/errors";
import { MAX_JSON_DEPTH, parseBoundedJson } from "@/lib/json/bounded";

/** Largest JSON body an API route accepts (bulk edits of 1000 ids and a full policy are a few KB). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export interface JsonBodyOptions {
  maxBytes?: number;
  maxDepth?: number;
  /** What to send instead, for the error's issue: "send a JSON object of curated fields". */
  hint: string;
}

function tooLarge(max: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The body is larger than this endpoint's limit of ${max} bytes (${Math.round(max / 1024)} KB).`);
}

/** The body's bytes, stopping as soon as they pass `max` (a lying or missing Content-Length changes nothing). */
async function readCapped(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge(max);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * The request's JSON body, or a 413 (over `maxBytes`, default 1 MB) / 422 (empty, not
 * UTF-8, nested deeper than `maxDepth`, not JSON) naming what is wrong. Reads the body
 * once; nothing downstream sees a value that was not checked.
 */
export async function readJsonBody(req: Request, opts: JsonBodyOptions): Promise<unknown> {
  const max = opts.maxBytes ?? MAX_JSON_BODY_BYTES;
  const bytes = await readCapped(req, max);
  if (bytes.byteLength === 0) throw new ValidationError("The body is empty", [{ field: "(body)", message: opts.hint }]);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError("The body is not UTF-8 text", [{ field: "(body)", message: opts.hint }]);
  }
  try {
    return parseBoundedJson(text, { maxDepth: opts.maxDepth ?? MAX_JSON_DEPTH, what: "The body" });
  } catch (err) {
    // Keep the reason and add what to send instead.
    if (err instanceof ValidationError) throw new ValidationError(err.message, [...err.issues.map((i) => ({ ...i, field: "(body)" })), { field: "(body)", message: opts.hint }]);
    throw err;
  }
}
