import "server-only";
import { isPlainObject } from "@/lib/import/sources/paths";
import { SyncError } from "../http";
import type { Connector } from "./types";

const DAY = 86_400_000;

/**
 * Opsgenie Incident API `GET /v1/incidents` (docs.opsgenie.com/docs/incident-api, List
 * incidents: `{data, paging: {next, first, last}, took, requestId}`), newest first
 * (`sort=createdAt&order=desc`), paged by `offset`/`limit` (at most 100) while `paging.next`
 * is given, and stopping at the first page reaching back past the window's start. `query`
 * is the scope (Opsgenie's incident search syntax). Auth: `Authorization: GenieKey <key>`.
 * EU accounts use https://api.eu.opsgenie.com.
 */
export const opsgenieConnector: Connector = {
  vendor: "Opsgenie",
  format: "opsgenie",
  maxPageSize: 100,
  overlapMs: 7 * DAY,
  firstWindowMs: 365 * DAY,
  request(ctx, cursor) {
    const q = new URLSearchParams({ offset: String(typeof cursor?.offset === "number" ? cursor.offset : 0), limit: String(ctx.pageSize), sort: "createdAt", order: "desc" });
    if (typeof ctx.scope.text === "string" && ctx.scope.text) q.set("query", ctx.scope.text);
    return { url: `${ctx.baseUrl}/v1/incidents?${q}`, headers: { authorization: `GenieKey ${ctx.credential ?? ""}` } };
  },
  readPage(json, ctx, cursor) {
    if (!isPlainObject(json) || !Array.isArray(json.data)) throw new SyncError('Opsgenie answered without a "data" list (is the base URL https://api.opsgenie.com or https://api.eu.opsgenie.com?)', true);
    const items = json.data;
    const offset = typeof cursor?.offset === "number" ? cursor.offset : 0;
    const paging = isPlainObject(json.paging) ? json.paging : {};
    const oldest = items.reduce<number>((min, it) => {
      const t = isPlainObject(it) && typeof it.createdAt === "string" ? Date.parse(it.createdAt) : NaN;
      return Number.isFinite(t) ? Math.min(min, t) : min;
    }, Infinity);
    const more = typeof paging.next === "string" && paging.next !== "" && items.length > 0 && oldest >= ctx.since;
    return { items, next: more ? { offset: offset + items.length } : null };
  },
};
