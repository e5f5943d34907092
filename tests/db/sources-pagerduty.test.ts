import os from "node:os";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { listImportBatches, undoImportBatch } from "@/db/queries/imports";
import { getSourceByName, latestRun, listSources } from "@/db/queries/sources";
import { ConflictError, ValidationError } from "@/lib/api/errors";
import { saveSource } from "@/server/sources/manage";
import { SourceBusyError, syncSource, testSourceConnection, type SyncOptions } from "@/server/sources/sync";
import { createTestDb } from "../support/db";
import { pagerdutyIncident, startFakePagerDuty, type FakePagerDuty } from "../support/fake-vendors/pagerduty";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const HOUR = 3_600_000;
const admin = { label: "admin@example.com" };

let t: ReturnType<typeof createTestDb>;
let pd: FakePagerDuty;
let waits: number[];

/** Sleeps for real but briefly (1/100 of the asked wait), and records what was asked. */
const http = (): SyncOptions["http"] => ({ backoffMs: 200, timeoutMs: 2000, sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, Math.min(ms / 100, 50)))) });

function seedIncidents(n: number, start = NOW - 20 * 24 * HOUR) {
  for (let i = 1; i <= n; i++) pd.incidents.push(pagerdutyIncident(i, start + i * 60_000));
}

function addSource(extra: Partial<Parameters<typeof saveSource>[1]> = {}) {
  return saveSource(t.db, { name: "pd-prod", kind: "pagerduty", baseUrl: pd.url, credential: pd.token, ...extra }, admin, { databaseUrl: `file:${t.file}`, now: NOW });
}

const sync = (opts: SyncOptions = {}) => syncSource(t.db, "pd-prod", { now: () => NOW, pageSize: 100, http: http(), databaseUrl: `file:${t.file}`, ...opts });
const count = (sql: string, ...args: unknown[]) => (t.db.$client.prepare(sql).get(...args) as { n: number }).n;

beforeEach(async () => {
  t = createTestDb();
  pd = await startFakePagerDuty();
  waits = [];
});
afterEach(async () => {
  await pd.close();
  t.cleanup();
});
afterAll(() => undefined);

describe("PagerDuty connector", () => {
  test("syncs every page into one import batch, with the fields the metric reads", async () => {
    seedIncidents(250);
    addSource();
    const s = await sync();
    expect(s).toMatchObject({ status: "succeeded", pages: 3, fetched: 250, created: 250, updated: 0, rejected: 0, resumed: false, error: null });
    expect(count("SELECT COUNT(*) n FROM incidents WHERE source = 'pagerduty'")).toBe(250);
    const inc = t.db.$client.prepare("SELECT * FROM incidents WHERE source_id = 'Q000007'").get() as Record<string, unknown>;
    expect(inc).toMatchObject({ title: "Checkout errors 7", severity: "P1", status: "resolved", url: "https://acme.pagerduty.com/incidents/Q000007" });
    expect(inc.resolved_at).toBe((inc.started_at as number) + 45 * 60_000);
    // Requests as PagerDuty documents them: token auth, versioned Accept, a time window, offsets.
    const reqs = pd.requests;
    expect(reqs.map((r) => r.query.get("offset"))).toEqual(["0", "100", "200"]);
    expect(reqs[0].headers.authorization).toBe(`Token token=${pd.token}`);
    expect(reqs[0].headers.accept).toBe("application/vnd.pagerduty+json;version=2");
    expect(reqs[0].query.get("until")).toBe(new Date(NOW).toISOString());
    expect(reqs[0].query.get("since")).toBe(new Date(NOW - 90 * 24 * HOUR).toISOString());
    const [batch] = listImportBatches(t.db);
    expect(batch).toMatchObject({ id: s.batchId, source: "pagerduty", format: "pagerduty", createdCount: 250, fileName: "sync: pd-prod (run 1)" });
    expect(getSourceByName(t.db, "pd-prod")).toMatchObject({ syncedUntil: NOW, consecutiveFailures: 0, nextRunAt: NOW + 15 * 60_000, leaseOwner: null });
  });

  test("a second sync reads from the last point less the overlap, changes nothing and lists no empty batch", async () => {
    seedIncidents(30, NOW - 3 * 24 * HOUR);
    addSource();
    await sync();
    const later = NOW + HOUR;
    const s = await sync({ now: () => later });
    expect(s).toMatchObject({ status: "succeeded", created: 0, updated: 0, unchanged: 30, batchId: null });
    expect(pd.requests.at(-1)!.query.get("since")).toBe(new Date(NOW - 7 * 24 * HOUR).toISOString());
    expect(listImportBatches(t.db)).toHaveLength(1);
  });

  test("scope becomes service_ids[] and team_ids[]", async () => {
    seedIncidents(3);
    addSource({ scope: "service:PSVC001, team:PTEAM01" });
    await sync();
    expect(pd.requests[0].query.getAll("service_ids[]")).toEqual(["PSVC001"]);
    expect(pd.requests[0].query.getAll("team_ids[]")).toEqual(["PTEAM01"]);
  });

  test("a re-sync updates what PagerDuty owns, never a curated field, and undo puts it back", async () => {
    seedIncidents(5, NOW - 3 * 24 * HOUR);
    addSource();
    await sync();
    const id = (t.db.$client.prepare("SELECT id FROM incidents WHERE source_id = 'Q000002'").get() as { id: number }).id;
    t.db.$client.prepare("UPDATE incident_curation SET trigger = 'change', change_type = 'code_deploy' WHERE incident_id = ?").run(id);
    pd.incidents[1].title = "Checkout errors 2 (renamed)";
    const s = await sync({ now: () => NOW + HOUR });
    expect(s).toMatchObject({ updated: 1, unchanged: 4 });
    expect(t.db.$client.prepare("SELECT title FROM incidents WHERE id = ?").get(id)).toEqual({ title: "Checkout errors 2 (renamed)" });
    expect(t.db.$client.prepare("SELECT trigger, change_type FROM incident_curation WHERE incident_id = ?").get(id)).toEqual({ trigger: "change", change_type: "code_deploy" });
    undoImportBatch(t.db, s.batchId!, admin);
    expect(t.db.$client.prepare("SELECT title FROM incidents WHERE id = ?").get(id)).toEqual({ title: "Checkout errors 2" });
  });

  test("honours 429 with Retry-After and backs off on 5xx, time-outs, dropped connections and malformed bodies", async () => {
    seedIncidents(250);
    addSource();
    pd.faultAt.set(1, { status: 429, headers: { "retry-after": "3" } });
    pd.faultAt.set(3, { status: 503 });
    pd.faultAt.set(4, { malformed: true });
    pd.faultAt.set(5, { delayMs: 3000 });
    pd.faultAt.set(6, { drop: true });
    const s = await sync();
    expect(s).toMatchObject({ status: "succeeded", fetched: 250, created: 250 });
    expect(waits[0]).toBe(3000);
    expect(waits).toHaveLength(5);
    // The offsets asked: each failed page asked again, none skipped.
    expect(pd.requests.map((r) => r.query.get("offset"))).toEqual(["0", "0", "100", "100", "100", "100", "100", "200"]);
    expect(count("SELECT COUNT(*) n FROM incidents")).toBe(250);
  });

  test("a vendor that keeps failing ends the run failed, in plain words, keeping the pages before", async () => {
    seedIncidents(250);
    addSource();
    for (let n = 2; n <= 10; n++) pd.faultAt.set(n, { status: 500 });
    const s = await sync();
    expect(s.status).toBe("failed");
    expect(s.error).toBe("PagerDuty had a server error (500) and kept having it after retries (gave up after 5 retries)");
    expect(s.created).toBe(100);
    expect(getSourceByName(t.db, "pd-prod")).toMatchObject({ consecutiveFailures: 1, syncedUntil: null, leaseOwner: null });
  });

  test("a refused key fails at once with what to check, and no credential in the message", async () => {
    seedIncidents(3);
    addSource({ credential: "wrong-key-abcdef" });
    const s = await sync();
    expect(s).toMatchObject({ status: "failed", error: "PagerDuty refused the credential (401): check the API key or token", created: 0 });
    expect(pd.requests).toHaveLength(1);
    expect(JSON.stringify(t.db.$client.prepare("SELECT * FROM audit_log").all())).not.toContain("wrong-key-abcdef");
    expect(count("SELECT COUNT(*) n FROM import_batches")).toBe(0);
  });

  test("an answer that is not PagerDuty's shape fails with what is wrong and writes nothing", async () => {
    addSource();
    pd.faults.push(...Array.from({ length: 6 }, () => ({ status: 200, body: JSON.stringify({ data: [] }) })));
    const s = await sync();
    expect(s.status).toBe("failed");
    expect(s.error).toContain('PagerDuty answered without an "incidents" list');
    expect(count("SELECT COUNT(*) n FROM incidents")).toBe(0);
  });

  test("an incident the importer cannot read is rejected and named; the rest land", async () => {
    seedIncidents(4);
    pd.incidents[2].created_at = "not a date";
    pd.incidents.push(pd.incidents.splice(2, 1)[0]);
    // The fake filters by created_at, so the bad one would vanish: answer it unfiltered.
    pd.incidents[3].created_at = new Date(NOW - HOUR).toISOString();
    (pd.incidents[3] as Record<string, unknown>).title = "";
    addSource();
    const s = await sync();
    expect(s).toMatchObject({ status: "succeeded", created: 3, rejected: 1 });
    const batch = listImportBatches(t.db)[0];
    expect(JSON.stringify(batch.rejects)).toContain("Q000003");
  });

  test("resumes a crashed sync from its cursor: nothing doubled, nothing lost", async () => {
    seedIncidents(450);
    addSource();
    // The process dies after its third page is committed.
    const crash = new Error("simulated crash");
    const first = await sync({ onPage: (p) => { if (p.page === 3) throw crash; } });
    expect(first).toMatchObject({ status: "failed", pages: 3, created: 300 });
    // As a kill -9 leaves it: the run still running, the lease held by a process that is gone.
    t.db.$client.prepare("UPDATE source_runs SET status = 'running', error = NULL, finished_at = NULL").run();
    t.db.$client.prepare("UPDATE sources SET lease_owner = ?, lease_until = ?").run(`${os.hostname()}:2147480000:dead`, NOW + 60_000);
    const before = pd.requests.length;
    const second = await sync({ now: () => NOW + 60_000 });
    expect(second).toMatchObject({ status: "succeeded", resumed: true, run: first.run, batchId: first.batchId, pages: 5, fetched: 450, created: 450 });
    expect(pd.requests.slice(before).map((r) => r.query.get("offset"))).toEqual(["300", "400"]);
    // The same window as the interrupted run, not a new one.
    expect(pd.requests.at(-1)!.query.get("until")).toBe(new Date(NOW).toISOString());
    expect(count("SELECT COUNT(*) n FROM incidents")).toBe(450);
    expect(count("SELECT COUNT(DISTINCT source_id) n FROM incidents")).toBe(450);
    expect(listImportBatches(t.db)).toHaveLength(1);
    expect(listImportBatches(t.db)[0].createdCount).toBe(450);
    expect(count("SELECT COUNT(*) n FROM import_batch_items WHERE batch_id = ?", first.batchId)).toBe(450);
  });

  test("one sync of a source at a time: a live lease holder makes another sync wait", async () => {
    seedIncidents(3);
    addSource();
    t.db.$client.prepare("UPDATE sources SET lease_owner = ?, lease_until = ?").run(`${os.hostname()}:${process.pid}:other`, NOW + 60_000);
    await expect(sync()).rejects.toBeInstanceOf(SourceBusyError);
    expect(pd.requests).toHaveLength(0);
    // An expired lease is taken over.
    const s = await sync({ now: () => NOW + 120_000 });
    expect(s.status).toBe("succeeded");
  });

  test("two syncs started together: exactly one runs", async () => {
    seedIncidents(150);
    addSource();
    pd.faultAt.set(1, { delayMs: 200 });
    const results = await Promise.allSettled([sync(), sync()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")!.reason).toBeInstanceOf(SourceBusyError);
    expect(count("SELECT COUNT(*) n FROM incidents")).toBe(150);
  });

  test("test connection says what works and what does not, and writes nothing", async () => {
    seedIncidents(2, NOW - 2 * HOUR);
    addSource();
    expect(await testSourceConnection(t.db, "pd-prod", { databaseUrl: `file:${t.file}`, now: NOW })).toEqual({ ok: true, message: "Connected to PagerDuty: incidents can be read." });
    expect(pd.requests[0].query.get("limit")).toBe("1");
    saveSource(t.db, { name: "pd-prod", kind: "pagerduty", baseUrl: pd.url, credential: "bad-key-xyz" }, admin, { id: getSourceByName(t.db, "pd-prod")!.id, databaseUrl: `file:${t.file}` });
    const bad = await testSourceConnection(t.db, "pd-prod", { databaseUrl: `file:${t.file}`, now: NOW });
    expect(bad).toEqual({ ok: false, message: "PagerDuty refused the credential (401): check the API key or token" });
    expect(count("SELECT COUNT(*) n FROM incidents")).toBe(0);
  });
});

describe("source settings", () => {
  test("the credential is sealed at rest and never in the audit trail", async () => {
    addSource();
    const row = getSourceByName(t.db, "pd-prod")!;
    expect(row.credential).toMatch(/^v1\./);
    expect(row.credential).not.toContain(pd.token);
    expect(JSON.stringify(t.db.$client.prepare("SELECT * FROM audit_log").all())).not.toContain(pd.token);
    const audit = t.db.$client.prepare("SELECT after FROM audit_log WHERE action = 'source.create'").get() as { after: string };
    expect(JSON.parse(audit.after)).toMatchObject({ name: "pd-prod", hasCredential: true });
  });

  test("bad settings are refused with every problem named, and nothing is written", () => {
    let err: unknown;
    try {
      saveSource(t.db, { name: "Bad Name!", kind: "servicenow" as "pagerduty", baseUrl: "ftp://x", everyMinutes: 0 }, admin, { databaseUrl: `file:${t.file}` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const fields = (err as ValidationError).issues.map((i) => i.field).sort();
    expect(fields).toEqual(["baseUrl", "everyMinutes", "kind", "name"]);
    expect(() => saveSource(t.db, { name: "pd", kind: "pagerduty", scope: "services:ABC" }, admin, { databaseUrl: `file:${t.file}` })).toThrow(ValidationError);
    try {
      saveSource(t.db, { name: "pd", kind: "pagerduty" }, admin, { databaseUrl: `file:${t.file}` });
    } catch (e) {
      expect((e as ValidationError).issues).toEqual([{ field: "credential", message: "PagerDuty needs an API key or token" }]);
    }
    expect(listSources(t.db)).toHaveLength(0);
    expect(latestRun(t.db, 1)).toBeNull();
  });

  test("names are unique", () => {
    addSource();
    expect(() => addSource()).toThrow(ConflictError);
  });
});
