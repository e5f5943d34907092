/**
 * The audit trail's before/after values as a readable list of changes instead of raw JSON:
 * only the fields that differ, nested objects as dotted paths, numbers rounded to 3 decimals
 * (no 15.131684722222221), epoch-ms fields named `…At` as UTC times. Pure.
 */

export interface AuditChange {
  /** Dotted path of the field ("mediumRule.minDurationMinutes"); "" for a whole scalar value. */
  field: string;
  /** Display text; null when the field did not exist on that side. */
  before: string | null;
  after: string | null;
}

const MAX_DEPTH = 4;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A number for reading: integers as they are, others to 3 decimals (trailing zeros dropped). */
export function formatAuditNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return String(Math.round(n * 1000) / 1000);
}

/** One value as display text: strings as they are, lists comma-separated, objects as compact JSON with rounded numbers. */
export function formatAuditValue(value: unknown, field = ""): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    // Epoch milliseconds in a field such as reviewedAt: a time, not 1796135323796.
    if (/At$/.test(field) && Number.isInteger(value) && value > 1e11) return `${new Date(value).toISOString().replace("T", " ").slice(0, 19)} UTC`;
    return formatAuditNumber(value);
  }
  if (typeof value === "string") return value === "" ? '""' : value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map((v) => formatAuditValue(v)).join(", ") : "none";
  return JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v));
}

/** Leaves of `value` by dotted path (objects descended up to MAX_DEPTH; arrays kept whole). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>, depth = 0): Map<string, unknown> {
  if (isPlainObject(value) && depth < MAX_DEPTH && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  } else out.set(prefix, value);
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What changed between `before` and `after` (either may be null: a creation or a removal).
 * Fields equal on both sides are left out; the order is `after`'s, then fields only in `before`.
 */
export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b = before == null ? new Map<string, unknown>() : flatten(before, "", new Map());
  const a = after == null ? new Map<string, unknown>() : flatten(after, "", new Map());
  const fields = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const hasB = b.has(field);
    const hasA = a.has(field);
    if (hasB && hasA && same(b.get(field), a.get(field))) continue;
    const leaf = field.split(".").at(-1) ?? "";
    changes.push({
      field,
      before: hasB ? formatAuditValue(b.get(field), leaf) : null,
      after: hasA ? formatAuditValue(a.get(field), leaf) : null,
    });
  }
  return changes;
}
