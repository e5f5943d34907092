/**
 * Every server action refuses the callers it must refuse, writing nothing, and works for
 * the ones it must serve: the table is tests/support/actions-matrix.ts.
 *
 * The real guard chain runs (requireActionRole → getActor → better-auth session lookup →
 * the user row) against real sessions in a real migrated SQLite file. Only Next's request
 * context is stood in for: `headers()` returns the headers of the caller being played,
 * and `revalidatePath` (which needs a render context) does nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { openDatabase, openMigratedDatabase, type Db } from "@/db/client";
import { getCurrentPolicy } from "@/db/queries/config";
import { readCuration } from "@/db/queries/curation";
import { importIncidents, saveImportPreset } from "@/db/queries/imports";
import { attachIncidentsToProject, createProject, getProjectBySlug } from "@/db/queries/projects";
import { createApiToken } from "@/db/queries/tokens";
import { AppError } from "@/lib/api/errors";
import { createAccount } from "@/server/auth/accounts";
import { getAuth } from "@/server/auth/instance";
import { providerFormSchema, saveOidcProvider } from "@/server/auth/sign-in-config";
import { hasRole, ROLES, type Role } from "@/lib/auth/roles";
import { requireActionRole } from "@/server/auth/guards";
import { parseImport } from "@/lib/import/parse";
import { importMappingSchema } from "@/lib/import/sources/generic";
import { ACTION_MODULES, form, type ActionFixture, type ActionRow, type Caller } from "../support/actions-matrix";
import { addIncident } from "./incidents-helpers";
import { loginThroughProvider, startOidcProvider, type TestProvider } from "../support/oidc-provider";
import { markFilteredIncidents } from "@/server/bulk-marks";
import { incidentListQuerySchema } from "@/lib/validation/incident-list";
import { seedDeliveryFixture } from "../support/delivery-fixture";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const HOST = "localhost:4321";
const ORIGIN = `http://${HOST}`;
const PASSWORD = "matrix password";
const ROOT = path.resolve(__dirname, "../..");
const g = globalThis as Record<string, unknown>;

let dir: string;
let seeded: string;
let noAccounts: string;
let fixture: ActionFixture;
const cookies = {} as Record<Role | SsoCaller, string>;
/** Sessions of accounts made just in time by single sign-on, one per role (their groups map to it). */
type SsoCaller = `sso-${Role}`;
const SSO_PROVIDER = "matrix-sso";
let idp: TestProvider;
let db: Db | undefined;

/** Points the app's process-wide database at `file` and forgets the auth instance and caches built on the last one. */
function openAsAppDatabase(file: string): Db {
  db?.$client.close();
  db = openDatabase(`file:${file}`);
  g.__deploySafetyDb = db;
  delete g.__deploySafetyAuth;
  delete g.__deploySafetyHasUsers;
  return db;
}

let copy: string | undefined;

/** A private copy of a template database, opened as the app's; removed after the test. */
function copyOf(template: string): Db {
  copy = path.join(dir, `run-${Math.random().toString(36).slice(2)}.sqlite`);
  fs.copyFileSync(template, copy);
  return openAsAppDatabase(copy);
}

function closeTemplate(d: Db) {
  d.$client.pragma("wal_checkpoint(TRUNCATE)");
  d.$client.close();
  db = undefined;
}

async function signIn(email: string): Promise<string> {
  const res = await getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", host: HOST, origin: ORIGIN },
      body: JSON.stringify({ email, password: PASSWORD }),
    }),
  );
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.includes("session_token="))!.split(";")[0];
}

/** A session made through the test provider for `sso-<role>@sso.example.com`, whose group maps to `role`. */
async function ssoSignIn(role: Role): Promise<string> {
  const start = await getAuth().handler(
    new Request(`${ORIGIN}/api/auth/sign-in/social`, { method: "POST", headers: { "content-type": "application/json", host: HOST, origin: ORIGIN }, body: JSON.stringify({ provider: SSO_PROVIDER, callbackURL: "/" }) }),
  );
  const { url } = (await start.json()) as { url: string };
  const state = start.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const back = await getAuth().handler(new Request(await loginThroughProvider(url, `sso-${role}`), { headers: { host: HOST, cookie: state } }));
  const session = back.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!session) throw new Error(`single sign-on as ${role} failed: ${back.headers.get("location")}`);
  return session.split(";")[0];
}

/** Accounts and sessions for every role, and the records the rows act on. */
async function seedActionFixture(d: Db): Promise<ActionFixture> {
  const by = { label: "matrix seed" };
  for (const role of ROLES) await createAccount(getAuth(), d, { name: `The ${role}`, email: `${role}@example.com`, password: PASSWORD, role }, by);
  const target = await createAccount(getAuth(), d, { name: "Target", email: "target@example.com", password: PASSWORD, role: "viewer" }, by);
  for (const role of ROLES) cookies[role] = await signIn(`${role}@example.com`);
  saveOidcProvider(d, providerFormSchema.parse({ id: SSO_PROVIDER, name: "Matrix SSO", issuer: idp.issuer, clientId: "matrix-client", clientSecret: "matrix-client-secret", scopes: "openid email groups", groupsClaim: "groups", allowedDomains: "sso.example.com", roleMap: ROLES.map((r) => `${r}s = ${r}`).join("\n"), defaultRole: "none", enabled: true }), by, { isNew: true });
  for (const role of ROLES) cookies[`sso-${role}`] = await ssoSignIn(role);

  const tokenId = createApiToken(d, { name: "matrix", role: "viewer", createdBy: by }).row.id;
  const oidcProviderId = "matrix-idp";
  // Disabled: the auth instance then never tries to reach it.
  saveOidcProvider(d, providerFormSchema.parse({ id: oidcProviderId, name: "Matrix IdP", issuer: "https://idp.example.com", clientId: "matrix", clientSecret: "s", scopes: "openid", groupsClaim: "groups", allowedDomains: "", roleMap: "", defaultRole: "none", enabled: false }), by, { isNew: true });
  const startedAt = Date.parse("2024-02-05T10:00:00Z");
  const untriaged = addIncident(d, { title: "Checkout errors after a bad deploy", startedAt, trigger: "unknown" });
  const triaged = addIncident(d, { title: "Payments slow", startedAt: startedAt + 86_400_000, trigger: "change", changeType: "config" });
  createProject(d, { slug: "matrix-project", name: "Matrix project" }, { actor: by });
  attachIncidentsToProject(d, "matrix-project", [untriaged], { actor: by });

  const csv = fs.readFileSync(path.join(ROOT, "tests/fixtures/import/canonical-sample.csv"));
  const parsed = await parseImport(csv, {});
  const batch = importIncidents(d, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, fileName: "matrix.csv", actor: by });
  const mapping = importMappingSchema.parse({ columns: { Ticket: "id", Headline: "title", Opened: "started_at" }, timezone: "UTC" });
  saveImportPreset(d, "matrix preset", mapping, by);
  const mark = markFilteredIncidents(d, incidentListQuerySchema.parse({ q: "Payments" }), { analysisStatus: "final" }, { actor: by });

  const policy = getCurrentPolicy(d);
  const delivery = await seedDeliveryFixture(d, by);
  // A deploy event the bulk cause link names by its external id.
  d.$client.prepare("INSERT INTO deploy_events (external_id, finished_at, service, created_at) VALUES ('MATRIX-DEP', ?, 'checkout', 0)").run(startedAt - 600_000);
  return {
    password: PASSWORD,
    targetUserId: target.id,
    tokenId,
    oidcProviderId,
    project: { slug: "matrix-project", updatedAt: getProjectBySlug(d, "matrix-project")!.updatedAt },
    untriaged: { id: untriaged, version: readCuration(d, untriaged)!.version },
    triaged: { id: triaged },
    importBatchId: batch.batchId!,
    presetName: "matrix preset",
    bulkMarkId: mark.markId,
    policy: { id: policy.id, policy: policy.policy },
    pastQuarter: "FY2023-Q3",
    futureQuarter: "FY2031-Q2",
    delivery,
    deployRef: "MATRIX-DEP",
  };
}

beforeAll(async () => {
  // One secret for every copy, so the seeded session cookies verify in each; no proxy sign-in.
  vi.stubEnv("BETTER_AUTH_SECRET", "action-guards-test-secret-0123456789abcdef");
  vi.stubEnv("AUTH_PROXY_HEADER", "");
  vi.stubEnv("AUTH_TRUSTED_ORIGINS", "");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-action-guards-"));
  idp = await startOidcProvider({
    clients: [{ client_id: "matrix-client", client_secret: "matrix-client-secret", redirect_uris: [`${ORIGIN}/api/auth/callback/${SSO_PROVIDER}`] }],
    users: Object.fromEntries(ROLES.map((r) => [`sso-${r}`, { sub: `sso-${r}`, email: `sso-${r}@sso.example.com`, groups: [`${r}s`] }])),
  });
  noAccounts = path.join(dir, "no-accounts.sqlite");
  closeTemplate(openMigratedDatabase(`file:${noAccounts}`));
  seeded = path.join(dir, "seeded.sqlite");
  const d = openMigratedDatabase(`file:${seeded}`);
  db = d;
  g.__deploySafetyDb = d;
  delete g.__deploySafetyAuth;
  delete g.__deploySafetyHasUsers;
  fixture = await seedActionFixture(d);
  closeTemplate(d);
});

afterEach(() => {
  db?.$client.close();
  db = undefined;
  for (const f of copy ? [copy, `${copy}-wal`, `${copy}-shm`] : []) fs.rmSync(f, { force: true });
  copy = undefined;
  delete g.__deploySafetyDb;
  delete g.__deploySafetyAuth;
  delete g.__deploySafetyHasUsers;
});

afterAll(async () => {
  await idp?.stop();
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});

function headersFor(caller: Caller | SsoCaller): Headers {
  if (caller === "cross-site") return new Headers({ host: HOST, origin: "https://evil.example", "sec-fetch-site": "cross-site", cookie: cookies.admin });
  const h = new Headers({ host: HOST, origin: ORIGIN, "sec-fetch-site": "same-origin" });
  if (caller !== "anonymous") h.set("cookie", cookies[caller]);
  return h;
}

/** Every row of every table, as text per table. */
function snapshot(d: Db): Map<string, string> {
  const tables = d.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return new Map(tables.map(({ name }) => [name, JSON.stringify(d.$client.prepare(`SELECT * FROM "${name}"`).all())]));
}

/** The tables whose rows differ between two snapshots: none means nothing was written. */
function written(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}

type Outcome = { kind: "returned"; value: unknown } | { kind: "redirect"; to: string } | { kind: "threw"; error: unknown };

async function invoke(fn: (...args: unknown[]) => Promise<unknown>, args: unknown[]): Promise<Outcome> {
  try {
    return { kind: "returned", value: await fn(...args) };
  } catch (error) {
    if (isRedirectError(error)) return { kind: "redirect", to: getURLFromRedirectError(error) };
    return { kind: "threw", error };
  }
}

function describeOutcome(o: Outcome): string {
  if (o.kind === "threw") return `threw ${o.error instanceof Error ? `${o.error.constructor.name}: ${o.error.message}` : String(o.error)}`;
  if (o.kind === "redirect") return `redirected to ${o.to}`;
  return `returned ${JSON.stringify(o.value)}`;
}

type Expectation = "writes" | "refused" | "writes nothing";

/** A single sign-on caller is held to its role like an account with a password. */
const roleOf = (caller: Caller | SsoCaller): Caller => (caller.startsWith("sso-") ? (caller.slice(4) as Role) : (caller as Caller));

function expectationFor(row: ActionRow, c: Caller | SsoCaller): Expectation {
  const caller = roleOf(c);
  if ("role" in row) return caller !== "anonymous" && caller !== "cross-site" && hasRole(caller, row.role) ? "writes" : "refused";
  if (caller === "cross-site") return "writes nothing";
  return row.writes.includes(caller) ? "writes" : "writes nothing";
}

/** Rows that need the caller's own password, which an account made by single sign-on does not have. */
const NEEDS_OWN_PASSWORD = new Set(["changePasswordAction"]);

function callersFor(row: ActionRow, name: string): (Caller | SsoCaller)[] {
  if ("fixture" in row && row.fixture === "no-accounts") return ["anonymous", "cross-site"];
  const sso = "role" in row && !NEEDS_OWN_PASSWORD.has(name) ? ROLES.map((r): SsoCaller => `sso-${r}`) : [];
  return ["anonymous", "cross-site", ...ROLES, ...sso];
}

const CASES = ACTION_MODULES.flatMap((m) => Object.entries(m.rows).map(([name, row]) => ({ m, name, row })));

describe("the matrix covers every server action", () => {
  test("every \"use server\" file in the tree is a module of the matrix, and every module is one", () => {
    const found: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!["node_modules", "tests", "data", "test-results", "playwright-report"].includes(e.name) && !e.name.startsWith(".")) walk(p);
        } else if (/\.(ts|tsx|js|jsx|mjs)$/.test(e.name) && /["']use server["']/.test(fs.readFileSync(path.join(ROOT, p), "utf8"))) {
          found.push(p);
        }
      }
    };
    walk("");
    expect(found.sort()).toEqual(ACTION_MODULES.map((m) => m.file).sort());
  });

  test.each(ACTION_MODULES.map((m) => [m.file, m] as const))("%s: the file starts with \"use server\", and every export has a row and every row an export", async (file, m) => {
    // At the top, so every export is an action and every action an export (inline ones fail the test above).
    expect(fs.readFileSync(path.join(ROOT, file), "utf8").trimStart()).toMatch(/^["']use server["']/);
    const mod = await m.load();
    expect(await import(/* @vite-ignore */ path.join(ROOT, file))).toBe(mod);
    expect(Object.keys(mod).sort()).toEqual(Object.keys(m.rows).sort());
    for (const [name, value] of Object.entries(mod)) expect(typeof value, name).toBe("function");
  });
});

describe.each(CASES.map((c) => [`${c.name} (${c.m.file})`, c] as const))("%s", (_label, { m, name, row }) => {
  test.each(callersFor(row, name).map((c) => [c, expectationFor(row, c)] as const))("%s: %s", async (caller, expected) => {
    const d = copyOf("fixture" in row && row.fixture === "no-accounts" ? noAccounts : seeded);
    const fn = (await m.load())[name] as (...args: unknown[]) => Promise<unknown>;
    request.headers = headersFor(caller);
    const before = snapshot(d);
    const outcome = await invoke(fn, row.args(fixture));
    const tables = written(before, snapshot(d));
    const what = `${name} as ${caller} ${describeOutcome(outcome)}`;

    if (expected === "writes") {
      // Let through and done: a redirect (sign-out, a created project) or `ok: true`.
      expect(outcome.kind === "redirect" || (outcome.kind === "returned" && (outcome.value as { ok?: boolean }).ok === true), what).toBe(true);
      if (outcome.kind === "returned") expectActionResult(outcome.value, what);
      expect(tables, `${what}, but wrote nothing to the database`).not.toEqual([]);
      return;
    }
    expect(tables, `${what}, and it wrote to the database`).toEqual([]);
    if (outcome.kind === "returned") expectActionResult(outcome.value, what);
    if (expected === "writes nothing") return;

    // Refused as the guard refuses: its message handed back in the one result shape, never an exception.
    const guard = await requireActionRole((row as { role: Role }).role).catch((e: unknown) => e);
    expect(guard, `requireActionRole should refuse ${caller}`).toBeInstanceOf(AppError);
    expect(outcome.kind, what).toBe("returned");
    expect((outcome as { value: unknown }).value, what).toEqual({ ok: false, message: (guard as AppError).message, fieldErrors: {}, ...valuesOf(outcome) });
  });
});

/** What a form action echoes back to its form, if anything (never a password). */
function valuesOf(outcome: Outcome): { values?: Record<string, string> } {
  const v = outcome.kind === "returned" ? (outcome.value as { values?: Record<string, string> }).values : undefined;
  if (v) expect(Object.keys(v).filter((k) => /password/i.test(k))).toEqual([]);
  return v ? { values: v } : {};
}

/** The one result type (lib/actions/result.ts): a success with data and a message, or a failure with a message and every field's errors. */
function expectActionResult(value: unknown, what: string) {
  const r = value as Record<string, unknown>;
  expect(typeof r, what).toBe("object");
  expect(typeof r.message, what).toBe("string");
  if (r.ok === true) {
    expect("data" in r, what).toBe(true);
    expect(Object.keys(r).every((k) => ["ok", "data", "message", "values"].includes(k)), what).toBe(true);
  } else {
    expect(r.ok, what).toBe(false);
    expect(r.fieldErrors, what).toEqual(expect.any(Object));
    for (const messages of Object.values(r.fieldErrors as object)) expect(messages, what).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(Object.keys(r).every((k) => ["ok", "message", "fieldErrors", "values", "detail"].includes(k)), what).toBe(true);
  }
}

describe("setupAction once an account exists", () => {
  test.each(["anonymous", "cross-site", ...ROLES] as Caller[])("%s: writes nothing", async (caller) => {
    const d = copyOf(seeded);
    const { setupAction } = await import("@/app/setup/actions");
    request.headers = headersFor(caller);
    const before = snapshot(d);
    const outcome = await invoke(setupAction as (...a: unknown[]) => Promise<unknown>, [null, form({ name: "Late", email: "late@example.com", password: "late admin password", confirm: "late admin password" })]);
    expect(written(before, snapshot(d)), describeOutcome(outcome)).toEqual([]);
  });
});

describe("what a refused save hands back beside its message", () => {
  test("a bulk edit over a stale list: the stale rows in detail.bulkConflicts, nothing written", async () => {
    const d = copyOf(seeded);
    const { bulkEditAction, saveCurationAction } = await import("@/app/incidents/actions");
    request.headers = headersFor("editor");
    expect((await saveCurationAction(fixture.untriaged.id, { version: fixture.untriaged.version, trigger: "other" })).ok).toBe(true);
    const before = snapshot(d);
    const stale = { [String(fixture.untriaged.id)]: fixture.untriaged.version };
    const res = await bulkEditAction({ ids: [fixture.untriaged.id], versions: stale, remediation: "manual_fix" });
    expect(written(before, snapshot(d))).toEqual([]);
    expectActionResult(res, "bulkEditAction over a stale list");
    expect(res.ok).toBe(false);
    expect(!res.ok && res.detail?.bulkConflicts?.map((c) => c.incidentId)).toEqual([fixture.untriaged.id]);
  });

  test("an incident edit over a stale version: what was saved in detail.conflict, nothing written", async () => {
    const d = copyOf(seeded);
    const { saveCurationAction } = await import("@/app/incidents/actions");
    request.headers = headersFor("editor");
    expect((await saveCurationAction(fixture.untriaged.id, { version: fixture.untriaged.version, trigger: "other" })).ok).toBe(true);
    const before = snapshot(d);
    const res = await saveCurationAction(fixture.untriaged.id, { version: fixture.untriaged.version, trigger: "change" });
    expect(written(before, snapshot(d))).toEqual([]);
    expectActionResult(res, "saveCurationAction over a stale version");
    expect(!res.ok && res.detail?.conflict?.current.version).toBe(fixture.untriaged.version + 1);
  });
});
