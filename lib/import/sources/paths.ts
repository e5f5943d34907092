import type { SourceRecord } from "./mapping";

/**
 * Reading an API's nested JSON by path. `flattenRecord` turns one object into a flat
 * record keyed by dotted paths (`priority.summary`, `service.summary`), so a source
 * mapping names nested values the way the vendor's reference does and every leaf it
 * does not map is kept as a custom field under its path. A list of objects becomes one
 * list per leaf path (`teams.summary` → every team's summary).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export interface FlattenOptions {
  /** Paths (dotted, as they would be keyed) left out with everything under them. */
  drop?: (path: string, key: string) => boolean;
}

function leaf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

function add(out: SourceRecord, path: string, value: string | string[]): void {
  const prev = out[path];
  if (prev === undefined) out[path] = value;
  else out[path] = [...(Array.isArray(prev) ? (prev as string[]) : [prev as string]), ...(Array.isArray(value) ? value : [value])];
}

function walk(v: unknown, path: string, out: SourceRecord, opts: FlattenOptions, inList: boolean): void {
  if (Array.isArray(v)) {
    for (const item of v) walk(item, path, out, opts, true);
    if (!v.length && !inList && path) out[path] = [];
    return;
  }
  if (isPlainObject(v)) {
    for (const [k, child] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (opts.drop?.(p, k)) continue;
      walk(child, p, out, opts, inList);
    }
    return;
  }
  const s = leaf(v);
  if (s === null || !path) return;
  if (inList) add(out, path, [s]);
  else out[path] = s;
}

/** One object → `{ "a.b": "x", "list.name": ["p", "q"] }`; nulls are left out. */
export function flattenRecord(obj: Record<string, unknown>, opts: FlattenOptions = {}): SourceRecord {
  const out: SourceRecord = {};
  walk(obj, "", out, opts, false);
  return out;
}

/** The value at a dotted path (`fields.priority.name`), or undefined. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** The text at a path: a string or number as text; anything else (absent, null, an object) undefined. */
export function textAt(obj: unknown, path: string): string | undefined {
  const v = at(obj, path);
  if (typeof v === "string") return v.trim() ? v : undefined;
  if (typeof v === "number") return String(v);
  return undefined;
}

/**
 * API references carry plumbing that means nothing to a reader (`self`, and a nested
 * reference's `id`, `type` and `html_url`): dropped from the custom fields.
 */
export const dropApiPlumbing = (path: string, key: string): boolean => key === "self" || (path.includes(".") && (key === "type" || key === "html_url" || key === "id"));
