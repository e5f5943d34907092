/**
 * THE ROLE MATRIX TABLE. Every route handler and page belongs here: add a row when you add
 * one. tests/e2e/auth-matrix.spec.ts checks, for each row:
 *   - no identity → 401 (API) or a redirect to /sign-in (page)
 *   - a revoked API token → 401 (API rows)
 *   - each role below `role` → 403
 *   - `role` and above → neither 401 nor 403 (a 422 for the harmless body below is a pass)
 *
 * API rows are called with API tokens (Authorization: Bearer); page rows with a session per
 * role. Give mutating rows a body that fails validation, or otherwise changes nothing, so the
 * matrix can run against the shared database; set `pending` while the route does not exist yet.
 *
 * Server actions have their own table: tests/support/actions-matrix.ts.
 */
import type { APIRequestContext } from "@playwright/test";
import type { Role } from "./auth";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiEndpoint {
  method: Method;
  /** Path with any ids filled in, plus query string. */
  path: string;
  /** The least role allowed. */
  role: Role;
  /** JSON body, or `multipart` for an upload form. Keep it harmless (invalid is fine). */
  body?: unknown;
  multipart?: Record<string, string | { name: string; mimeType: string; buffer: Buffer }>;
  /** Who owns the route; where to ask when a row fails. */
  owner?: string;
  /** A reason the row cannot run yet (route not built): runs as test.fixme. */
  pending?: string;
}

export interface PageEndpoint {
  path: string;
  role: Role;
  owner?: string;
  pending?: string;
}

export const API_ENDPOINTS: ApiEndpoint[] = [
  { method: "GET", path: "/api/metrics/quarters", role: "viewer", owner: "metrics" },
  { method: "GET", path: "/api/metrics/openmetrics", role: "viewer", owner: "delivery" },
  { method: "GET", path: "/api/dora/quarters", role: "viewer", owner: "dora" },
  { method: "GET", path: "/api/audit/export?format=json", role: "lead", owner: "auth" },
  { method: "GET", path: "/api/audit/export?format=csv&action=auth.", role: "lead", owner: "auth" },
  { method: "GET", path: "/api/incidents?pageSize=25", role: "viewer", owner: "incidents" },
  { method: "GET", path: "/api/incidents/1", role: "viewer", owner: "incidents" },
  { method: "PATCH", path: "/api/incidents/1", role: "editor", body: { customerImpactPct: 500 }, owner: "incidents" },
  { method: "GET", path: "/api/deploys?limit=5", role: "viewer", owner: "incidents" },
  { method: "POST", path: "/api/deploys", role: "editor", body: [{ time: "not a time", service: "" }], owner: "incidents" },
  { method: "GET", path: "/api/projects", role: "viewer", owner: "projects" },
  { method: "POST", path: "/api/projects", role: "lead", body: { slug: "Not A Slug" }, owner: "projects" },
  { method: "GET", path: "/api/projects/automatic-rollbacks", role: "viewer", owner: "projects" },
  { method: "PATCH", path: "/api/projects/automatic-rollbacks", role: "lead", body: { lagMinMonths: 99 }, owner: "projects" },
  { method: "GET", path: "/api/projects/automatic-rollbacks/impact", role: "viewer", owner: "projects" },
  { method: "GET", path: "/api/export/quarters.csv", role: "viewer", owner: "reports" },
  { method: "GET", path: "/api/export/quarters.json", role: "viewer", owner: "reports" },
  { method: "GET", path: "/api/export/incidents.csv?quarter=FY2024-Q1", role: "viewer", owner: "reports" },
  { method: "GET", path: "/api/export/incidents.json?quarter=not-a-quarter", role: "viewer", owner: "reports" },
  { method: "GET", path: "/api/reports/FY2024-Q1.txt", role: "viewer", owner: "reports" },
  { method: "GET", path: "/api/reports/FY2024-Q1.json", role: "viewer", owner: "reports" },
  { method: "GET", path: "/api/reports/FY2024-Q1.pdf", role: "viewer", owner: "reports" },
  // A dry run of a file missing its required columns: refused with 422, nothing written.
  { method: "POST", path: "/api/import?format=canonical&dryRun=1&fileName=matrix.csv", role: "editor", body: "id,title\nM1,\n", owner: "import" },
  { method: "POST", path: "/api/dashboard/what-if", role: "lead", body: { policy: { overlap: "neither" } }, owner: "dashboard" },
  // No such source: 404 for an admin, nothing run.
  { method: "POST", path: "/api/sources/matrix-no-such-source/sync", role: "admin", owner: "sources" },
  { method: "POST", path: "/api/sources/matrix-no-such-source/test", role: "admin", owner: "sources" },
];

export const PAGE_ENDPOINTS: PageEndpoint[] = [
  { path: "/account", role: "viewer", owner: "auth" },
  { path: "/audit", role: "lead", owner: "auth" },
  { path: "/admin/users", role: "admin", owner: "auth" },
  { path: "/admin/tokens", role: "admin", owner: "auth" },
  { path: "/admin/sign-in", role: "admin", owner: "auth" },
  { path: "/incidents", role: "viewer", owner: "incidents" },
  { path: "/incidents/triage", role: "viewer", owner: "incidents" },
  { path: "/incidents/1", role: "viewer", owner: "incidents" },
  { path: "/settings/suggestions", role: "viewer", owner: "incidents" },
  { path: "/projects", role: "viewer", owner: "projects" },
  { path: "/changes", role: "viewer", owner: "dora" },
  { path: "/projects/new", role: "lead", owner: "projects" },
  { path: "/projects/plan", role: "viewer", owner: "projects" },
  { path: "/projects/automatic-rollbacks", role: "viewer", owner: "projects" },
  { path: "/projects/automatic-rollbacks/edit", role: "lead", owner: "projects" },
  { path: "/reports", role: "viewer", owner: "reports" },
  { path: "/reports/FY2024-Q1", role: "viewer", owner: "reports" },
  { path: "/", role: "viewer", owner: "lead" },
  { path: "/import", role: "editor", owner: "import" },
  { path: "/settings/general", role: "viewer", owner: "dashboard" },
  { path: "/settings/targets", role: "viewer", owner: "dashboard" },
  { path: "/settings/data", role: "admin", owner: "dashboard" },
  { path: "/settings/sources", role: "admin", owner: "sources" },
  { path: "/settings/delivery", role: "lead", owner: "delivery" },
  // The counting definition is the lead's; reports name the version in force for everyone.
  { path: "/settings/policy", role: "lead", owner: "metric config" },
];

/**
 * Probes that need other features. The incidents owner fills these in; until then the
 * related tests in auth-matrix.spec.ts run as test.fixme.
 */
export const PROBES: {
  /** Creates an incident titled `title` (e.g. through the ingestion API with `token`) and returns the page path that shows it. */
  createIncidentWithTitle: null | ((api: APIRequestContext, token: string, title: string) => Promise<string>);
  /** A list/search page and its query parameter, e.g. { path: "/incidents", param: "q" }. */
  searchPage: null | { path: string; param: string };
  /** A search API and its query parameter, called with a viewer token. */
  searchApi: null | { path: string; param: string };
} = {
  // Through the ingestion API (canonical CSV), then the incident page found by its source id.
  createIncidentWithTitle: async (api, token, title) => {
    const sourceId = `PROBE-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const csv = `id,title,severity,started_at,resolved_at\n${sourceId},"${title.replace(/"/g, '""')}",SEV3,2024-01-10T10:00:00Z,2024-01-10T10:30:00Z\n`;
    const headers = { Authorization: `Bearer ${token}` };
    const res = await api.post("/api/import?format=canonical&fileName=probe.csv", { headers: { ...headers, "Content-Type": "text/csv" }, data: csv });
    if (!res.ok()) throw new Error(`probe import failed with ${res.status()}: ${await res.text()}`);
    const list = await api.get(`/api/incidents?q=${encodeURIComponent(sourceId)}`, { headers });
    const item = ((await list.json()) as { items: { id: number; sourceId: string }[] }).items.find((i) => i.sourceId === sourceId);
    if (!item) throw new Error(`probe incident ${sourceId} not found`);
    return `/incidents/${item.id}`;
  },
  searchPage: { path: "/incidents", param: "q" },
  searchApi: { path: "/api/incidents", param: "q" },
};
