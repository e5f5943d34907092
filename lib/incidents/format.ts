/** Display helpers for incident screens: instants in the organisation's time zone. Pure; safe in client components. */
import { TZDate } from "@date-fns/tz";
import { INSTANT_FIELDS, type CuratedField } from "@/lib/validation/curation";

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false, timeZoneName: "short" });
    fmtCache.set(tz, f);
  }
  return f;
}

/** `2024-05-15 10:00 PDT`, or "—" for null. */
export function formatInstant(ms: number | null | undefined, tz: string): string {
  if (ms == null) return "—";
  const parts = Object.fromEntries(formatter(tz).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return `${parts.year}-${parts.month}-${parts.day} ${hour}:${parts.minute} ${parts.timeZoneName ?? ""}`.trim();
}

/** Epoch ms → the value of an `<input type="datetime-local">` showing wall-clock time in `tz`. */
export function toLocalInput(ms: number | null | undefined, tz: string): string {
  if (ms == null) return "";
  const d = new TZDate(ms, tz);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value read as wall-clock time in `tz` → epoch ms; "" → null; unreadable → NaN. */
export function fromLocalInput(value: string, tz: string): number | null {
  const v = value.trim();
  if (!v) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return NaN;
  return new TZDate(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, tz).getTime();
}

/** A curated value for tables (history, conflicts): instants in `tz`, lists joined, empty as "—". */
export function displayValue(field: CuratedField, v: unknown, tz: string): string {
  if (v == null || v === "" || (Array.isArray(v) && v.length === 0)) return "—";
  if (INSTANT_FIELDS.has(field) && typeof v === "number") return formatInstant(v, tz);
  if (Array.isArray(v)) return v.join(", ");
  return String(v);
}
