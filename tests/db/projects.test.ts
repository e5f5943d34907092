import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listAudit, listEntityAudit } from "@/db/queries/audit";
import {
  attachIncidentsToProject,
  createProject,
  deleteProject,
  detachIncidentFromProject,
  getProjectBySlug,
  importProjects,
  listAttributedIncidents,
  listProjectDeliveries,
  listProjects,
  listProjectsForIncident,
  setIncidentProjects,
  updateProject,
} from "@/db/queries/projects";
import { incidents } from "@/db/schema";
import { ValidationError } from "@/lib/api/errors";
import { createTestDb } from "@/tests/support/db";

let t: ReturnType<typeof createTestDb>;
let db: Db;
const actor = { id: "u1", label: "lead@example.com" };

function addIncident(n: number): number {
  return db
    .insert(incidents)
    .values({ source: "test", sourceId: `T${n}`, title: `Incident ${n}`, severity: "SEV2", startedAt: 1_700_000_000_000 + n, sourceHash: "h", createdAt: 1, updatedAt: 1 })
    .returning({ id: incidents.id })
    .get().id;
}

function issuesOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return Object.fromEntries(err.issues.map((i) => [i.field, i.message]));
    throw err;
  }
  throw new Error("expected a ValidationError");
}

beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

const valid = { slug: "auto-rollbacks", name: "Automatic rollbacks", status: "delivered", deliveredOn: "2024-05-15", scopeDeploySystems: ["spinnaker"], expectedEffectHours: 12 };

describe("create and update", () => {
  test("creates with defaults and an audit row", () => {
    const p = createProject(db, valid, { actor, now: 1000 });
    expect(p).toMatchObject({ slug: "auto-rollbacks", lagMinMonths: 3, lagMaxMonths: 6, scopeServices: [], status: "delivered" });
    expect(listAudit(db, { action: "project.create" })).toHaveLength(1);
    expect(listProjectDeliveries(db).map((d) => d.slug)).toEqual(["auto-rollbacks"]);
  });

  test("reports every field error at once and writes nothing", () => {
    const issues = issuesOf(() =>
      createProject(db, { slug: "Bad Slug", name: "", status: "delivered", lagMinMonths: 7, lagMaxMonths: 40, expectedEffectHours: -1 }, { actor }),
    );
    expect(Object.keys(issues).sort()).toEqual(["deliveredOn", "expectedEffectHours", "lagMaxMonths", "name", "slug"]);
    expect(issues.slug).toMatch(/lowercase/);
    expect(issues.lagMaxMonths).toMatch(/0–36/);
    expect(listProjects(db)).toEqual([]);
  });

  test("cross-field rules: lag min ≤ max, a delivered project needs a date", () => {
    const issues = issuesOf(() => createProject(db, { slug: "x1", name: "X", status: "delivered", lagMinMonths: 6, lagMaxMonths: 3 }, { actor }));
    expect(issues).toEqual({ lagMaxMonths: "maximum lag must be at least the minimum lag", deliveredOn: "delivery date is required when the status is delivered" });
    expect(issuesOf(() => createProject(db, { ...valid, deliveredOn: "2024-02-30" }, { actor })).deliveredOn).toMatch(/real date/);
  });

  test("a taken slug is a field error", () => {
    createProject(db, valid, { actor });
    expect(issuesOf(() => createProject(db, { ...valid, name: "Other" }, { actor }))).toEqual({ slug: 'slug "auto-rollbacks" is already used by another project' });
  });

  test("update merges over the stored project, validates the whole, audits only what changed", () => {
    createProject(db, valid, { actor, now: 1 });
    expect(issuesOf(() => updateProject(db, "auto-rollbacks", { lagMinMonths: 9 }, { actor })).lagMaxMonths).toMatch(/at least the minimum/);
    expect(issuesOf(() => updateProject(db, "auto-rollbacks", { deliveredOn: "" }, { actor })).deliveredOn).toMatch(/required/);
    const p = updateProject(db, "auto-rollbacks", { status: "curtailed", lagMaxMonths: "9" }, { actor, now: 2 });
    expect(p).toMatchObject({ status: "curtailed", lagMaxMonths: 9, expectedEffectHours: 12, updatedAt: 2 });
    const audit = listAudit(db, { action: "project.update" });
    expect(audit).toHaveLength(1);
    expect(audit[0].before).toEqual({ status: "delivered", lagMaxMonths: 6 });
    expect(audit[0].after).toEqual({ status: "curtailed", lagMaxMonths: 9 });
  });

  test("unknown slug → not found; stale edit → conflict", () => {
    expect(() => updateProject(db, "nope", { name: "x" }, { actor })).toThrow(/No project "nope"/);
    const p = createProject(db, valid, { actor, now: 5 });
    expect(() => updateProject(db, p.slug, { name: "x" }, { actor, expectedUpdatedAt: 4 })).toThrow(/changed this project/);
  });

  test("delete removes the project and its attributions, with an audit row", () => {
    const p = createProject(db, valid, { actor });
    const id = addIncident(1);
    attachIncidentsToProject(db, p.slug, [id], { actor });
    deleteProject(db, p.slug, { actor });
    expect(getProjectBySlug(db, p.slug)).toBeNull();
    expect(listProjectsForIncident(db, id)).toEqual([]);
    expect(listAudit(db, { action: "project.delete" })[0].detail).toEqual({ attributedIncidentIds: [id] });
  });
});

describe("import", () => {
  test("one bad row fails the whole import with row-numbered issues", () => {
    createProject(db, valid, { actor });
    const issues = issuesOf(() =>
      importProjects(
        db,
        [
          { slug: "ok-one", name: "OK", lag_min_months: "2", lag_max_months: "4", scope_services: "search; payments-api" },
          { slug: "ok-one", name: "Twice" },
          { slug: "bad", name: "Bad", status: "done", expected_effect_hours: "lots" },
        ],
        { actor },
      ),
    );
    expect(issues["rows.2.slug"]).toMatch(/repeated \(first on row 1\)/);
    expect(issues["rows.3.status"]).toMatch(/one of planned/);
    expect(issues["rows.3.expectedEffectHours"]).toMatch(/number of hours/);
    expect(listProjects(db).map((p) => p.slug)).toEqual(["auto-rollbacks"]);
  });

  test("creates new slugs and updates existing ones in one go", () => {
    createProject(db, valid, { actor });
    const r = importProjects(
      db,
      [
        { slug: "auto-rollbacks", name: "Automatic rollbacks v2", status: "delivered", delivered_on: "2024-06-01" },
        { slug: "new-one", name: "New", "scope change types": "config,feature_flag", status: "In progress" },
      ],
      { actor },
    );
    expect(r).toEqual({ created: ["new-one"], updated: ["auto-rollbacks"] });
    expect(getProjectBySlug(db, "auto-rollbacks")).toMatchObject({ name: "Automatic rollbacks v2", deliveredOn: "2024-06-01" });
    expect(getProjectBySlug(db, "new-one")).toMatchObject({ status: "in_progress", scopeChangeTypes: ["config", "feature_flag"] });
  });

  test("an unknown column is reported, not ignored", () => {
    expect(issuesOf(() => importProjects(db, [{ slug: "a1", name: "A", colour: "red" }], { actor }))["rows.1"]).toMatch(/colour/);
  });
});

describe("explicit attribution", () => {
  test("attach in bulk skips ones already attributed; detach; audit rows on the incident", () => {
    createProject(db, valid, { actor });
    const [a, b] = [addIncident(1), addIncident(2)];
    expect(attachIncidentsToProject(db, "auto-rollbacks", [a], { actor })).toEqual({ added: [a], alreadyAttributed: [] });
    expect(attachIncidentsToProject(db, "auto-rollbacks", [a, b, b], { actor })).toEqual({ added: [b], alreadyAttributed: [a] });
    const p = getProjectBySlug(db, "auto-rollbacks")!;
    expect(listAttributedIncidents(db, p.id).map((i) => i.id).sort()).toEqual([a, b].sort());
    expect(detachIncidentFromProject(db, "auto-rollbacks", a, { actor })).toBe(true);
    expect(detachIncidentFromProject(db, "auto-rollbacks", a, { actor })).toBe(false);
    expect(listEntityAudit(db, "incident", a).map((r) => r.action)).toEqual(["project.attribute", "project.unattribute"]);
  });

  test("a missing incident fails the whole attach", () => {
    createProject(db, valid, { actor });
    const a = addIncident(1);
    expect(issuesOf(() => attachIncidentsToProject(db, "auto-rollbacks", [a, 99999], { actor })).incidentIds).toMatch(/99999/);
    expect(listProjectsForIncident(db, a)).toEqual([]);
    expect(() => attachIncidentsToProject(db, "nope", [a], { actor })).toThrow(/No project/);
  });

  test("setIncidentProjects adds and removes the difference; unknown slugs write nothing", () => {
    createProject(db, valid, { actor });
    createProject(db, { slug: "other", name: "Other" }, { actor });
    const a = addIncident(1);
    expect(setIncidentProjects(db, a, ["auto-rollbacks"], { actor })).toEqual({ added: ["auto-rollbacks"], removed: [] });
    expect(setIncidentProjects(db, a, ["other"], { actor })).toEqual({ added: ["other"], removed: ["auto-rollbacks"] });
    expect(issuesOf(() => setIncidentProjects(db, a, ["auto-rollbacks", "ghost"], { actor })).projects).toMatch(/"ghost"/);
    expect(listProjectsForIncident(db, a).map((p) => p.slug)).toEqual(["other"]);
  });
});
