/**
 * incident.io, Statuspage, Jira and Opsgenie connectors against their fakes: the happy path
 * with pagination, rate limiting (429 + Retry-After) and a server error, a crash mid-sync
 * (resumes, nothing doubled, nothing lost), and bad input (an answer in the wrong shape, a
 * refused credential: a clear error, nothing written).
 */
import os from "node:os";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { listImportBatches } from "@/db/queries/imports";
import { getSourceByName } from "@/db/queries/sources";
import { saveSource } from "@/server/sources/manage";
import { syncSource, type SyncOptions } from "@/server/sources/sync";
import { createTestDb } from "../support/db";
import {
  incidentioItem,
  jiraItem,
  opsgenieItem,
  startFakeIncidentio,
  startFakeJira,
  startFakeOpsgenie,
  startFakeStatuspage,
  statuspageItem,
  type FakeVendor,
  type Item,
} from "../support/fake-vendors/others";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const HOUR = 3_600_000;

interface Case {
  kind: "incidentio" | "statuspage" | "jira" | "opsgenie";
  start: () => Promise<FakeVendor>;
  item: (n: number, t: number) => Item;
  /** Items for a sync of several pages (Statuspage answers one page of at most 50). */
  n: number;
  pageSize: number;
  pages: number;
  source: string;
  /** The stored id of item n. */
  id: (n: number) => string;
  /** The query parameter that moves through pages (null: one page only). */
  cursorParam: string | null;
  wrongShape: string;
  refused: string | null;
}

const CASES: Case[] = [
  {
    kind: "incidentio",
    start: () => startFakeIncidentio(),
    item: incidentioItem,
    n: 25,
    pageSize: 10,
    pages: 4,
    source: "incident.io",
    id: (n) => `01HZ${String(n).padStart(18, "0")}`,
    cursorParam: "after",
    wrongShape: 'incident.io answered without an "incidents" list',
    refused: "incident.io refused the credential (401): check the API key or token",
  },
  {
    kind: "statuspage",
    start: () => startFakeStatuspage(),
    item: statuspageItem,
    n: 12,
    pageSize: 100,
    pages: 1,
    source: "statuspage",
    id: (n) => `sp${String(n).padStart(10, "0")}`,
    cursorParam: null,
    wrongShape: 'The status page answered without an "incidents" list',
    refused: null,
  },
  {
    kind: "jira",
    start: () => startFakeJira(),
    item: (n, t) => jiraItem(n, t),
    n: 25,
    pageSize: 10,
    pages: 3,
    source: "jira",
    id: (n) => `OPS-${n}`,
    cursorParam: "startAt",
    wrongShape: 'Jira answered without an "issues" list',
    refused: "Jira refused the credential (401): check the API key or token",
  },
  {
    kind: "opsgenie",
    start: () => startFakeOpsgenie(),
    item: opsgenieItem,
    n: 25,
    pageSize: 10,
    pages: 3,
    source: "opsgenie",
    id: (n) => `0e0f0000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    cursorParam: "offset",
    wrongShape: 'Opsgenie answered without a "data" list',
    refused: "Opsgenie refused the credential (401): check the API key or token",
  },
];

let t: ReturnType<typeof createTestDb>;
let fake: FakeVendor;
let waits: number[];
const count = (sql: string) => (t.db.$client.prepare(sql).get() as { n: number }).n;

describe.each(CASES)("$kind connector", (c) => {
  const sync = (opts: SyncOptions = {}) =>
    syncSource(t.db, "src", { now: () => NOW, pageSize: c.pageSize, http: { backoffMs: 50, timeoutMs: 2000, sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, 5))) }, databaseUrl: `file:${t.file}`, ...opts });

  beforeEach(async () => {
    t = createTestDb();
    fake = await c.start();
    waits = [];
    for (let i = 1; i <= c.n; i++) fake.items.push(c.item(i, NOW - 12 * HOUR + i * 60_000));
    saveSource(t.db, { name: "src", kind: c.kind, baseUrl: fake.url, credential: fake.credential || undefined, scope: c.kind === "jira" ? "project = OPS" : "" }, { label: "admin" }, { databaseUrl: `file:${t.file}`, now: NOW });
  });
  afterEach(async () => {
    await fake.close();
    t.cleanup();
  });

  test("syncs every page into one batch; a second sync changes nothing", async () => {
    const s = await sync();
    expect(s).toMatchObject({ status: "succeeded", pages: c.pages, fetched: c.n, created: c.n, rejected: 0, error: null });
    expect(count(`SELECT COUNT(*) n FROM incidents WHERE source = '${c.source}'`)).toBe(c.n);
    expect(count(`SELECT COUNT(*) n FROM incidents WHERE source_id = '${c.id(7)}'`)).toBe(1);
    const row = t.db.$client.prepare("SELECT started_at, resolved_at, title FROM incidents WHERE source_id = ?").get(c.id(7)) as { started_at: number; resolved_at: number | null; title: string };
    expect(row.started_at).toBe(NOW - 12 * HOUR + 7 * 60_000);
    expect(row.resolved_at).not.toBeNull();
    expect(listImportBatches(t.db)).toHaveLength(1);
    const again = await sync({ now: () => NOW + HOUR });
    expect(again).toMatchObject({ status: "succeeded", created: 0, updated: 0, unchanged: c.n, batchId: null });
  });

  test("honours 429 with Retry-After and retries a 503", async () => {
    fake.faultAt.set(1, { status: 429, headers: { "retry-after": "2" } });
    fake.faultAt.set(2, { status: 503 });
    const s = await sync();
    expect(s).toMatchObject({ status: "succeeded", created: c.n });
    expect(waits[0]).toBe(2000);
    expect(waits).toHaveLength(2);
  });

  test("a crash mid-sync resumes from the cursor: nothing doubled, nothing lost", async () => {
    if (!c.cursorParam) {
      // One page only: a crash before it commits leaves nothing, and the next run reads it whole.
      fake.faultAt.set(1, { drop: true });
      const s = await sync({ http: { maxRetries: 0, backoffMs: 1, sleep: async () => undefined } });
      expect(s.status).toBe("failed");
      expect(count("SELECT COUNT(*) n FROM incidents")).toBe(0);
      expect((await sync()).created).toBe(c.n);
      return;
    }
    const first = await sync({ onPage: (p) => { if (p.page === 2) throw new Error("simulated crash"); } });
    expect(first).toMatchObject({ status: "failed", pages: 2, created: 2 * c.pageSize });
    t.db.$client.prepare("UPDATE source_runs SET status = 'running', error = NULL, finished_at = NULL").run();
    t.db.$client.prepare("UPDATE sources SET lease_owner = ?, lease_until = ?").run(`${os.hostname()}:2147480000:dead`, NOW + 60_000);
    const before = fake.requests.length;
    const second = await sync();
    expect(second).toMatchObject({ status: "succeeded", resumed: true, batchId: first.batchId, fetched: c.n, created: c.n });
    // The first request after the crash continues where the second page ended.
    expect(fake.requests[before].query.get(c.cursorParam)).not.toBeNull();
    expect(count("SELECT COUNT(*) n FROM incidents")).toBe(c.n);
    expect(count("SELECT COUNT(DISTINCT source_id) n FROM incidents")).toBe(c.n);
  });

  test("an answer in the wrong shape fails in plain words and writes nothing", async () => {
    for (let i = 0; i < 8; i++) fake.faults.push({ status: 200, body: JSON.stringify({ unexpected: true }) });
    const s = await sync();
    expect(s.status).toBe("failed");
    expect(s.error).toContain(c.wrongShape);
    expect(count("SELECT COUNT(*) n FROM incidents")).toBe(0);
    expect(count("SELECT COUNT(*) n FROM import_batches")).toBe(0);
    expect(getSourceByName(t.db, "src")!.consecutiveFailures).toBe(1);
  });

  test("a refused credential fails at once, naming what to check", async () => {
    if (!c.refused) return;
    fake.credential = "rotated";
    const s = await sync();
    expect(s).toMatchObject({ status: "failed", error: c.refused, created: 0 });
    expect(fake.requests).toHaveLength(1);
  });
});
