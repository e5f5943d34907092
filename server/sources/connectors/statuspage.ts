import "server-only";
import { isPlainObject } from "@/lib/import/sources/paths";
import { SyncError } from "../http";
import type { Connector } from "./types";

/**
 * Atlassian Statuspage's public API v2 `GET <page>/api/v2/incidents.json` (no key): the page's
 * most recent incidents with their updates, one answer (the public API has no pagination);
 * the base URL is the status page's own address (https://www.githubstatus.com).
 */
export const statuspageConnector: Connector = {
  vendor: "Statuspage",
  format: "statuspage",
  maxPageSize: 100,
  overlapMs: 0,
  firstWindowMs: 0,
  request(ctx) {
    return { url: `${ctx.baseUrl}/api/v2/incidents.json`, headers: {} };
  },
  readPage(json) {
    if (!isPlainObject(json) || !Array.isArray(json.incidents)) throw new SyncError('The status page answered without an "incidents" list (is the base URL the status page itself, e.g. https://www.githubstatus.com?)', true);
    return { items: json.incidents, next: null };
  },
};
