/** JSON shapes of the incidents API (pure; shared by the route handlers). */
import { ConflictError } from "@/lib/api/errors";
import { INSTANT_FIELDS, type CuratedField, type CurationValues } from "@/lib/validation/curation";
import { CURATED_FIELDS, pickFields } from "./fields";
import { curationJson, iso } from "./json";

type ChangeLike = { field: CuratedField; from: unknown; to: unknown; by: string; at: number; version: number };

function valueJson(field: CuratedField, v: unknown): unknown {
  return INSTANT_FIELDS.has(field) && typeof v === "number" ? iso(v) : v;
}

/** A curation state (values + bookkeeping) as JSON. */
export function curationStateJson(c: CurationValues & { version: number; reviewedAt: number | null; reviewedBy: string | null; updatedAt: number | null; updatedBy: string | null; duplicateOfId: number | null }) {
  const { version, reviewedAt, reviewedBy, updatedAt, updatedBy, duplicateOfId } = c;
  return { ...curationJson(pickValues(c)), version, reviewedAt: iso(reviewedAt), reviewedBy, updatedAt: iso(updatedAt), updatedBy, duplicateOfId };
}

function pickValues(c: CurationValues): CurationValues {
  return pickFields(c, CURATED_FIELDS);
}

/** A ConflictError from the writer, re-expressed with ISO instants for API callers. */
export function conflictForApi(err: ConflictError): ConflictError {
  const cur = err.current as Parameters<typeof curationStateJson>[0] & { changedSince?: ChangeLike[] };
  return new ConflictError(err.message, {
    ...curationStateJson(cur),
    changedSince: (cur.changedSince ?? []).map((ch) => ({ ...ch, from: valueJson(ch.field, ch.from), to: valueJson(ch.field, ch.to), at: iso(ch.at) })),
  });
}

/** An audit row of an incident as history JSON. */
export function historyJson(r: { id: number; at: number; actorLabel: string; action: string; before: unknown; after: unknown; detail: unknown }) {
  const conv = (o: unknown) =>
    o && typeof o === "object" ? Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k, valueJson(k as CuratedField, v)])) : o;
  return { id: r.id, at: iso(r.at), by: r.actorLabel, action: r.action, before: conv(r.before), after: conv(r.after), detail: r.detail };
}
