/**
 * The role matrix, driven by tests/e2e/support/endpoints.ts: every listed route handler is
 * called with no identity, a revoked token and a token of each role; every listed page is
 * opened signed out and as each role, checking both the HTTP status and what is drawn. Plus
 * missing items (a real 404), cross-site request forgery, stored script in a title, and SQL
 * in a search string.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { ADMIN, createTokenViaCli, createUserViaCli, mainDbUrl, revokeTokenViaCli, signInContext, uniqueName, type Role } from "./support/auth";
import { API_ENDPOINTS, PAGE_ENDPOINTS, PROBES, type ApiEndpoint } from "./support/endpoints";
import { ssoProvider, ssoSignIn } from "./support/sso";

const ROLES: Role[] = ["viewer", "editor", "lead", "admin"];
const rank = (r: Role) => ROLES.indexOf(r);
const EVIL = "https://evil.example";

type StorageState = Awaited<ReturnType<APIRequestContext["storageState"]>>;
interface Identities {
  tokens: Record<Role, string>;
  revoked: string;
  accounts: Record<Role, { email: string; password: string }>;
  states: Record<Role, StorageState>;
  /** Sessions of accounts made just in time by single sign-on, each role from its groups. */
  ssoStates: Record<Role, StorageState>;
}

/**
 * Tokens, accounts and signed-in storage states for every role, made once per run and kept
 * in the run's temp folder: Playwright restarts the worker (and reruns beforeAll) after a
 * failure, and sign-in is rate limited.
 */
async function identities(baseURL: string, browser: Browser): Promise<Identities> {
  const file = path.join(process.env.E2E_TMP || os.tmpdir(), "auth-matrix-identities.json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as Identities;
  const db = mainDbUrl();
  const out = { tokens: {}, accounts: {}, states: {}, ssoStates: {} } as Identities;
  for (const role of ROLES) {
    out.tokens[role] = createTokenViaCli(db, uniqueName(`matrix-${role}`), role);
    if (role === "admin") {
      out.accounts[role] = ADMIN;
    } else {
      out.accounts[role] = { email: `${uniqueName(`matrix-${role}`)}@example.com`, password: `matrix-${role}-pw-1` };
      createUserViaCli(db, out.accounts[role].email, role, out.accounts[role].password);
    }
    const ctx = await signInContext(baseURL, out.accounts[role].email, out.accounts[role].password);
    out.states[role] = await ctx.storageState();
    await ctx.dispose();
  }
  await ssoProvider(browser, baseURL);
  for (const role of ROLES) {
    const ctx = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const page = await ctx.newPage();
    await ssoSignIn(page, `sso-${role}`);
    await expect(page.getByTestId("user-menu")).toContainText(role);
    out.ssoStates[role] = await ctx.storageState();
    await ctx.close();
  }
  const name = uniqueName("matrix-revoked");
  out.revoked = createTokenViaCli(db, name, "admin");
  revokeTokenViaCli(db, name);
  fs.writeFileSync(file, JSON.stringify(out), { mode: 0o600 });
  return out;
}

let ids: Identities;
test.beforeAll(async ({ baseURL, browser }) => {
  // Five CLI runs, four password and four single sign-on sign-ins: more than one test's minute on a busy machine.
  test.setTimeout(240_000);
  ids = await identities(baseURL!, browser);
});

function call(api: APIRequestContext, ep: ApiEndpoint, token?: string, headers: Record<string, string> = {}) {
  return api.fetch(ep.path, {
    method: ep.method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    ...(ep.multipart ? { multipart: ep.multipart } : ep.body !== undefined ? { data: ep.body } : {}),
    maxRedirects: 0,
  });
}

test.describe("API role matrix", () => {
  for (const ep of API_ENDPOINTS) {
    test(`${ep.method} ${ep.path} needs ${ep.role}`, async ({ playwright, baseURL }) => {
      test.fixme(!!ep.pending, ep.pending);
      const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
      try {
        expect((await call(api, ep)).status(), "no identity").toBe(401);
        expect((await call(api, ep, ids.revoked)).status(), "revoked token").toBe(401);
        for (const role of ROLES) {
          const status = (await call(api, ep, ids.tokens[role])).status();
          if (rank(role) < rank(ep.role)) expect(status, `${role} is below ${ep.role}`).toBe(403);
          else expect([401, 403], `${role} may (got ${status})`).not.toContain(status);
        }
      } finally {
        await api.dispose();
      }
    });
  }
});

// Single sign-on accounts reach pages through the same session guard as password accounts,
// so they are checked on one page per required role (every role boundary), not on every page:
// nine sessions per page doubled the matrix's time for no rule a second pass could catch.
const SSO_SAMPLE = new Set(ROLES.map((r) => PAGE_ENDPOINTS.find((p) => p.role === r && !p.pending)?.path).filter(Boolean));

test.describe("page role matrix", () => {
  for (const row of PAGE_ENDPOINTS) {
    test(`page ${row.path} needs ${row.role}`, async ({ browser, baseURL }) => {
      test.fixme(!!row.pending, row.pending);
      // Each role as an account with a password; on the sample, also as one single sign-on made with that role.
      const sso = SSO_SAMPLE.has(row.path) ? ROLES.map((r) => ({ role: r, sso: true })) : [];
      const callers = [null, ...ROLES.map((r) => ({ role: r, sso: false })), ...sso];
      for (const caller of callers) {
        const who = caller?.role ?? null;
        const state = caller ? (caller.sso ? ids.ssoStates[caller.role] : ids.states[caller.role]) : { cookies: [], origins: [] };
        const ctx = await browser.newContext({ baseURL, storageState: state });
        const page = await ctx.newPage();
        const res = await page.goto(row.path);
        const label = `${row.path} as ${caller?.sso ? "SSO " : ""}${who ?? "nobody"}`;
        if (!who) {
          await expect(page, label).toHaveURL(/\/sign-in/);
        } else if (rank(who) < rank(row.role)) {
          // The status itself, not just the 403 page: a check made after a loading skeleton streamed sends 200.
          expect(res?.status(), label).toBe(403);
          await expect(page.getByRole("heading", { name: /403/ }), label).toBeVisible();
        } else {
          expect(res?.status(), label).toBe(200);
          await expect(page.locator("#main h1").first(), label).toBeVisible();
          // The sign-in page itself, not Admin → Sign-in (/admin/sign-in).
          await expect(page, label).not.toHaveURL((url) => url.pathname === "/sign-in");
          await expect(page.getByRole("heading", { name: /403/ }), label).toHaveCount(0);
        }
        await ctx.close();
      }
    });
  }
});

test("an address with broken percent-encoding is a 400 that says so, for pages and the API", async ({ playwright, baseURL }) => {
  const ctx = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  for (const path of ["/projects/%E0%A4%A", "/incidents/%ZZ"]) {
    const res = await ctx.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(400);
    expect(await res.text()).toContain("percent-encoded");
  }
  const api = await ctx.get("/api/incidents/%ZZ");
  expect(api.status()).toBe(400);
  expect(await api.json()).toMatchObject({ error: "bad_request" });
  // A well-formed API path still reaches its own auth.
  expect((await ctx.get("/api/incidents/1")).status()).toBe(401);
  await ctx.dispose();
});

test("a missing item is a real 404, drawn by its section's not-found page", async ({ browser, baseURL }) => {
  const MISSING: { path: string; as: Role; heading: string }[] = [
    { path: "/incidents/999999999", as: "viewer", heading: "No such incident" },
    { path: "/incidents/abc", as: "viewer", heading: "No such incident" },
    { path: "/projects/no-such-project", as: "viewer", heading: "No such project" },
    { path: "/projects/no-such-project/edit", as: "lead", heading: "No such project" },
    { path: "/reports/FY2024-Q9", as: "viewer", heading: "No such report" },
    { path: "/reports/FY2099-Q1", as: "viewer", heading: "No such report" },
  ];
  for (const m of MISSING) {
    const ctx = await browser.newContext({ baseURL, storageState: ids.states[m.as] });
    const page = await ctx.newPage();
    const res = await page.goto(m.path);
    expect(res?.status(), m.path).toBe(404);
    await expect(page.getByRole("heading", { name: m.heading }), m.path).toBeVisible();
    await ctx.close();
  }
});

test("a page asked for without a session gets a real redirect to sign-in, keeping where it was going", async ({ playwright, baseURL }) => {
  const anon = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    for (const row of PAGE_ENDPOINTS.filter((r) => !r.pending)) {
      const res = await anon.get(row.path, { maxRedirects: 0 });
      expect(res.status(), row.path).toBe(307);
      const location = new URL(res.headers().location, baseURL);
      expect(location.pathname, row.path).toBe("/sign-in");
      if (row.path !== "/") expect(location.searchParams.get("next"), row.path).toBe(row.path);
    }
  } finally {
    await anon.dispose();
  }
});

test.describe("forgery and injection", () => {
  test("a cross-site POST riding a session cookie is refused", async ({ playwright, baseURL }) => {
    const lead = await playwright.request.newContext({ baseURL, storageState: ids.states.lead, extraHTTPHeaders: { Origin: baseURL! } });
    const forged = await playwright.request.newContext({ baseURL, storageState: ids.states.lead, extraHTTPHeaders: { Origin: EVIL, "Sec-Fetch-Site": "cross-site" } });
    try {
      // better-auth's own endpoint: sign out everywhere, forged.
      expect((await forged.post("/api/auth/revoke-sessions", { data: {} })).status()).toBe(403);
      const still = await lead.get("/api/auth/get-session");
      expect((await still.json())?.user?.email).toBe(ids.accounts.lead.email);
      // Every mutating route handler in the table, with a cookie a lead holds.
      for (const ep of API_ENDPOINTS.filter((e) => e.method !== "GET" && !e.pending && rank(e.role) <= rank("lead"))) {
        expect((await call(forged, ep)).status(), `${ep.method} ${ep.path}`).toBe(403);
      }
      // A server action posted from another site.
      const action = await forged.post("/account", { headers: { "Next-Action": "0".repeat(40), "Content-Type": "text/plain;charset=UTF-8" }, data: "[]" });
      expect(action.status()).toBeGreaterThanOrEqual(400);
    } finally {
      await forged.dispose();
      await lead.dispose();
    }
  });

  test("a title with <script> renders as text", async ({ page, request }) => {
    test.fixme(!PROBES.createIncidentWithTitle, "set PROBES.createIncidentWithTitle in tests/e2e/support/endpoints.ts once incidents can be created");
    const title = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> ${uniqueName("xss")}`;
    const path = await PROBES.createIncidentWithTitle!(request, ids.tokens.editor, title);
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(path);
    await expect(page.getByText(title, { exact: false }).first()).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  test("a search string with SQL syntax is just text", async ({ page, playwright, baseURL }) => {
    test.fixme(!PROBES.searchPage && !PROBES.searchApi, "set PROBES.searchPage / searchApi in tests/e2e/support/endpoints.ts");
    const nasty = [`' OR 1=1 --`, `"; DROP TABLE incidents; --`, `%' UNION SELECT * FROM user --`, `\\' OR ''='`];
    if (PROBES.searchApi) {
      const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${ids.tokens.viewer}` } });
      const plain = await api.get(`${PROBES.searchApi.path}?${PROBES.searchApi.param}=${encodeURIComponent(uniqueName("nothing-matches"))}`);
      expect(plain.status()).toBe(200);
      for (const q of nasty) {
        const res = await api.get(`${PROBES.searchApi.path}?${PROBES.searchApi.param}=${encodeURIComponent(q)}`);
        expect([200, 422], q).toContain(res.status());
        expect(await res.text(), q).not.toMatch(/SQLITE|syntax error|password/i);
      }
      await api.dispose();
    }
    if (PROBES.searchPage) {
      for (const q of nasty) {
        await page.goto(`${PROBES.searchPage.path}?${PROBES.searchPage.param}=${encodeURIComponent(q)}`);
        await expect(page.getByRole("heading", { name: /something went wrong/i })).toHaveCount(0);
      }
    }
    // The tables are all still there: the audit page lists entries.
    await page.goto("/audit");
    await expect(page.getByRole("table")).toBeVisible();
  });
});
