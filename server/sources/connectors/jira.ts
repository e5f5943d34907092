import "server-only";
import { isPlainObject } from "@/lib/import/sources/paths";
import { SyncError } from "../http";
import type { Connector, ConnectorContext } from "./types";

const DAY = 86_400_000;

/** Jira Cloud (`*.atlassian.net`) has the enhanced search; Data Center and Server the classic one. */
function isCloud(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname.endsWith(".atlassian.net");
  } catch {
    return false;
  }
}

/** The scope's JQL, narrowed to issues updated since the window's first day, oldest change first. */
export function windowJql(scope: string, since: number): string {
  const day = new Date(since).toISOString().slice(0, 10);
  const base = scope.replace(/\s+order\s+by\s+.*$/i, "").trim();
  return `${base ? `(${base}) AND ` : ""}updated >= "${day}" ORDER BY updated ASC`;
}

function authHeader(credential: string | null): string {
  // `email:api-token` (Jira Cloud) is basic auth; anything else a personal access token (Data Center).
  const c = credential ?? "";
  return c.includes(":") ? `Basic ${Buffer.from(c).toString("base64")}` : `Bearer ${c}`;
}

/**
 * Jira / JSM issue search by JQL (the scope), with `expand=names` so custom fields keep their
 * names. Jira Cloud: `GET /rest/api/3/search/jql` paged by `nextPageToken` until `isLast`.
 * Data Center / Server (any other host): `GET /rest/api/2/search` paged by `startAt` /
 * `maxResults` / `total`. Either answer is read by startAt when it carries `total`.
 */
export const jiraConnector: Connector = {
  vendor: "Jira",
  format: "jira",
  maxPageSize: 100,
  overlapMs: 1 * DAY,
  firstWindowMs: 365 * DAY,
  request(ctx: ConnectorContext, cursor) {
    const jql = windowJql(typeof ctx.scope.text === "string" ? ctx.scope.text : "", ctx.since);
    const q = new URLSearchParams({ jql, maxResults: String(ctx.pageSize), fields: "*all", expand: "names" });
    const headers = { authorization: authHeader(ctx.credential) };
    if (isCloud(ctx.baseUrl) && typeof cursor?.startAt !== "number") {
      if (typeof cursor?.nextPageToken === "string") q.set("nextPageToken", cursor.nextPageToken);
      return { url: `${ctx.baseUrl}/rest/api/3/search/jql?${q}`, headers };
    }
    q.set("startAt", String(typeof cursor?.startAt === "number" ? cursor.startAt : 0));
    return { url: `${ctx.baseUrl}/rest/api/2/search?${q}`, headers };
  },
  readPage(json, _ctx, cursor) {
    if (!isPlainObject(json) || !Array.isArray(json.issues)) throw new SyncError('Jira answered without an "issues" list (is the base URL the Jira site, e.g. https://your-site.atlassian.net?)', true);
    const items = json.issues;
    if (typeof json.total === "number" && typeof json.startAt === "number") {
      const next = json.startAt + items.length;
      return { items, next: items.length && next < json.total ? { startAt: next } : null };
    }
    const token = typeof json.nextPageToken === "string" && json.nextPageToken ? json.nextPageToken : null;
    // A token that does not move would ask for the same page forever.
    const more = json.isLast !== true && token !== null && token !== cursor?.nextPageToken && items.length > 0;
    return { items, next: more ? { nextPageToken: token } : null };
  },
};
