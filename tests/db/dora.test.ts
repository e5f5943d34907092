import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listEntityAudit } from "@/db/queries/audit";
import { linkCauseToIncidents, listIncidentDeployLinks, loadDoraDeploys, loadDoraLinks, setIncidentDeployLinks } from "@/db/queries/deploy-links";
import { importDeploys, listDeploys } from "@/db/queries/deploys";
import { incidentCuration } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import { parseDeployText, validateDeployRows } from "@/lib/import/deploys";
import { computeDora, computeDoraCached } from "@/server/dora";
import { createTestDb } from "../support/db";
import { addIncident, HOUR, MIN } from "./incidents-helpers";

const ACTOR = { label: "alice@example.com" };
const AS_OF = Date.parse("2024-07-01T00:00:00Z");

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

function loadDeploys(csv: string) {
  const { deploys, errors } = validateDeployRows(parseDeployText(csv));
  importDeploys(db, deploys, errors, { actor: ACTOR });
  return new Map(listDeploys(db, { limit: 1000 }).items.map((d) => [d.externalId!, d.id]));
}

const DEPLOYS = [
  "time,service,deploy_system,version,rollback,external_id",
  "2024-05-01T10:00:00Z,checkout,argo,v1,no,D1",
  "2024-05-01T10:30:00Z,checkout,argo,v0,yes,R1",
  "2024-05-02T10:00:00Z,checkout,argo,v2,no,D2",
  "2024-05-03T10:00:00Z,search,spinnaker,s1,no,S1",
  "2024-05-03T12:00:00Z,search,spinnaker,s2,no,S2",
  "2024-05-03T13:00:00Z,search,spinnaker,s3,no,FIX",
].join("\n");

describe("change figures over the database", () => {
  test("rollbacks, confirmed causes and remediations make the quarter's figures; a quarter without deploys says no data", () => {
    const ids = loadDeploys(DEPLOYS);
    const counted = addIncident(db, { severity: "SEV1", trigger: "change", startedAt: Date.parse("2024-05-03T12:10:00Z"), resolvedAt: Date.parse("2024-05-03T14:00:00Z"), services: ["search"] });
    const untriaged = addIncident(db, { severity: "SEV1", trigger: "unknown", startedAt: Date.parse("2024-05-02T10:05:00Z"), services: ["checkout"] });
    setIncidentDeployLinks(db, { incidentId: counted, kind: "cause", deployIds: [ids.get("S2")!], actor: ACTOR });
    setIncidentDeployLinks(db, { incidentId: counted, kind: "remediation", deployIds: [ids.get("FIX")!], actor: ACTOR });
    setIncidentDeployLinks(db, { incidentId: untriaged, kind: "cause", deployIds: [ids.get("D2")!], actor: ACTOR });

    const report = computeDora(db, { asOf: AS_OF, from: "FY2024-Q1", to: "FY2024-Q2" });
    const [q1, q2] = report.quarters;
    expect(q1).toMatchObject({ quarter: "FY2024-Q1", deployments: 0, changeFailRate: null, reworkRate: null, recoveryMedianHours: null });
    // D1 rolled back by R1 (30 min); S2 caused a counted incident, fixed by FIX an hour later.
    // D2's incident is untriaged, so it does not count. FIX and R1 are remediation deploys.
    expect(q2).toMatchObject({ deployments: 4, remediationDeploys: 2, failedDeployments: 2, unrecovered: 0 });
    expect(q2.failedDeployIds).toEqual([String(ids.get("D1")), String(ids.get("S2"))].sort());
    expect(q2.changeFailRate).toBeCloseTo(0.5, 9);
    expect(q2.reworkRate).toBeCloseTo(2 / 6, 9);
    expect(q2.recoveryMedianHours).toBeCloseTo(0.75, 9);
    expect(q2.recoveryP90Hours).toBeCloseTo(1, 9);
    expect(q2.causeCoverage).toEqual({ counted: 1, withCause: 1, share: 1 });
    expect(report.byService.map((r) => r.key)).toEqual(["checkout", "search"]);
    expect(report.byService.map((r) => r.figures.changeFailRate)).toEqual([0.5, 0.5]);
    expect(report.bySystem.map((r) => r.key)).toEqual(["argo", "spinnaker"]);
  });

  test("a deploy linked on the incident page (linked deploy) counts as a confirmed cause", () => {
    const ids = loadDeploys(DEPLOYS);
    const inc = addIncident(db, { severity: "SEV1", trigger: "change", startedAt: Date.parse("2024-05-02T10:05:00Z"), services: ["checkout"] });
    db.update(incidentCuration).set({ linkedDeployId: ids.get("D2")! }).run();
    expect(loadDoraLinks(db).causes).toEqual([{ incidentId: String(inc), deployId: String(ids.get("D2")) }]);
    const q2 = computeDora(db, { asOf: AS_OF, from: "FY2024-Q2", to: "FY2024-Q2" }).quarters[0];
    expect(q2.failedDeployIds).toContain(String(ids.get("D2")));
  });

  test("deploys load in time order, whatever order they were imported in", () => {
    loadDeploys(DEPLOYS.split("\n").slice(0, 1).concat(DEPLOYS.split("\n").slice(1).reverse()).join("\n"));
    const times = loadDoraDeploys(db).map((d) => d.finishedAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe("confirming causing and remediation deploys", () => {
  test("replaces the set, audits before and after, and lists them; an unchanged set writes nothing", () => {
    const ids = loadDeploys(DEPLOYS);
    const inc = addIncident(db, { startedAt: Date.parse("2024-05-03T12:10:00Z"), services: ["search"] });
    setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [ids.get("S1")!, ids.get("S2")!], actor: ACTOR });
    const r = setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [ids.get("S2")!], actor: ACTOR });
    expect(r).toEqual({ before: [ids.get("S1"), ids.get("S2")].sort((a, b) => a! - b!), after: [ids.get("S2")] });
    setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [ids.get("S2")!], actor: ACTOR });
    expect(listIncidentDeployLinks(db, inc).map((l) => [l.kind, l.deploy.externalId, l.createdBy])).toEqual([["cause", "S2", ACTOR.label]]);
    const audit = listEntityAudit(db, "incident", inc).filter((a) => a.action === "incident.causes");
    expect(audit).toHaveLength(2);
  });

  test("an unknown deploy is refused by name and nothing is written; an unknown incident is not found", () => {
    const ids = loadDeploys(DEPLOYS);
    const inc = addIncident(db, { startedAt: Date.parse("2024-05-03T12:10:00Z") });
    expect(() => setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [ids.get("S1")!, 999_999], actor: ACTOR })).toThrow(ValidationError);
    expect(() => setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [999_999], actor: ACTOR })).toThrow("no deploy event with id 999999");
    expect(listIncidentDeployLinks(db, inc)).toEqual([]);
    expect(() => setIncidentDeployLinks(db, { incidentId: 424242, kind: "cause", deployIds: [], actor: ACTOR })).toThrow(NotFoundError);
  });

  test("removing a deploy removes its links", () => {
    const ids = loadDeploys(DEPLOYS);
    const inc = addIncident(db, { startedAt: Date.parse("2024-05-03T12:10:00Z") + 10 * MIN, resolvedAt: Date.parse("2024-05-03T12:10:00Z") + HOUR });
    setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [ids.get("S2")!], actor: ACTOR });
    db.$client.prepare("DELETE FROM deploy_events WHERE id = ?").run(ids.get("S2"));
    expect(listIncidentDeployLinks(db, inc)).toEqual([]);
  });
});

describe("none of these", () => {
  test("confirming no causing deploy is recorded even when none was linked", () => {
    const inc = addIncident(db, { startedAt: Date.parse("2024-05-03T12:10:00Z") });
    setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [], actor: ACTOR });
    const rows = listEntityAudit(db, "incident", inc).filter((a) => a.action === "incident.causes");
    expect(rows).toHaveLength(1);
    expect(rows[0].after).toEqual({ kind: "cause", deployIds: [] });
  });
});

describe("computeDoraCached", () => {
  test("keeps figures while nothing changed, recomputes after a deploy import or a confirmed link", () => {
    const ids = loadDeploys(DEPLOYS);
    const inc = addIncident(db, { severity: "SEV1", trigger: "change", startedAt: Date.parse("2024-05-02T10:05:00Z") });
    const now = Date.parse("2024-06-30T00:00:00Z");
    const first = computeDoraCached(db, { from: "FY2024-Q2", to: "FY2024-Q2" }, now);
    expect(computeDoraCached(db, { from: "FY2024-Q2", to: "FY2024-Q2" }, now + 1000)).toBe(first);
    loadDeploys(["time,service,rollback,external_id", "2024-05-20T10:00:00Z,checkout,no,D9"].join("\n"));
    const second = computeDoraCached(db, { from: "FY2024-Q2", to: "FY2024-Q2" }, now + 2000);
    expect(second.quarters[0].deployments).toBe(first.quarters[0].deployments + 1);
    setIncidentDeployLinks(db, { incidentId: inc, kind: "cause", deployIds: [ids.get("D2")!], actor: ACTOR });
    const third = computeDoraCached(db, { from: "FY2024-Q2", to: "FY2024-Q2" }, now + 3000);
    expect(third.quarters[0].failedDeployments).toBe(second.quarters[0].failedDeployments + 1);
  });
});

describe("one deploy as the cause of several incidents (bulk)", () => {
  test("links each selected incident by the deploy's external id, keeps their other causes, audits each, skips those already linked", () => {
    const ids = loadDeploys(DEPLOYS);
    const a = addIncident(db, { startedAt: Date.parse("2024-05-03T12:10:00Z"), services: ["search"] });
    const b = addIncident(db, { startedAt: Date.parse("2024-05-03T12:20:00Z"), services: ["search"] });
    setIncidentDeployLinks(db, { incidentId: b, kind: "cause", deployIds: [ids.get("S1")!], actor: ACTOR });
    expect(linkCauseToIncidents(db, { incidentIds: [a, b], deploy: "S2", actor: ACTOR })).toEqual({ deployId: ids.get("S2"), linked: 2, already: 0 });
    expect(listIncidentDeployLinks(db, b).map((l) => l.deploy.externalId).sort()).toEqual(["S1", "S2"]);
    expect(linkCauseToIncidents(db, { incidentIds: [a], deploy: String(ids.get("S2")), actor: ACTOR })).toMatchObject({ linked: 0, already: 1 });
    const audit = listEntityAudit(db, "incident", b).filter((r) => r.action === "incident.causes");
    expect(audit.at(-1)!.detail).toMatchObject({ added: ["search s2 (S2)"], bulk: true });
  });

  test("an unknown deploy or incident is refused by name and nothing is written", () => {
    loadDeploys(DEPLOYS);
    const a = addIncident(db, { startedAt: Date.parse("2024-05-03T12:10:00Z") });
    expect(() => linkCauseToIncidents(db, { incidentIds: [a], deploy: "NOPE-1", actor: ACTOR })).toThrow('no deploy event with id or external id "NOPE-1"');
    expect(() => linkCauseToIncidents(db, { incidentIds: [a, 987654], deploy: "S2", actor: ACTOR })).toThrow("no incident with id 987654");
    expect(listIncidentDeployLinks(db, a)).toEqual([]);
  });
});

describe("the dashboard's filter", () => {
  test("a service or deploy-system filter keeps those deploys (and incidents) only", () => {
    loadDeploys(DEPLOYS);
    const range = { asOf: AS_OF, from: "FY2024-Q2", to: "FY2024-Q2" };
    expect(computeDora(db, { ...range, filter: { services: ["SEARCH"] } }).quarters[0]).toMatchObject({ deployments: 3, remediationDeploys: 0 });
    expect(computeDora(db, { ...range, filter: { deploySystems: ["argo"] } }).quarters[0]).toMatchObject({ deployments: 2, remediationDeploys: 1, failedDeployments: 1 });
    expect(computeDora(db, { ...range, filter: { services: ["nothing-here"] } }).quarters[0]).toMatchObject({ deployments: 0, changeFailRate: null });
    const all = computeDoraCached(db, { from: "FY2024-Q2", to: "FY2024-Q2" }, AS_OF);
    expect(computeDoraCached(db, { from: "FY2024-Q2", to: "FY2024-Q2" }, AS_OF, { services: ["search"], deploySystems: [] })).not.toBe(all);
  });
});
