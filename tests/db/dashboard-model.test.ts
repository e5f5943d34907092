import { beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { updateCuration } from "@/db/queries/curation";
import { loadDashboard } from "@/server/dashboard/data";
import { loadDashboardModel } from "@/server/dashboard/cache";
import { toDashboardModel } from "@/server/dashboard/model";
import { sharedWorkerTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

// The dashboard worker opens DATABASE_URL itself: this file's database, set before its first job.
const t = sharedWorkerTestDb();
let db: Db;
beforeAll(() => {
  db = t.db;
});

const editor = { id: "u-editor", label: "editor@example.com", role: "editor" as const, kind: "user" as const };
const hoursOf = (m: { quarterly: { quarter: string; hours: number }[] }) => m.quarterly.reduce((n, q) => n + q.hours, 0);
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("dashboard model on the worker thread", () => {
  test("the worker's model is the in-process one; stale while revalidating for others, read-your-writes for the writer", async () => {
    const now = Date.now();
    const id = addIncident(db, { startedAt: now - 30 * 86_400_000, resolvedAt: now - 30 * 86_400_000 + 2 * HOUR, trigger: "change", services: ["api"] });
    addIncident(db, { startedAt: now - 20 * 86_400_000, resolvedAt: now - 20 * 86_400_000 + HOUR, trigger: "change", services: ["web"] });

    // First view: nothing to show before, so it waits for the worker.
    const first = await loadDashboardModel(db, { now, actorLabel: "viewer@example.com" });
    expect(first.updating).toBe(false);
    expect(first.totalIncidents).toBe(2);
    const here = toDashboardModel(loadDashboard(db, { asOf: now }), first.fingerprint, first.auditHead);
    expect({ ...first, updating: undefined }).toEqual({ ...here, updating: undefined });
    expect(hoursOf(first)).toBeCloseTo(3, 6);
    expect(first.metrics.quarters.reduce((n, q) => n + q.countedIncidents, 0)).toBe(2);

    // Unchanged data: the same figures, no new computation.
    const again = await loadDashboardModel(db, { now: now + 10, actorLabel: "viewer@example.com", staleWaitMs: 0 });
    expect(again.asOf).toBe(first.asOf);

    // Someone else writes (no audit row under the viewer's label): the viewer gets the previous
    // figures at once, marked as updating, and the new ones shortly after.
    db.$client.prepare("UPDATE incident_curation SET trigger = 'other' WHERE incident_id = ?").run(id);
    const stale = await loadDashboardModel(db, { now: now + 20, actorLabel: "viewer@example.com", staleWaitMs: 0, staleMinIncidents: 0 });
    expect(stale.updating).toBe(true);
    expect(stale.asOf).toBe(first.asOf);
    expect(hoursOf(stale)).toBeCloseTo(3, 6);
    let fresh = stale;
    for (let k = 0; k < 100 && fresh.updating; k++) {
      await settle(20);
      fresh = await loadDashboardModel(db, { now: now + 30, actorLabel: "viewer@example.com", staleWaitMs: 0, staleMinIncidents: 0 });
    }
    expect(fresh.updating).toBe(false);
    expect(hoursOf(fresh)).toBeCloseTo(1, 6);

    // The writer's own next view waits for figures that hold their edit, however long it takes.
    updateCuration(db, id, { trigger: "change" }, { actor: editor, now: now + 40 });
    const own = await loadDashboardModel(db, { now: now + 50, actorLabel: editor.label, staleWaitMs: 0, staleMinIncidents: 0 });
    expect(own.updating).toBe(false);
    expect(hoursOf(own)).toBeCloseTo(3, 6);

    // On a small database (under STALE_MIN_INCIDENTS) nobody is shown previous figures.
    db.$client.prepare("UPDATE incident_curation SET trigger = 'other' WHERE incident_id = ?").run(id);
    const small = await loadDashboardModel(db, { now: now + 60, actorLabel: "viewer@example.com", staleWaitMs: 0 });
    expect(small.updating).toBe(false);
    expect(hoursOf(small)).toBeCloseTo(1, 6);
  });

  test("a filter is a model of its own", async () => {
    const web = await loadDashboardModel(db, { filter: { services: ["web"] }, actorLabel: "viewer@example.com" });
    expect(web.incidentCount).toBe(1);
    expect(web.totalIncidents).toBe(2);
  });
});
