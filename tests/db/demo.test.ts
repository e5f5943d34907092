import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { countIncidents, isDemoDataLoaded, shouldAutoLoadDemo } from "@/db/queries/demo";
import { seedDemoData, unseedDemoData } from "@/scripts/demo";
import { createTestDb } from "../support/db";

let t: ReturnType<typeof createTestDb>;
beforeEach(() => (t = createTestDb()));
afterEach(() => t.cleanup());

describe("demo data in the database", () => {
  test("loads into an empty database, flags it, and removes cleanly", () => {
    expect(shouldAutoLoadDemo(t.db)).toBe(true);
    const loaded = seedDemoData(t.db, Date.parse("2026-11-26T12:00:00Z"));
    expect(countIncidents(t.db)).toBe(loaded.incidents);
    expect(isDemoDataLoaded(t.db)).toBe(true);
    const attributed = t.db.$client.prepare("select count(*) n from incident_projects").get() as { n: number };
    expect(attributed.n).toBeGreaterThan(0);

    const removed = unseedDemoData(t.db, { label: "test" });
    expect(removed.incidents).toBe(loaded.incidents);
    expect(countIncidents(t.db)).toBe(0);
    expect(isDemoDataLoaded(t.db)).toBe(false);
    for (const table of ["incident_curation", "incident_projects", "projects", "deploy_events", "quarter_targets"]) {
      expect((t.db.$client.prepare(`select count(*) n from ${table}`).get() as { n: number }).n, table).toBe(0);
    }
    const tz = t.db.$client.prepare("select timezone from settings where id = 1").get() as { timezone: string };
    expect(tz.timezone).toBe("UTC");
  });

  test("an emptied database does not get the demo back on the next start", () => {
    seedDemoData(t.db);
    unseedDemoData(t.db);
    expect(shouldAutoLoadDemo(t.db)).toBe(false);
  });

  test("removing demo data keeps real incidents", () => {
    seedDemoData(t.db);
    const now = Date.now();
    t.db.$client
      .prepare("insert into incidents (source, source_id, title, severity, started_at, source_hash, created_at, updated_at) values ('jira', 'OPS-1', 'Real one', 'SEV1', ?, 'x', ?, ?)")
      .run(now, now, now);
    unseedDemoData(t.db);
    expect(countIncidents(t.db)).toBe(1);
  });
});
