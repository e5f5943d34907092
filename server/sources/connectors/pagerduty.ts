import "server-only";
import { isPlainObject } from "@/lib/import/sources/paths";
import { SyncError } from "../http";
import type { Connector } from "./types";

const DAY = 86_400_000;
/** PagerDuty's classic pagination serves at most offset + limit = 10,000 records of one query. */
export const PAGERDUTY_MAX_OFFSET = 10_000;

/**
 * PagerDuty REST API v2 `GET /incidents` (PagerDuty/api-schema, reference/REST/openapiv3.json):
 * incidents created in [since, until) (UTC), oldest first, classic offset pagination
 * (`limit` at most 100, `offset`, `more`), scoped by `service_ids[]` / `team_ids[]`. The list
 * item carries what the metric reads (title, priority, urgency, status, created_at,
 * resolved_at, last_status_change_at, service, html_url); the file reader maps it.
 * Auth: `Authorization: Token token=<REST API key>`, versioned by the Accept header.
 */
export const pagerdutyConnector: Connector = {
  vendor: "PagerDuty",
  format: "pagerduty",
  maxPageSize: 100,
  overlapMs: 7 * DAY,
  firstWindowMs: 90 * DAY,
  maxWindowMs: 180 * DAY,
  request(ctx, cursor) {
    const offset = typeof cursor?.offset === "number" ? cursor.offset : 0;
    const since = typeof cursor?.since === "number" ? cursor.since : ctx.since;
    const q = new URLSearchParams({
      since: new Date(since).toISOString(),
      until: new Date(ctx.until).toISOString(),
      limit: String(ctx.pageSize),
      offset: String(offset),
      time_zone: "UTC",
      sort_by: "created_at:asc",
    });
    for (const id of (ctx.scope.services as string[] | undefined) ?? []) q.append("service_ids[]", id);
    for (const id of (ctx.scope.teams as string[] | undefined) ?? []) q.append("team_ids[]", id);
    return {
      url: `${ctx.baseUrl}/incidents?${q}`,
      headers: { accept: "application/vnd.pagerduty+json;version=2", authorization: `Token token=${ctx.credential ?? ""}` },
    };
  },
  readPage(json, ctx, cursor) {
    if (!isPlainObject(json) || !Array.isArray(json.incidents)) throw new SyncError('PagerDuty answered without an "incidents" list (is the base URL the REST API, https://api.pagerduty.com?)', true);
    const offset = typeof cursor?.offset === "number" ? cursor.offset : 0;
    const items = json.incidents;
    // `more` with an empty page would ask for the same page forever.
    const more = json.more === true && items.length > 0;
    if (!more) return { items, next: null };
    const next = offset + items.length;
    if (next + ctx.pageSize <= PAGERDUTY_MAX_OFFSET) return { items, next: { ...(typeof cursor?.since === "number" ? { since: cursor.since } : {}), offset: next } };
    // Classic pagination stops at offset + limit = 10,000: go on from the last incident's creation
    // time with a fresh offset (oldest first, so nothing is skipped; the few re-read are unchanged).
    const last = items[items.length - 1];
    const lastCreated = isPlainObject(last) && typeof last.created_at === "string" ? Date.parse(last.created_at) : NaN;
    const prevSince = typeof cursor?.since === "number" ? cursor.since : ctx.since;
    if (!Number.isFinite(lastCreated) || lastCreated <= prevSince) throw new SyncError("PagerDuty has more than 10,000 incidents created in the same second of the window; narrow the scope", false);
    return { items, next: { since: lastCreated, offset: 0 } };
  },
};
