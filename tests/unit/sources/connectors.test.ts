import { expect, test } from "vitest";
import { jiraConnector, windowJql } from "@/server/sources/connectors/jira";
import { incidentioConnector } from "@/server/sources/connectors/incidentio";
import { pagerdutyConnector } from "@/server/sources/connectors/pagerduty";
import type { ConnectorContext } from "@/server/sources/connectors/types";

const SINCE = Date.parse("2026-02-01T00:00:00Z");
const UNTIL = Date.parse("2026-03-01T12:00:00Z");
const ctx = (baseUrl: string, scope: Record<string, unknown> = {}, credential: string | null = "k"): ConnectorContext => ({ baseUrl, scope, credential, since: SINCE, until: UNTIL, pageSize: 50 });

test("Jira JQL: the scope narrowed to the window, its own ORDER BY replaced", () => {
  expect(windowJql("project = INC ORDER BY created DESC", SINCE)).toBe('(project = INC) AND updated >= "2026-02-01" ORDER BY updated ASC');
  expect(windowJql("", SINCE)).toBe('updated >= "2026-02-01" ORDER BY updated ASC');
});

test("Jira Cloud pages by nextPageToken until isLast; email:token is basic auth", () => {
  const c = ctx("https://acme.atlassian.net", { text: "project = INC" }, "me@acme.example:tok");
  const first = jiraConnector.request(c, null);
  expect(first.url).toMatch(/^https:\/\/acme\.atlassian\.net\/rest\/api\/3\/search\/jql\?/);
  expect(new URL(first.url).searchParams.get("expand")).toBe("names");
  expect(first.headers.authorization).toBe(`Basic ${Buffer.from("me@acme.example:tok").toString("base64")}`);
  const page = jiraConnector.readPage({ issues: [{ key: "INC-1" }], nextPageToken: "t2", isLast: false }, c, null);
  expect(page.next).toEqual({ nextPageToken: "t2" });
  expect(new URL(jiraConnector.request(c, page.next).url).searchParams.get("nextPageToken")).toBe("t2");
  expect(jiraConnector.readPage({ issues: [{ key: "INC-2" }], isLast: true }, c, page.next).next).toBeNull();
  // A token that does not move ends the sync instead of looping.
  expect(jiraConnector.readPage({ issues: [{ key: "INC-2" }], nextPageToken: "t2", isLast: false }, c, page.next).next).toBeNull();
});

test("Jira Data Center pages by startAt/total with a bearer token", () => {
  const c = ctx("https://jira.acme.example", {}, "pat-123");
  const r = jiraConnector.request(c, { startAt: 50 });
  expect(r.url).toContain("/rest/api/2/search?");
  expect(new URL(r.url).searchParams.get("startAt")).toBe("50");
  expect(r.headers.authorization).toBe("Bearer pat-123");
  expect(jiraConnector.readPage({ issues: new Array(50).fill({}), startAt: 50, maxResults: 50, total: 120 }, c, { startAt: 50 }).next).toEqual({ startAt: 100 });
  expect(jiraConnector.readPage({ issues: new Array(20).fill({}), startAt: 100, maxResults: 50, total: 120 }, c, { startAt: 100 }).next).toBeNull();
});

test("PagerDuty: a page saying more with no incidents ends the sync", () => {
  const c = ctx("https://api.pagerduty.com");
  expect(pagerdutyConnector.readPage({ incidents: [], more: true }, c, { offset: 100 }).next).toBeNull();
  expect(pagerdutyConnector.readPage({ incidents: [{}, {}], more: true }, c, { offset: 100 }).next).toEqual({ offset: 102 });
});

test("incident.io asks from the window's first day and continues after the cursor", () => {
  const r = incidentioConnector.request(ctx("https://api.incident.io"), { after: "01ABC" });
  const q = new URL(r.url).searchParams;
  expect(q.get("after")).toBe("01ABC");
  expect(q.get("updated_at[gte]")).toBe("2026-02-01");
  expect(r.headers.authorization).toBe("Bearer k");
});

test("PagerDuty: at the 10,000-record cap the next page starts a new window at the last incident's creation time", () => {
  const c = { ...ctx("https://api.pagerduty.com"), pageSize: 100 };
  const items = [{ created_at: "2026-02-20T10:00:00Z" }, { created_at: "2026-02-20T11:00:00Z" }];
  expect(pagerdutyConnector.readPage({ incidents: items, more: true }, c, { offset: 9800 }).next).toEqual({ offset: 9802 });
  const at = Date.parse("2026-02-20T11:00:00Z");
  const full = new Array(98).fill(items[0]).concat(items);
  // offset 9900 + limit 100 is the last page the cap allows; after it, a new window.
  expect(pagerdutyConnector.readPage({ incidents: full, more: true }, c, { offset: 9800 }).next).toEqual({ offset: 9900 });
  expect(pagerdutyConnector.readPage({ incidents: full, more: true }, c, { offset: 9900 }).next).toEqual({ since: at, offset: 0 });
  const r = pagerdutyConnector.request(c, { since: at, offset: 100 });
  expect(new URL(r.url).searchParams.get("since")).toBe("2026-02-20T11:00:00.000Z");
  expect(new URL(r.url).searchParams.get("offset")).toBe("100");
  expect(pagerdutyConnector.readPage({ incidents: items, more: true }, c, { since: at, offset: 100 }).next).toEqual({ since: at, offset: 102 });
});
