import fs from "node:fs";
import path from "node:path";
import { startFakeServer, type FakeServer } from "./server";

/**
 * Fake incident.io, Statuspage, Jira and Opsgenie APIs on 127.0.0.1. Each item is the
 * vendor's own shape, cloned from the fixtures written from its published document
 * (tests/fixtures/import/vendors/README.md names each document) with our ids and times;
 * each fake pages as that document says. `items` can be changed between requests.
 */
const VENDORS = path.join(__dirname, "../../fixtures/import/vendors");
const fixture = (file: string) => JSON.parse(fs.readFileSync(path.join(VENDORS, file), "utf8")) as Record<string, unknown[]> & Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const iso = (ms: number) => new Date(ms).toISOString();

export type Item = Record<string, unknown>;
export interface FakeVendor extends FakeServer {
  items: Item[];
  credential: string;
}

function unauthorized(status = 401, body: unknown = { message: "Unauthorized" }) {
  return { status, body };
}

/** incident.io API v2 incident (IncidentV2) #n, reported at `t`, resolved 40 minutes later. */
export function incidentioItem(n: number, t: number, prefix = "01HZ"): Item {
  const it = clone(fixture("incidentio-api-incidents.json").incidents[0] as Item);
  it.id = `${prefix}${String(n).padStart(22 - prefix.length, "0")}`;
  it.reference = `INC-${n}`;
  it.name = `Payments failing ${n}`;
  it.created_at = iso(t);
  it.updated_at = iso(t + 40 * 60_000);
  it.permalink = `https://app.incident.io/acme/incidents/${n}`;
  for (const v of it.incident_timestamp_values as { incident_timestamp: { name: string }; value: { value: string } | null }[]) {
    const name = v.incident_timestamp.name;
    if (name === "Reported at") v.value = { value: iso(t) };
    else if (name === "Resolved at" || name === "Closed at") v.value = { value: iso(t + 40 * 60_000) };
    else if (name === "Impact started at") v.value = { value: iso(t - 5 * 60_000) };
    else if (name === "Impact ended at" || name === "Fixed at") v.value = { value: iso(t + 35 * 60_000) };
    else if (v.value) v.value = { value: iso(t + 60_000) };
  }
  return it;
}

/**
 * incident.io `GET /v2/incidents` (`IncidentsListResultV2`): `page_size` (at most 250,
 * default 25), `after` = the id to continue after, `updated_at[gte]` = a date; items in id
 * order; `pagination_meta.after` = the page's last id. Bearer API key.
 */
export async function startFakeIncidentio(credential = "incidentio-test-key"): Promise<FakeVendor> {
  const items: Item[] = [];
  const auth = { credential };
  const server = await startFakeServer((req) => {
    if (req.headers.authorization !== `Bearer ${auth.credential}`) return unauthorized(401, { type: "authentication_error", status: 401, errors: [{ code: "unauthenticated", message: "Invalid API key" }] });
    if (req.path !== "/v2/incidents") return { status: 404, body: { type: "not_found", status: 404 } };
    const size = Number(req.query.get("page_size") ?? 25);
    if (!Number.isInteger(size) || size < 1 || size > 250) return { status: 422, body: { type: "validation_error", status: 422, errors: [{ code: "invalid_value", source: { field: "page_size" } }] } };
    const after = req.query.get("after");
    const since = req.query.get("updated_at[gte]");
    const list = items
      .filter((i) => !since || String(i.updated_at).slice(0, 10) >= since)
      .sort((a, b) => String(a.id).localeCompare(String(b.id)))
      .filter((i) => !after || String(i.id) > after);
    const page = list.slice(0, size);
    const meta: Record<string, unknown> = { page_size: size, total_record_count: list.length };
    if (page.length) meta.after = page[page.length - 1].id;
    return { status: 200, body: { incidents: page, pagination_meta: meta } };
  });
  return Object.defineProperties(Object.assign(server, { items }), { credential: { get: () => auth.credential, set: (v: string) => (auth.credential = v) } }) as FakeVendor;
}

/** A Statuspage v2 incident #n, started at `t`, as `/api/v2/incidents.json` lists it. */
export function statuspageItem(n: number, t: number, prefix = "sp"): Item {
  const id = `${prefix}${String(n).padStart(10, "0")}`;
  return {
    id,
    name: `Degraded performance for Git operations ${n}`,
    status: "resolved",
    created_at: iso(t),
    updated_at: iso(t + 3_600_000),
    monitoring_at: null,
    resolved_at: iso(t + 3_600_000),
    impact: "major",
    shortlink: `https://stspg.io/${id}`,
    started_at: iso(t),
    page_id: "kctbh9vrtdwd",
    incident_updates: [
      { id: `${id}u2`, status: "resolved", body: "This incident has been resolved.", incident_id: id, created_at: iso(t + 3_600_000), updated_at: iso(t + 3_600_000), display_at: iso(t + 3_600_000), affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null },
      { id: `${id}u1`, status: "investigating", body: "We are investigating reports of degraded performance.", incident_id: id, created_at: iso(t), updated_at: iso(t), display_at: iso(t), affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null },
    ],
    components: [{ id: "8l4ygp009s5s", name: "Git Operations", status: "operational", created_at: iso(t), updated_at: iso(t), position: 1, description: "Performance of git clones, pulls, pushes, and associated operations", showcase: false, start_date: null, group_id: null, page_id: "kctbh9vrtdwd", group: false, only_show_if_degraded: false }],
  };
}

/** Statuspage's public `GET /api/v2/incidents.json`: `{page, incidents}` (the 50 most recent, newest first), no key. */
export async function startFakeStatuspage(): Promise<FakeVendor> {
  const items: Item[] = [];
  const server = await startFakeServer((req) => {
    if (req.path !== "/api/v2/incidents.json") return { status: 404, body: { error: "Not found" } };
    const list = [...items].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at))).slice(0, 50);
    return { status: 200, body: { page: { id: "kctbh9vrtdwd", name: "GitHub", url: "https://www.githubstatus.com", time_zone: "Etc/UTC", updated_at: iso(Date.now()) }, incidents: list } };
  });
  return Object.assign(server, { items, credential: "" });
}

/** A Jira issue (REST v3 shape) OPS-n, created at `t`, resolved 30 minutes later. */
export function jiraItem(n: number, t: number, project = "OPS"): Item {
  const it = clone(fixture("jira-search-issues.json").issues[0] as Item);
  const f = it.fields as Record<string, unknown>;
  it.id = String(20000 + n);
  it.key = `${project}-${n}`;
  it.self = `https://jira.acme.example/rest/api/2/issue/${it.id}`;
  f.summary = `Checkout 500s after release ${n}`;
  f.created = iso(t);
  f.updated = iso(t + 30 * 60_000);
  f.resolutiondate = iso(t + 30 * 60_000);
  for (const k of Object.keys(f)) if (k.startsWith("customfield_1006")) f[k] = null;
  return it;
}

/**
 * Jira Data Center / Server `GET /rest/api/2/search` (`startAt`, `maxResults` at most 100,
 * `total`, `issues`, `names` with expand=names) and Jira Cloud `GET /rest/api/3/search/jql`
 * (`nextPageToken`, `isLast`). JQL is read only for `updated >= "YYYY-MM-DD"`.
 * Auth: Basic `email:token` or a Bearer personal access token.
 */
export async function startFakeJira(credential = "ops@acme.example:jira-api-token"): Promise<FakeVendor & { jql: string[] }> {
  const items: Item[] = [];
  const jql: string[] = [];
  const auth = { credential };
  const names = fixture("jira-search-issues.json").names;
  const server = await startFakeServer((req) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from(auth.credential).toString("base64")}` || req.headers.authorization === `Bearer ${auth.credential}`;
    if (!ok) return unauthorized(401, { errorMessages: ["You are not authenticated. Authentication required to perform this operation."], errors: {} });
    const q = req.query.get("jql") ?? "";
    jql.push(q);
    const m = /updated >= "(\d{4}-\d{2}-\d{2})"/.exec(q);
    const list = items
      .filter((i) => !m || String((i.fields as Record<string, unknown>).updated).slice(0, 10) >= m[1])
      .sort((a, b) => String((a.fields as Record<string, unknown>).updated).localeCompare(String((b.fields as Record<string, unknown>).updated)) || Number(a.id) - Number(b.id));
    const max = Math.min(100, Number(req.query.get("maxResults") ?? 50));
    if (req.path === "/rest/api/2/search") {
      const startAt = Number(req.query.get("startAt") ?? 0);
      return { status: 200, body: { expand: "names,schema", startAt, maxResults: max, total: list.length, issues: list.slice(startAt, startAt + max), names } };
    }
    if (req.path === "/rest/api/3/search/jql") {
      const start = Number(req.query.get("nextPageToken") ?? 0);
      const page = list.slice(start, start + max);
      const last = start + page.length >= list.length;
      return { status: 200, body: { issues: page, names, isLast: last, ...(last ? {} : { nextPageToken: String(start + page.length) }) } };
    }
    return { status: 404, body: { errorMessages: ["Not found"] } };
  });
  return Object.defineProperties(Object.assign(server, { items, jql }), { credential: { get: () => auth.credential, set: (v: string) => (auth.credential = v) } }) as FakeVendor & { jql: string[] };
}

/** An Opsgenie incident #n (Incident API shape), created at `t`. */
export function opsgenieItem(n: number, t: number): Item {
  const it = clone(fixture("opsgenie-incidents.json").data[0] as Item);
  it.id = `0e0f0000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  it.tinyId = String(n);
  it.message = `Checkout unavailable ${n}`;
  it.createdAt = iso(t);
  it.updatedAt = iso(t + 40 * 60_000);
  it.impactStartDate = iso(t - 5 * 60_000);
  it.impactEndDate = iso(t + 35 * 60_000);
  return it;
}

/** Opsgenie `GET /v1/incidents`: `offset`, `limit` (at most 100), `sort`/`order`; `{data, paging: {next?, first, last}, took, requestId}`; `GenieKey` auth. */
export async function startFakeOpsgenie(credential = "opsgenie-test-key"): Promise<FakeVendor> {
  const items: Item[] = [];
  const auth = { credential };
  const server = await startFakeServer((req) => {
    if (req.headers.authorization !== `GenieKey ${auth.credential}`) return unauthorized(401, { message: "Could not authenticate", took: 0.001, requestId: "r-401" });
    if (req.path !== "/v1/incidents") return { status: 404, body: { message: "Not found", took: 0, requestId: "r-404" } };
    const offset = Number(req.query.get("offset") ?? 0);
    const limit = Number(req.query.get("limit") ?? 20);
    if (limit < 1 || limit > 100) return { status: 422, body: { message: "limit must be 1..100", took: 0, requestId: "r-422" } };
    const desc = (req.query.get("order") ?? "desc") === "desc";
    const list = [...items].sort((a, b) => (desc ? -1 : 1) * String(a.createdAt).localeCompare(String(b.createdAt)));
    const page = list.slice(offset, offset + limit);
    const base = `https://api.opsgenie.com/v1/incidents?limit=${limit}&sort=createdAt&order=${desc ? "desc" : "asc"}`;
    const paging: Record<string, string> = { first: `${base}&offset=0`, last: `${base}&offset=${Math.max(0, list.length - limit)}` };
    if (offset + page.length < list.length) paging.next = `${base}&offset=${offset + page.length}`;
    return { status: 200, body: { data: page, paging, took: 0.05, requestId: "r-200" } };
  });
  return Object.defineProperties(Object.assign(server, { items }), { credential: { get: () => auth.credential, set: (v: string) => (auth.credential = v) } }) as FakeVendor;
}
