import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listAudit } from "@/db/queries/audit";
import { getSettings, savePolicyVersion, getCurrentPolicy } from "@/db/queries/config";
import { DASHBOARD_CACHE_MS, incidentSummaries, listFilterOptions, loadDashboard, loadDashboardCached, previewPolicy, warmDashboard } from "@/db/queries/dashboard";
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

  test("filter options join the catalogue with tagged deploy systems", () => {
    db.insert(services).values([{ name: "web" }, { name: "api" }]).run();
    db.insert(deploySystems).values({ name: "argo" }).run();
    addIncident(db, { startedAt: AS_OF - HOUR, deploySystem: "homegrown" });
    expect(listFilterOptions(db)).toEqual({ services: ["api", "web"], deploySystems: ["argo", "homegrown"] });
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
    expect(getGeneralSettings(db)).toEqual({ fiscalYearStartMonth: 2, timezone: "Europe/London", fiscalYearLabel: "start", maturityDays: 14, deployWindowMinutes: 90 });
    const audit = listAudit(db, { action: "settings.update" });
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
