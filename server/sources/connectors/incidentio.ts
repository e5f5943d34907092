import "server-only";
import { isPlainObject } from "@/lib/import/sources/paths";
import { SyncError } from "../http";
import type { Connector } from "./types";

const DAY = 86_400_000;

/**
 * incident.io API v2 `GET /v2/incidents` (OpenAPI document vendored in incident-io/singer-tap,
 * client/openapi3.json: `IncidentsListResultV2` = `{incidents, pagination_meta: {after,
 * page_size, total_record_count}}`): cursor pagination by `page_size` and `after` (the id
 * to continue after), incrementally by `updated_at[gte]` (a date: the window's first day),
 * so incidents resolved since the last sync are read again. Bearer API key.
 */
export const incidentioConnector: Connector = {
  vendor: "incident.io",
  format: "incidentio",
  maxPageSize: 250,
  overlapMs: 1 * DAY,
  firstWindowMs: 365 * DAY,
  request(ctx, cursor) {
    const q = new URLSearchParams({ page_size: String(ctx.pageSize) });
    if (typeof cursor?.after === "string") q.set("after", cursor.after);
    q.set("updated_at[gte]", new Date(ctx.since).toISOString().slice(0, 10));
    return { url: `${ctx.baseUrl}/v2/incidents?${q}`, headers: { authorization: `Bearer ${ctx.credential ?? ""}` } };
  },
  readPage(json) {
    if (!isPlainObject(json) || !Array.isArray(json.incidents)) throw new SyncError('incident.io answered without an "incidents" list (is the base URL https://api.incident.io?)', true);
    const meta = isPlainObject(json.pagination_meta) ? json.pagination_meta : {};
    const after = typeof meta.after === "string" && meta.after ? meta.after : null;
    // The list ends with an empty page or a page without `after`.
    return { items: json.incidents, next: json.incidents.length && after ? { after } : null };
  },
};
