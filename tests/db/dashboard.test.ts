import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { openDatabase } from "@/db/client";
import { listAudit, recordAudit } from "@/db/queries/audit";
import { getSettings, savePolicyVersion, getCurrentPolicy, setTarget } from "@/db/queries/config";
import { updateCuration } from "@/db/queries/curation";
import { createProject } from "@/db/queries/projects";
import { createApiToken, verifyApiToken } from "@/db/queries/tokens";
import { incidentSummaries, listFilterOptions } from "@/db/queries/dashboard-reads";
import { DASHBOARD_CACHE_MS, loadDashboard, loadDashboardCached, previewPolicy, warmDashboard } from "@/server/dashboard/data";
import { demoDataCounts, getGeneralSettings, updateGeneralSettings } from "@/db/queries/general-settings";
import { deploySystems, quarterClosures, services } from "@/db/schema";
import { ValidationError } from "@/lib/api/errors";
import { toDrillDown } from "@/lib/charts/drilldown";
import { createTestDb } from "../support/db";
import { addIncident, HOUR, MIN } from "./incidents-helpers";

let t: ReturnType<typeof createTestDb>;
let db: Db;
const AS_OF = Date.parse("2024-11-15T00:00:00Z");

beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

describe("loadDashboard", () => {
  test("one analysis over every incident; filters narrow it; empty database reports 0", () => {
    expect(loadDashboard(db, { asOf: AS_OF }).totalIncidents).toBe(0);
    addIncident(db, { startedAt: Date.parse("2024-02-01T00:00:00Z"), resolvedAt: Date.parse("2024-02-01T03:00:00Z"), trigger: "change", services: ["api"], deploySystem: "argo" });
    addIncident(db, { startedAt: Date.parse("2024-05-01T00:00:00Z"), resolvedAt: Date.parse("2024-05-01T02:00:00Z"), trigger: "change", services: ["web"], deploySystem: "spinnaker" });
    addIncident(db, { startedAt: Date.parse("2024-05-02T00:00:00Z"), trigger: "unknown", services: ["web"] });
    const all = loadDashboard(db, { asOf: AS_OF });
    expect(all.totalIncidents).toBe(3);
    expect(all.incidents).toHaveLength(3);
    expect(all.analysis.incidents).toHaveLength(3);
    const byQ = Object.fromEntries(all.analysis.quarters.map((q) => [q.quarter, q]));
    expect(byQ["FY2024-Q1"].hours).toBeCloseTo(3, 9);
    expect(byQ["FY2024-Q2"].hours).toBeCloseTo(2, 9);
    expect(byQ["FY2024-Q2"].upperBoundHours).toBeCloseTo(3, 9);
    const drill = toDrillDown("FY2024-Q2", all.analysis.incidents);
    expect(drill.totalHours).toBeCloseTo(byQ["FY2024-Q2"].hours, 9);
    expect(drill.pending).toHaveLength(1);

    const web = loadDashboard(db, { asOf: AS_OF, filter: { services: ["WEB"] } });
    expect(web.totalIncidents).toBe(3);
    expect(web.incidents.map((i) => i.services[0])).toEqual(["web", "web"]);
    const argo = loadDashboard(db, { asOf: AS_OF, filter: { deploySystems: ["argo"] } });
    expect(argo.incidents).toHaveLength(1);
  });

  test("closed quarters' frozen figures are used unfiltered only; newest non-reopened closure wins", () => {
    addIncident(db, { startedAt: Date.parse("2024-02-01T00:00:00Z"), trigger: "change" });
    const base = { policyVersionId: null, settings: {}, upperBoundHours: 0, target: 5, status: "final", contributions: [], closedAt: AS_OF };
    db.insert(quarterClosures).values({ ...base, quarter: "FY2024-Q1", hours: 9, reopenedAt: AS_OF }).run();
    db.insert(quarterClosures).values({ ...base, quarter: "FY2024-Q1", hours: 7 }).run();
    expect(loadDashboard(db, { asOf: AS_OF }).closures).toEqual([{ quarter: "FY2024-Q1", hours: 7, target: 5 }]);
    expect(loadDashboard(db, { asOf: AS_OF, filter: { services: ["checkout"] } }).closures).toEqual([]);
  });

  test("filter options are the values the incidents carry, not the catalogue", () => {
    db.insert(services).values([{ name: "web" }, { name: "catalogue-only" }]).run();
    db.insert(deploySystems).values({ name: "argo" }).run();
    addIncident(db, { startedAt: AS_OF - HOUR, deploySystem: "homegrown" });
    addIncident(db, { startedAt: AS_OF - 2 * HOUR, services: ["web", "API"] });
    addIncident(db, { startedAt: AS_OF - 3 * HOUR, services: ["api"], deploySystem: "Homegrown" });
    expect(listFilterOptions(db)).toEqual({ services: expect.arrayContaining(["API", "web"]), deploySystems: ["homegrown"] });
    expect(listFilterOptions(db).services).not.toContain("catalogue-only");
    expect(listFilterOptions(db).services.filter((s) => s.toLowerCase() === "api")).toHaveLength(1);
  });

  test("incident summaries look up titles by engine id, ignoring junk ids", () => {
    const id = addIncident(db, { startedAt: AS_OF - HOUR, title: "Checkout down", sourceId: "PD-1" });
    const m = incidentSummaries(db, [String(id), "nope", "999999"]);
    expect([...m.keys()]).toEqual([String(id)]);
    expect(m.get(String(id))).toMatchObject({ title: "Checkout down", sourceId: "PD-1", severity: "SEV2" });
  });
});

describe("loadDashboardCached", () => {
  test("reuses the figures while nothing changes; any write, a new filter or age recomputes", () => {
    addIncident(db, { startedAt: AS_OF - 2 * HOUR, trigger: "change" });
    const a = loadDashboardCached(db, { now: AS_OF });
    expect(loadDashboardCached(db, { now: AS_OF + 1000 })).toBe(a);
    expect(loadDashboardCached(db, { now: AS_OF + 1000, filter: { services: ["checkout"] } })).not.toBe(a);
    expect(loadDashboardCached(db, { now: AS_OF + DASHBOARD_CACHE_MS + 1 })).not.toBe(a);
    const b = loadDashboardCached(db, { now: AS_OF + DASHBOARD_CACHE_MS + 2 });
    addIncident(db, { startedAt: AS_OF - HOUR, trigger: "change" });
    const c = loadDashboardCached(db, { now: AS_OF + DASHBOARD_CACHE_MS + 3 });
    expect(c).not.toBe(b);
    expect(c.incidents).toHaveLength(2);
  });
});

describe("dataFingerprint: the cache is kept by writes the figures don't read, dropped by those they do", () => {
  const actor = { id: null, label: "test@example.com" };
  let id: number;
  let a: ReturnType<typeof loadDashboardCached>;
  beforeEach(() => {
    id = addIncident(db, { startedAt: AS_OF - 2 * HOUR, resolvedAt: AS_OF - HOUR, trigger: "change" });
    addIncident(db, { startedAt: AS_OF - 3 * HOUR, resolvedAt: AS_OF - 2 * HOUR, trigger: "unknown" });
    a = loadDashboardCached(db, { now: AS_OF });
  });

  test.each<[string, () => void]>([
    ["an API token created and used (its last-use stamp)", () => {
      const { token } = createApiToken(db, { name: "ci", role: "viewer", createdBy: actor });
      expect(verifyApiToken(db, token, { ip: "10.0.0.1", method: "GET", path: "/api/metrics/quarters" })).not.toBeNull();
    }],
    ["an audit row", () => recordAudit(db, { actor, action: "auth.sign_in", entityType: "user", entityId: "u1" })],
    ["a session, a rate-limit row and a report narrative", () => {
      db.$client.prepare("INSERT INTO user (id, name, email, email_verified, created_at, updated_at) VALUES ('u1', 'U', 'u@x', 0, 0, 0)").run();
      db.$client.prepare("INSERT INTO session (id, token, user_id, expires_at, created_at, updated_at) VALUES ('s1', 't', 'u1', 9e12, 0, 0)").run();
      db.$client.prepare("INSERT INTO rate_limit (id, key, count, last_request) VALUES ('r1', 'k', 1, 0)").run();
      db.$client.prepare("INSERT INTO report_narratives (quarter, narrative, updated_at) VALUES ('FY2024-Q4', 'x', 0)").run();
    }],
    ["settings the figures don't read (import limit)", () => db.$client.prepare("UPDATE settings SET max_import_bytes = max_import_bytes - 1").run()],
  ])("kept: %s", (_what, write) => {
    write();
    expect(loadDashboardCached(db, { now: AS_OF + 1000 })).toBe(a);
  });

  test.each<[string, () => void]>([
    ["a new incident", () => addIncident(db, { startedAt: AS_OF - HOUR, trigger: "change" })],
    ["a curation edit", () => updateCuration(db, id, { trigger: "other" }, { actor: { id: null, label: "t", role: "editor" } as never, now: AS_OF })],
    ["an incident's own row updated", () => db.$client.prepare("UPDATE incidents SET severity = 'SEV1' WHERE id = ?").run(id)],
    ["an incident deleted", () => db.$client.prepare("DELETE FROM incidents WHERE id = ?").run(id)],
    ["the newest incident's first curation row", () => {
      // The importer's order: the incident, then (unlogged) its curation row.
      const n = addIncident(db, { startedAt: AS_OF - HOUR });
      db.$client.prepare("DELETE FROM incident_curation WHERE incident_id = ?").run(n);
      loadDashboardCached(db, { now: AS_OF + 500 });
      db.$client.prepare("INSERT INTO incident_curation (incident_id, trigger, updated_at) VALUES (?, 'change', 0)").run(n);
      expect(loadDashboardCached(db, { now: AS_OF + 600 }).incidents.find((i) => i.id === String(n))?.trigger).toBe("change");
    }],
    ["a policy version", () => savePolicyVersion(db, getCurrentPolicy(db).policy, { actor })],
    ["a target", () => setTarget(db, "FY2024-Q4", 12, { actor })],
    ["a project", () => createProject(db, { slug: "auto-rollbacks", name: "Automatic rollbacks", status: "delivered", deliveredOn: "2024-05-15", scopeDeploySystems: ["spinnaker"], expectedEffectHours: 12 }, { actor })],
    ["a closure reopened", () => {
      db.insert(quarterClosures).values({ policyVersionId: null, settings: {}, upperBoundHours: 0, target: 5, status: "final", contributions: [], closedAt: AS_OF, quarter: "FY2024-Q1", hours: 7 }).run();
      loadDashboardCached(db, { now: AS_OF + 500 });
      db.$client.prepare("UPDATE quarter_closures SET reopened_at = 1").run();
      expect(loadDashboardCached(db, { now: AS_OF + 600 }).closures).toEqual([]);
    }],
    ["the fiscal settings", () => db.$client.prepare("UPDATE settings SET timezone = 'Europe/London'").run()],
    ["a service added to the catalogue", () => db.insert(services).values({ name: "zeta" }).run()],
    ["a deploy system renamed", () => {
      db.insert(deploySystems).values({ name: "argo" }).run();
      loadDashboardCached(db, { now: AS_OF + 500 });
      db.$client.prepare("UPDATE deploy_systems SET name = 'argo-cd'").run();
      // The filters list the values incidents carry (not the catalogue), so a rename shows there only once an incident is retagged.
      expect(loadDashboardCached(db, { now: AS_OF + 600 }).filterOptions.deploySystems).not.toContain("argo-cd");
    }],
  ])("dropped: %s", (_what, write) => {
    write();
    expect(loadDashboardCached(db, { now: AS_OF + 1000 })).not.toBe(a);
  });

  test("a write by another connection (the CLI, the import worker) drops it too", () => {
    const other = openDatabase(`file:${t.file}`);
    try {
      other.$client.prepare("UPDATE incident_curation SET trigger = 'other' WHERE incident_id = ?").run(id);
    } finally {
      other.$client.close();
    }
    const b = loadDashboardCached(db, { now: AS_OF + 1000 });
    expect(b).not.toBe(a);
    expect(b.incidents.find((i) => i.id === String(id))?.trigger).toBe("other");
  });
});

describe("warmDashboard", () => {
  test("computes the figures in the background, so the next view is served from memory", async () => {
    addIncident(db, { startedAt: AS_OF - 2 * HOUR, trigger: "change" });
    warmDashboard(db);
    await new Promise((r) => setTimeout(r, 20));
    const before = Date.now();
    const data = loadDashboardCached(db);
    // Computed by the warm-up, before this call: a fresh computation would be stamped now.
    expect(data.asOf).toBeLessThan(before);
    expect(data.incidents).toHaveLength(1);
  });
});

describe("previewPolicy", () => {
  test("a higher blip threshold drops short medium incidents, before anything is saved", () => {
    const start = Date.parse("2024-03-01T00:00:00Z");
    addIncident(db, { startedAt: start, resolvedAt: start + 15 * MIN, severity: "SEV3", trigger: "change" });
    addIncident(db, { startedAt: start + HOUR, resolvedAt: start + 2 * HOUR, severity: "SEV2", trigger: "change" });
    const current = getCurrentPolicy(db);
    const draft = { ...current.policy, mediumRule: { match: "any" as const, minDurationMinutes: 30 } };
    const p = previewPolicy(db, draft, { asOf: AS_OF });
    const q1 = p.quarters.find((q) => q.quarter === "FY2024-Q1")!;
    expect(q1.current.hours).toBeCloseTo(1.25, 9);
    expect(q1.draft.hours).toBeCloseTo(1, 9);
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0].after.reason).toBe("medium_not_selected");
    expect(Object.values(p.summaries)[0].severity).toBe("SEV3");
    const blip = p.draftBlip.find((b) => b.quarter === "FY2024-Q1")!.points;
    expect(blip.map((x) => x.minDurationMinutes)).toEqual([5, 10, 20, 30]);
    expect(blip[0].hours).toBeCloseTo(1.25, 9);
    expect(blip[3].hours).toBeCloseTo(1, 9);
    expect(getCurrentPolicy(db).id).toBe(current.id);
    savePolicyVersion(db, draft, { actor: "test" });
    expect(previewPolicy(db, draft, { asOf: AS_OF }).changes).toHaveLength(0);
  });
});

describe("general settings", () => {
  test("saves the engine settings and the deploy window together, audited", () => {
    const s = updateGeneralSettings(db, { fiscalYearStartMonth: 2, timezone: "Europe/London", fiscalYearLabel: "start", maturityDays: 14, deployWindowMinutes: 90 }, { actor: { label: "admin@x" } });
    expect(s.deployWindowMinutes).toBe(90);
    expect(getGeneralSettings(db)).toEqual({ fiscalYearStartMonth: 2, timezone: "Europe/London", fiscalYearLabel: "start", maturityDays: 14, deployWindowMinutes: 90, causeWindowHours: 24, rollbackWindowHours: 24 });
    // The change-figure windows: saved when given, kept when not; out of range is refused by name.
    updateGeneralSettings(db, { ...s, causeWindowHours: 48, rollbackWindowHours: 6 }, { actor: { label: "admin@x" } });
    expect(getGeneralSettings(db)).toMatchObject({ causeWindowHours: 48, rollbackWindowHours: 6 });
    expect(() => updateGeneralSettings(db, { ...s, rollbackWindowHours: 0 }, { actor: { label: "admin@x" } })).toThrow(ValidationError);
    expect(getGeneralSettings(db).rollbackWindowHours).toBe(6);
    const audit = listAudit(db, { action: "settings.update" });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actorLabel: "admin@x", entityType: "settings" });
  });

  test("an unknown zone or bad numbers are refused with every field named, and nothing is written", () => {
    const before = getGeneralSettings(db);
    let err: unknown;
    try {
      updateGeneralSettings(db, { fiscalYearStartMonth: 13, timezone: "Mars/Base", fiscalYearLabel: "end", maturityDays: -1, deployWindowMinutes: 60 }, { actor: { label: "a" } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.field).sort()).toEqual(["fiscalYearStartMonth", "maturityDays", "timezone"]);
    expect(getGeneralSettings(db)).toEqual(before);
    expect(getSettings(db).timezone).toBe(before.timezone);
    expect(listAudit(db, { action: "settings.update" })).toHaveLength(0);
  });

  test("demo counts distinguish demo from real incidents", () => {
    addIncident(db, { startedAt: AS_OF - HOUR });
    expect(demoDataCounts(db)).toMatchObject({ loaded: false, incidents: 0, realIncidents: 1 });
  });
});
