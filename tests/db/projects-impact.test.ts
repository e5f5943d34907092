import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { getTargets, setTarget } from "@/db/queries/config";
import { computeProjectImpact, computeSourceRanking, computeTargetPlan, impactJson, loadProjectContext, projectJson } from "@/server/projects-impact";
import { getProjectBySlug, listAttributedIncidents } from "@/db/queries/projects";
import { seedDemoData } from "@/scripts/demo";
import { createTestDb } from "@/tests/support/db";

// Two instants: a fixed one, and one in another quarter position, so the story does not hang on a date.
describe.each([["2025-11-20T12:00:00Z"], ["2026-03-02T18:00:00Z"]])("demo program as of %s", (iso) => {
  const asOf = Date.parse(iso);
  let t: ReturnType<typeof createTestDb>;
  let db: Db;
  beforeAll(() => {
    t = createTestDb();
    db = t.db;
    seedDemoData(db, asOf);
  });
  afterAll(() => t.cleanup());

  test("a project's API JSON: its fields in form order, the scope lists nested, instants as ISO", () => {
    const row = getProjectBySlug(db, "automatic-rollbacks")!;
    const json = projectJson(row);
    expect(Object.keys(json)).toEqual(["slug", "name", "ownerTeam", "description", "status", "deliveredOn", "scope", "lagMinMonths", "lagMaxMonths", "expectedEffectHours", "isDemo", "createdAt", "updatedAt"]);
    expect(json.scope).toEqual({ services: row.scopeServices, deploySystems: row.scopeDeploySystems, changeTypes: row.scopeChangeTypes });
    expect(json).toMatchObject({ slug: "automatic-rollbacks", status: row.status, lagMaxMonths: row.lagMaxMonths, isDemo: true, createdAt: new Date(row.createdAt).toISOString() });
  });

  test("automatic-rollbacks shows its drop after the lag window", () => {
    const { impact } = computeProjectImpact(db, "automatic-rollbacks", { asOf });
    expect(impact.quarters.some((q) => q.phase === "lag")).toBe(true);
    expect(impact.after.quarters.length).toBeGreaterThan(0);
    expect(impact.verdict === "met" || impact.verdict === "partial").toBe(true);
    expect(impact.after.average!).toBeLessThan(impact.before.average! * 0.7);
    expect(impact.realisedEffectHours).toBeCloseTo(impact.before.average! - impact.after.average!, 9);
    // Every "after" quarter starts at or after the end of the lag window; averaged ones are complete.
    for (const q of impact.quarters.filter((x) => x.phase === "after")) expect(q.start).toBeGreaterThanOrEqual(impact.window!.lagEnd);
    for (const q of impact.quarters.filter((x) => x.usedIn)) expect(q.end).toBeLessThanOrEqual(asOf);
  });

  test("the curtailed search-load-tests shows no drop", () => {
    const { project, impact } = computeProjectImpact(db, "search-load-tests", { asOf });
    expect(project.status).toBe("curtailed");
    expect(impact.verdict).toBe("no_drop");
    expect(impact.summary).toMatch(/^No drop/);
  });

  test("in-progress and planned projects are not judged", () => {
    expect(computeProjectImpact(db, "flag-guardrails", { asOf }).impact.verdict).toBe("not_delivered");
    expect(computeProjectImpact(db, "migration-linter", { asOf }).impact.verdict).toBe("not_delivered");
    expect(() => computeProjectImpact(db, "nope", { asOf })).toThrow(/No project/);
  });

  test("the impact JSON carries each quarter's phase and the averages", () => {
    const { project, impact } = computeProjectImpact(db, "automatic-rollbacks", { asOf });
    const json = impactJson(project, impact, asOf);
    expect(json.quarters.every((q) => ["before", "lag", "after"].includes(q.phase))).toBe(true);
    expect(json.before.average).toBe(impact.before.average);
    expect(json.window?.delivery).toMatch(/T0[78]:00:00.000Z$/); // local midnight in Los Angeles
  });

  test("explicit attributions from the demo are listed", () => {
    const p = getProjectBySlug(db, "automatic-rollbacks")!;
    expect(listAttributedIncidents(db, p.id).length).toBeGreaterThan(0);
  });

  test("portfolio ranking: cumulative share reaches 1 and coverage shows", () => {
    const ctx = loadProjectContext(db, asOf);
    const r = computeSourceRanking(db, ctx, { dimension: "deploySystem" });
    expect(r.quarters).toHaveLength(4);
    expect(r.rows.at(-1)!.cumulativeShare).toBeCloseTo(1, 9);
    const spinnaker = r.rows.find((x) => x.key === "spinnaker")!;
    expect(spinnaker.covering.map((c) => c.slug)).toContain("automatic-rollbacks");
    expect(spinnaker.gap).toBe(false);
    expect(r.rows.some((x) => x.gap)).toBe(true);
  });

  test("target plan: suggestions with reasoning; never applied by itself", () => {
    const before = getTargets(db);
    const ctx = loadProjectContext(db, asOf);
    const plan = computeTargetPlan(db, ctx);
    expect(plan.suggestions).toHaveLength(4);
    expect(plan.suggestions[0].reasoning[0]).toMatch(/^Baseline/);
    expect(plan.excluded.map((e) => e.slug)).toContain("search-load-tests");
    expect(getTargets(db)).toEqual(before);
    setTarget(db, plan.suggestions[0].quarter, plan.suggestions[0].suggestedHours, { actor: "lead", note: "suggested" });
    expect(getTargets(db)[plan.suggestions[0].quarter]).toBe(plan.suggestions[0].suggestedHours);
  });
});
