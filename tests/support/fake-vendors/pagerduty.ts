import { startFakeServer, type FakeServer } from "./server";

/**
 * A fake PagerDuty REST API v2 `GET /incidents`, answering as PagerDuty's OpenAPI document
 * says (PagerDuty/api-schema, reference/REST/openapiv3.json: the `Incident` schema and the
 * `Pagination` envelope `{incidents, limit, offset, more, total}`): `since`/`until` filter by
 * `created_at` (half-open here), `limit` is at most 100 (default 25), `offset` pages,
 * `service_ids[]`/`team_ids[]` scope, `Authorization: Token token=<key>` (else 401 with
 * PagerDuty's error object), versioned by `Accept: application/vnd.pagerduty+json;version=2`.
 */
export interface FakeIncident {
  id: string;
  incident_number: number;
  title: string;
  created_at: string;
  resolved_at: string | null;
  status: "triggered" | "acknowledged" | "resolved";
  urgency: "high" | "low";
  priority: { id: string; type: "priority_reference"; summary: string } | null;
  service: { id: string; type: "service_reference"; summary: string };
  teams: { id: string; type: "team_reference"; summary: string }[];
}

export function pagerdutyIncident(n: number, createdAt: number, opts: Partial<FakeIncident> = {}): FakeIncident & Record<string, unknown> {
  const id = opts.id ?? `Q${String(n).padStart(6, "0")}`;
  const created = new Date(createdAt).toISOString().replace(".000Z", "Z");
  const resolved = new Date(createdAt + 45 * 60_000).toISOString().replace(".000Z", "Z");
  const base = {
    id,
    type: "incident",
    summary: `[#${n}] Checkout errors ${n}`,
    self: `https://api.pagerduty.com/incidents/${id}`,
    html_url: `https://acme.pagerduty.com/incidents/${id}`,
    incident_number: n,
    title: `Checkout errors ${n}`,
    created_at: created,
    updated_at: resolved,
    status: "resolved" as const,
    incident_key: `key-${n}`,
    service: { id: "PSVC001", type: "service_reference" as const, summary: "Checkout", self: "https://api.pagerduty.com/services/PSVC001", html_url: "https://acme.pagerduty.com/service-directory/PSVC001" },
    assignments: [],
    assigned_via: "escalation_policy",
    last_status_change_at: resolved,
    resolved_at: resolved,
    urgency: "high" as const,
    priority: { id: "PPRI001", type: "priority_reference" as const, summary: "P1", self: "https://api.pagerduty.com/priorities/PPRI001" },
    teams: [{ id: "PTEAM01", type: "team_reference" as const, summary: "Payments", self: "https://api.pagerduty.com/teams/PTEAM01" }],
    alert_counts: { all: 1, triggered: 0, resolved: 1 },
    is_mergeable: true,
  };
  return { ...base, ...opts };
}

export interface FakePagerDuty extends FakeServer {
  incidents: (FakeIncident & Record<string, unknown>)[];
  token: string;
}

export async function startFakePagerDuty(opts: { incidents?: (FakeIncident & Record<string, unknown>)[]; token?: string } = {}): Promise<FakePagerDuty> {
  const incidents = opts.incidents ?? [];
  // Read per request, so a test can rotate the key (`fake.token = ...`).
  const auth = { token: opts.token ?? "pd-test-key-0123456789" };
  const server = await startFakeServer((req) => {
    if (req.headers.authorization !== `Token token=${auth.token}`) {
      return { status: 401, body: { error: { message: "Unauthorized", code: 2006, errors: ["Authentication failed"] } } };
    }
    if (req.path !== "/incidents") return { status: 404, body: { error: { message: "Not Found", code: 2100 } } };
    const q = req.query;
    const limit = Number(q.get("limit") ?? 25);
    const offset = Number(q.get("offset") ?? 0);
    if (offset + limit > 10_000) return { status: 400, body: { error: { message: "Invalid Input Provided", code: 2001, errors: ["Offset+limit must be at most 10000 (classic pagination)"] } } };
    if (!Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(offset) || offset < 0) {
      return { status: 400, body: { error: { message: "Invalid Input Provided", code: 2001, errors: ["limit must be 1..100"] } } };
    }
    const since = q.get("since") ? Date.parse(q.get("since")!) : -Infinity;
    const until = q.get("until") ? Date.parse(q.get("until")!) : Infinity;
    const services = q.getAll("service_ids[]");
    const teams = q.getAll("team_ids[]");
    const matching = incidents
      .map((i) => ({ i, t: Date.parse(i.created_at) }))
      .filter(({ i, t }) => t >= since && t < until && (!services.length || services.includes(i.service.id)) && (!teams.length || i.teams.some((x) => teams.includes(x.id))))
      .sort((a, b) => a.t - b.t || a.i.incident_number - b.i.incident_number)
      .map(({ i }) => i);
    const page = matching.slice(offset, offset + limit);
    return { status: 200, body: { incidents: page, limit, offset, more: offset + page.length < matching.length, total: null } };
  });
  return Object.defineProperties(Object.assign(server, { incidents }), {
    token: { get: () => auth.token, set: (v: string) => (auth.token = v), enumerable: true },
  }) as FakePagerDuty;
}
