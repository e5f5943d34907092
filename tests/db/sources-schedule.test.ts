import { afterEach, beforeEach, expect, test } from "vitest";
import { failingSources, getSourceByName } from "@/db/queries/sources";
import { saveSource } from "@/server/sources/manage";
import { runDueSyncs } from "@/server/sources/scheduler";
import { syncSource } from "@/server/sources/sync";
import { createTestDb } from "../support/db";
import { pagerdutyIncident, startFakePagerDuty, type FakePagerDuty } from "../support/fake-vendors/pagerduty";

const g = globalThis as unknown as { __deploySafetyDb?: unknown };
let t: ReturnType<typeof createTestDb>;
let pd: FakePagerDuty;
let savedUrl: string | undefined;

beforeEach(async () => {
  t = createTestDb();
  savedUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = `file:${t.file}`;
  g.__deploySafetyDb = t.db;
  pd = await startFakePagerDuty();
});
afterEach(async () => {
  delete g.__deploySafetyDb;
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
  await pd.close();
  t.cleanup();
});

test("the scheduler syncs a source when its period has passed, and not before", async () => {
  const now = Date.now();
  for (let i = 1; i <= 3; i++) pd.incidents.push(pagerdutyIncident(i, now - i * 3_600_000));
  saveSource(t.db, { name: "pd", kind: "pagerduty", baseUrl: pd.url, credential: pd.token, everyMinutes: 15 }, { label: "admin" }, { now });
  expect(await runDueSyncs(now + 60_000)).toEqual([]);
  expect(pd.requests).toHaveLength(0);
  expect(await runDueSyncs(now + 15 * 60_000)).toEqual(["pd"]);
  expect((t.db.$client.prepare("SELECT COUNT(*) n FROM incidents").get() as { n: number }).n).toBe(3);
  expect(t.db.$client.prepare("SELECT trigger FROM source_runs").get()).toEqual({ trigger: "schedule" });
  // The next run is one period after this one.
  expect(getSourceByName(t.db, "pd")!.nextRunAt).toBeGreaterThanOrEqual(now + 15 * 60_000);
});

test("a turned-off source is never due", async () => {
  const now = Date.now();
  saveSource(t.db, { name: "pd", kind: "pagerduty", baseUrl: pd.url, credential: pd.token, enabled: false }, { label: "admin" }, { now });
  expect(await runDueSyncs(now + 24 * 3_600_000)).toEqual([]);
});

test("a source that keeps failing is listed for the data-completeness panel with its last error", async () => {
  saveSource(t.db, { name: "pd", kind: "pagerduty", baseUrl: pd.url, credential: "revoked-key" }, { label: "admin" });
  for (let i = 0; i < 2; i++) await syncSource(t.db, "pd", { http: { backoffMs: 1 } });
  expect(failingSources(t.db, 3)).toEqual([]);
  await syncSource(t.db, "pd", { http: { backoffMs: 1 } });
  expect(failingSources(t.db, 3)).toEqual([{ name: "pd", kind: "pagerduty", failures: 3, error: "PagerDuty refused the credential (401): check the API key or token", since: null }]);
  // One success clears it.
  saveSource(t.db, { name: "pd", kind: "pagerduty", baseUrl: pd.url, credential: pd.token }, { label: "admin" }, { id: getSourceByName(t.db, "pd")!.id });
  await syncSource(t.db, "pd");
  expect(failingSources(t.db, 3)).toEqual([]);
});
