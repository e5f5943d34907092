/**
 * The dashboard's period is a view of one computed model: cut to a range, every series holds
 * exactly that range's quarters with the figures `cli metrics` (computeMetrics) gives for the
 * same range, and the largest sources are ranked within it.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { ensureDefaults } from "@/db/queries/config";
import { createProject } from "@/db/queries/projects";
import { computeMetrics } from "@/server/metrics";
import { loadDashboard } from "@/server/dashboard/data";
import { toDashboardModel } from "@/server/dashboard/model";
import { modelInPeriod, rankingInPeriod } from "@/server/dashboard/period";
import { BREAKDOWN_DIMENSIONS } from "@/lib/charts/breakdown";
import { createTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

const AS_OF = Date.parse("2026-11-15T00:00:00Z");
let t: ReturnType<typeof createTestDb>;
let db: Db;

beforeAll(() => {
  t = createTestDb();
  db = t.db;
  ensureDefaults(db);
  // One change-triggered SEV1 a quarter from FY2021-Q1 (UTC, fiscal year from January) to now; hours grow with the quarter.
  let k = 0;
  for (let ms = Date.parse("2021-02-01T00:00:00Z"); ms < AS_OF; ms += 91 * 86_400_000, k++) {
    addIncident(db, { startedAt: ms, resolvedAt: ms + (k + 1) * HOUR, trigger: "change", severity: "SEV1", services: [k % 2 ? "api" : "web"] });
  }
  createProject(db, { slug: "canary", name: "Canary deploys", status: "delivered", deliveredOn: "2023-05-10" }, { actor: "test", now: AS_OF });
});
afterAll(() => t.cleanup());

const model = () => toDashboardModel(loadDashboard(db, { asOf: AS_OF }), "fp", 0);

describe("the dashboard's period", () => {
  test.each([
    ["FY2024-Q4", "FY2026-Q4"],
    ["FY2022-Q1", "FY2023-Q4"],
    ["FY2021-Q1", "FY2021-Q1"],
  ])("%s to %s: every series holds the range's quarters, with cli metrics' figures", (from, to) => {
    const m = model();
    const view = modelInPeriod(m, { from, to });
    const cli = computeMetrics(db, { asOf: AS_OF, from, to }).quarters.filter((q) => q.status !== "future");
    expect(view.shownQuarters).toEqual(cli.map((q) => q.quarter));
    view.quarterly.forEach((q, i) => {
      expect(q.hours).toBeCloseTo(cli[i].hours, 3);
      expect(q.upperBound).toBeCloseTo(cli[i].upperBoundHours, 3);
      expect(q.status).toBe(cli[i].status);
      expect(q.counted).toBe(cli[i].countedIncidentIds.length);
    });
    for (const dim of BREAKDOWN_DIMENSIONS) expect(view.stacked[dim].rows.map((r) => r.quarter)).toEqual(view.shownQuarters);
    expect(view.northStar.map((r) => r.quarter)).toEqual(view.shownQuarters);
    expect(view.completeness.rows.map((r) => r.quarter)).toEqual(view.shownQuarters);
  });

  test("lag markers are placed on the period's own axis, and left off when the delivery is outside it", () => {
    const m = model();
    const inside = modelInPeriod(m, { from: "FY2023-Q1", to: "FY2023-Q4" });
    expect(inside.markers).toHaveLength(1);
    // Delivered 10 May: in the second quarter of the axis, about 43% of the way through it (quarter i spans i − 0.5 to i + 0.5).
    expect(inside.markers[0].deliveryQuarter).toBe("FY2023-Q2");
    expect(inside.markers[0].deliveryPos).toBeGreaterThan(0.5 + 0.4);
    expect(inside.markers[0].deliveryPos).toBeLessThan(0.5 + 0.5);
    const after = modelInPeriod(m, { from: "FY2025-Q1", to: "FY2025-Q4" });
    expect(after.markers.every((mk) => mk.deliveryPos === null)).toBe(true);
  });

  test("the largest sources are ranked within the period: its 'all' holds its hours, no more", () => {
    const m = model();
    const period = { from: "FY2022-Q1", to: "FY2023-Q4" };
    const data = loadDashboard(db, { asOf: AS_OF });
    const ranking = rankingInPeriod(m, period, "FY2026-Q4", () => data);
    const hours = computeMetrics(db, { asOf: AS_OF, ...period }).quarters.reduce((n, q) => n + q.hours, 0);
    expect(ranking.service.all.totalHours).toBeCloseTo(hours, 3);
    expect(ranking.service.all.quarters.sort()).toEqual(modelInPeriod(m, period).shownQuarters);
    // The default period's ranking comes with the model, without reading the full figures.
    expect(rankingInPeriod(m, { from: "FY2024-Q4", to: "FY2026-Q4" }, "FY2026-Q4", () => { throw new Error("not needed"); })).toBe(m.ranking);
  });
});
