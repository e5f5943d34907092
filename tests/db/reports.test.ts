import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { getClosure } from "@/db/queries/closures";
import { ensureDefaults, setTarget } from "@/db/queries/config";
import { computeMetrics } from "@/server/metrics";
import { countPublishedVersions, getPublishedReport, listPublishedReports } from "@/db/queries/report-publish";
import { publishReport, restatementForPublished } from "@/server/report-publish";
import { getNarrative, saveNarrative } from "@/db/queries/reports";
import { buildLiveReport, listReportQuarters } from "@/server/reports";
import { auditLog, incidentCuration, incidents, projects } from "@/db/schema";
import { ValidationError } from "@/lib/api/errors";
import { createTestDb } from "../support/db";

const H = 3_600_000;
const T = (iso: string) => Date.parse(iso);
const AS_OF = T("2024-12-15T00:00:00Z");

function addIncident(db: Db, sourceId: string, f: { start: string; hours: number; trigger?: "change" | "other" | "unknown"; reviewed?: boolean; services?: string[] }): number {
  const now = Date.now();
  const row = db
    .insert(incidents)
    .values({ source: "test", sourceId, title: `Incident ${sourceId}`, severity: "SEV1", startedAt: T(f.start), resolvedAt: T(f.start) + f.hours * H, sourceHash: sourceId, createdAt: now, updatedAt: now })
    .returning()
    .get();
  db.insert(incidentCuration)
    .values({
      incidentId: row.id,
      trigger: f.trigger ?? "change",
      services: f.services ?? ["api"],
      analysisStatus: "final",
      reviewedAt: f.reviewed === false ? null : now,
      updatedAt: now,
    })
    .run();
  return row.id;
}

let ctx: ReturnType<typeof createTestDb>;
let db: Db;
let ids: Record<string, number>;

beforeEach(() => {
  ctx = createTestDb();
  db = ctx.db;
  ensureDefaults(db);
  ids = {
    a: addIncident(db, "INC-A", { start: "2024-04-10T00:00:00Z", hours: 6 }),
    b: addIncident(db, "INC-B", { start: "2024-07-05T00:00:00Z", hours: 3, services: ["api", "db"] }),
    c: addIncident(db, "INC-C", { start: "2024-08-01T00:00:00Z", hours: 2, reviewed: false }),
  };
  setTarget(db, "FY2024-Q3", 4, { actor: "test" });
});
afterEach(() => ctx.cleanup());

describe("live report", () => {
  test("matches the metrics, compares with the previous quarter and the peak, flags unreviewed tags", () => {
    const m = buildLiveReport(db, "FY2024-Q3", { asOf: AS_OF });
    const q3 = computeMetrics(db, { asOf: AS_OF, from: "FY2024-Q3", to: "FY2024-Q3" }).quarters[0];
    expect(m.figure.hours).toBe(q3.hours);
    expect(m.figure.hours).toBe(5);
    expect(m.figure.target).toBe(4);
    expect(m.previous).toEqual({ quarter: "FY2024-Q2", hours: 6, target: null });
    expect(m.peak).toEqual({ quarter: "FY2024-Q2", hours: 6 });
    expect(m.topIncidents.map((i) => i.sourceId)).toEqual(["INC-B", "INC-C"]);
    expect(m.completeness.unreviewed.map((u) => u.sourceId)).toEqual(["INC-C"]);
    expect(m.policy.versionId).toBeGreaterThanOrEqual(0);
  });

  test("projects show their phase for the quarter", () => {
    const now = Date.now();
    db.insert(projects).values({ slug: "rb", name: "Rollbacks", status: "delivered", deliveredOn: "2023-12-01", lagMinMonths: 3, lagMaxMonths: 6, createdAt: now, updatedAt: now }).run();
    db.insert(projects).values({ slug: "lint", name: "Linter", status: "planned", createdAt: now, updatedAt: now }).run();
    const byslug = Object.fromEntries(buildLiveReport(db, "FY2024-Q3", { asOf: AS_OF }).projects.map((p) => [p.slug, p]));
    expect(byslug.rb.phase).toBe("Lag passed: effect measurable");
    expect(byslug.lint.phase).toBe("Planned");
    expect(buildLiveReport(db, "FY2024-Q1", { asOf: AS_OF }).projects.find((p) => p.slug === "rb")!.phase).toBe("In its lag window");
  });
});

describe("narrative", () => {
  test("saves, audits, clears with blank text, refuses an oversized one", () => {
    saveNarrative(db, "FY2024-Q3", "  Rollbacks helped.\r\n", { actor: "lead@example.com" });
    expect(getNarrative(db, "FY2024-Q3")?.narrative).toBe("Rollbacks helped.");
    expect(buildLiveReport(db, "FY2024-Q3", { asOf: AS_OF }).narrative).toBe("Rollbacks helped.");
    saveNarrative(db, "FY2024-Q3", "   ", { actor: "lead@example.com" });
    expect(getNarrative(db, "FY2024-Q3")).toBeNull();
    expect(() => saveNarrative(db, "FY2024-Q3", "x".repeat(20_001), { actor: "lead" })).toThrow(ValidationError);
    expect(() => saveNarrative(db, "2024Q3", "x", { actor: "lead" })).toThrow(ValidationError);
    const actions = db.select().from(auditLog).where(eq(auditLog.action, "report.narrative")).all();
    expect(actions).toHaveLength(2);
  });
});

describe("publishing", () => {
  test("freezes the quarter with the full report; the published numbers survive a tag change, which yields a restatement", () => {
    saveNarrative(db, "FY2024-Q3", "Two deploys went wrong.", { actor: "lead" });
    const pub = publishReport(db, "FY2024-Q3", { actor: "lead@example.com", asOf: AS_OF });
    expect(pub.version).toBe(1);
    expect(pub.model.figure.hours).toBe(5);
    expect(pub.model.narrative).toBe("Two deploys went wrong.");
    const closure = getClosure(db, "FY2024-Q3")!;
    expect(closure.published).toBe(true);
    expect(closure.hours).toBe(5);
    expect(closure.narrative).toBe("Two deploys went wrong.");
    expect(restatementForPublished(db, pub, { asOf: AS_OF })).toBeNull();

    // An engineer re-tags INC-B as not change-triggered and edits the narrative afterwards.
    db.update(incidentCuration).set({ trigger: "other" }).where(eq(incidentCuration.incidentId, ids.b)).run();
    saveNarrative(db, "FY2024-Q3", "Rewritten later.", { actor: "lead" });

    const again = getPublishedReport(db, "FY2024-Q3")!;
    expect(again.model.figure.hours).toBe(5);
    expect(again.model.topIncidents.map((i) => i.sourceId)).toEqual(["INC-B", "INC-C"]);
    expect(again.model.narrative).toBe("Two deploys went wrong.");
    expect(buildLiveReport(db, "FY2024-Q3", { asOf: AS_OF }).figure.hours).toBe(2);

    const r = restatementForPublished(db, again, { asOf: AS_OF })!;
    expect(r.reported).toBe(5);
    expect(r.now).toBe(2);
    expect(r.delta).toBe(-3);
    expect(r.moved).toEqual([expect.objectContaining({ id: String(ids.b), sourceId: "INC-B", before: 3, after: 0, reasonBefore: "high_severity", reasonAfter: "not_change_triggered" })]);
  });

  test("publishing again makes version 2; version 1 keeps its numbers and stays reachable", () => {
    expect(countPublishedVersions(db, "FY2024-Q3")).toBe(0);
    const v1 = publishReport(db, "FY2024-Q3", { actor: "lead", asOf: AS_OF });
    addIncident(db, "INC-D", { start: "2024-09-01T00:00:00Z", hours: 1 });
    const v2 = publishReport(db, "FY2024-Q3", { actor: "lead", asOf: AS_OF });
    expect(v2.version).toBe(2);
    expect(v2.model.figure.hours).toBe(6);
    const list = listPublishedReports(db, "FY2024-Q3");
    expect(list.map((p) => [p.version, p.model.figure.hours, p.inForce])).toEqual([
      [1, 5, false],
      [2, 6, true],
    ]);
    expect(getPublishedReport(db, "FY2024-Q3", 1)!.closureId).toBe(v1.closureId);
    expect(getPublishedReport(db, "FY2024-Q3", 3)).toBeNull();
    expect(countPublishedVersions(db, "FY2024-Q3")).toBe(list.length);
    expect(countPublishedVersions(db, "FY2024-Q2")).toBe(0);
    expect(getClosure(db, "FY2024-Q3")!.id).toBe(v2.closureId);
    const rows = listReportQuarters(db, { asOf: AS_OF });
    const q3 = rows.find((r) => r.quarter === "FY2024-Q3")!;
    expect(q3.published.map((p) => p.version)).toEqual([1, 2]);
    expect(rows[0].quarter).toBe("FY2024-Q4");
    expect(db.select().from(auditLog).where(eq(auditLog.action, "report.publish")).all()).toHaveLength(2);
  });

  test("a quarter that has not ended is refused and nothing is written", () => {
    expect(() => publishReport(db, "FY2024-Q4", { actor: "lead", asOf: AS_OF })).toThrow(/has not ended/);
    expect(() => publishReport(db, "FY2025-Q4", { actor: "lead", asOf: AS_OF })).toThrow(/has not ended/);
    expect(() => publishReport(db, "nope", { actor: "lead", asOf: AS_OF })).toThrow(ValidationError);
    expect(listPublishedReports(db, "FY2024-Q4")).toEqual([]);
    expect(db.select().from(auditLog).where(eq(auditLog.action, "quarter.close")).all()).toHaveLength(0);
  });
});
