/**
 * Rows whose times are out of bounds that reach the database anyway (written by SQL, an old
 * database, a clock that was wrong): every figure still computes, without them, and they are
 * named as left out.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { loadDashboard } from "@/server/dashboard/data";
import { earliestIncidentStart, listTimeExcludedIncidents, loadEngineIncidents } from "@/db/queries/metric-input";
import { computeAnalysis, computeMetrics } from "@/server/metrics";
import { loadProjectContext } from "@/server/projects-impact";
import { listReportQuarters } from "@/server/reports";
import { ValidationError } from "@/lib/api/errors";
import { toExcludedSummary } from "@/lib/charts/quality";
import { quartersToCsv, toQuarterExportRows } from "@/lib/export/quarters";
import { createTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

const ROOT = path.resolve(__dirname, "../..");
const AS_OF = Date.parse("2024-11-15T00:00:00Z");
const T = (iso: string) => Date.parse(iso);

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

/** Straight SQL, as an old database or a hand edit would leave it: no validation on the way in. */
function insertRaw(sourceId: string, title: string, startedAt: number, resolvedAt: number | null): number {
  const now = Date.now();
  const id = Number(
    db.$client
      .prepare(
        `INSERT INTO incidents (source, source_id, title, severity, started_at, resolved_at, source_hash, created_at, updated_at)
         VALUES ('sql', ?, ?, 'SEV1', ?, ?, 'h', ?, ?)`,
      )
      .run(sourceId, title, startedAt, resolvedAt, now, now).lastInsertRowid,
  );
  db.$client.prepare(`INSERT INTO incident_curation (incident_id, trigger, analysis_status, updated_at) VALUES (?, 'change', 'final', ?)`).run(id, now);
  return id;
}

function seedBadRows() {
  const good = addIncident(db, { title: "Good one", startedAt: T("2024-02-01T00:00:00Z"), resolvedAt: T("2024-02-01T03:00:00Z"), trigger: "change" });
  const bad = {
    year0: insertRaw("Y0", "Year zero", T("0000-01-01T00:00:00Z"), null),
    y1969: insertRaw("Y1969", "Before the epoch", T("1969-07-20T20:17:00Z"), T("1969-07-20T22:00:00Z")),
    epoch: insertRaw("Y1970", "Epoch zero", 0, HOUR),
    forever: insertRaw("Y9999", "Resolves in 9999", T("2024-03-01T00:00:00Z"), T("9999-12-31T00:00:00Z")),
  };
  return { good, bad };
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${t.file}`, DEMO_DATA: "off" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("rows with out-of-bounds times in the database", () => {
  test("figures leave them out: computeMetrics, the quarters CSV, the analysis, the dashboard, reports and projects all answer", () => {
    const { good, bad } = seedBadRows();

    const engineIds = loadEngineIncidents(db).map((i) => i.id);
    expect(engineIds).toEqual([String(good)]);

    const metrics = computeMetrics(db, { asOf: AS_OF });
    expect(metrics.quarters[0].quarter).toBe("FY2024-Q1");
    expect(metrics.quarters.every((q) => /^FY\d{4}-Q[1-4]$/.test(q.quarter))).toBe(true);
    expect(metrics.quarters.find((q) => q.quarter === "FY2024-Q1")!.hours).toBeCloseTo(3, 9);
    // The 9999 resolution adds nothing to the current and later quarters.
    expect(metrics.quarters.find((q) => q.quarter === "FY2024-Q4")!.hours).toBe(0);
    expect(metrics.incidents.map((i) => i.id)).toEqual([String(good)]);

    const csv = quartersToCsv(toQuarterExportRows(metrics.quarters));
    expect(csv.split("\n")[1]).toMatch(/^FY2024-Q1,/);
    expect(csv).not.toContain("FY00");

    expect(computeAnalysis(db, { asOf: AS_OF }).incidents).toHaveLength(1);
    const dash = loadDashboard(db, { asOf: AS_OF });
    expect(dash.totalIncidents).toBe(5);
    expect(dash.analysis.quarters.map((q) => q.quarter)).toEqual(["FY2024-Q1", "FY2024-Q2", "FY2024-Q3", "FY2024-Q4"]);
    expect(listReportQuarters(db, { asOf: AS_OF }).at(-1)!.quarter).toBe("FY2024-Q1");
    expect(loadProjectContext(db, AS_OF).incidents).toHaveLength(1);
    expect(earliestIncidentStart(db)).toBe(T("2024-02-01T00:00:00Z"));

    const listed = listTimeExcludedIncidents(db);
    expect(listed.total).toBe(4);
    const byId = new Map(listed.rows.map((r) => [Number(r.id), r]));
    expect(byId.get(bad.year0)).toMatchObject({ title: "Year zero", field: "started_at", value: "0000-01-01T00:00:00.000Z" });
    expect(byId.get(bad.year0)!.reason).toBe("started_at 0000-01-01T00:00:00.000Z is before 1990-01-01T00:00:00.000Z, the earliest time accepted (TIME_MIN)");
    expect(byId.get(bad.y1969)).toMatchObject({ title: "Before the epoch", field: "started_at" });
    expect(byId.get(bad.epoch)).toMatchObject({ title: "Epoch zero", field: "started_at", value: "1970-01-01T00:00:00.000Z" });
    expect(byId.get(bad.forever)).toMatchObject({ title: "Resolves in 9999", field: "resolved_at", value: "9999-12-31T00:00:00.000Z" });
    expect(byId.get(bad.forever)!.reason).toMatch(/^resolved_at 9999-12-31T00:00:00.000Z is after .*, the latest time accepted \(24 hours after now, TIME_MAX_FUTURE_HOURS\)$/);

    const panel = toExcludedSummary(listTimeExcludedIncidents(db, { limit: 2 }));
    expect(panel.total).toBe(4);
    expect(panel.rows.map((r) => r.label)).toEqual(["Year zero", "Before the epoch"]);
  });

  test("a row fixed later counts again, and nothing is listed once the database is clean", () => {
    const { bad } = seedBadRows();
    db.$client.prepare("UPDATE incidents SET resolved_at = ? WHERE id = ?").run(T("2024-03-01T02:00:00Z"), bad.forever);
    expect(computeMetrics(db, { asOf: AS_OF }).quarters.find((q) => q.quarter === "FY2024-Q1")!.hours).toBeCloseTo(5, 9);
    db.$client.prepare("DELETE FROM incidents WHERE id IN (?, ?, ?)").run(bad.year0, bad.y1969, bad.epoch);
    expect(listTimeExcludedIncidents(db)).toEqual({ total: 0, rows: [] });
  });

  test("an asOf outside the calendar is a 422-style ValidationError, not a crash", () => {
    seedBadRows();
    expect(() => computeMetrics(db, { asOf: T("0001-01-01T00:00:00Z") })).toThrow(ValidationError);
  });

  test("cli metrics succeeds over them; --as-of out of bounds is refused with a one-line reason", async () => {
    seedBadRows();
    const ok = await runCli(["metrics", "--json", "--as-of", "2024-11-15T00:00:00Z"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const out = JSON.parse(ok.stdout) as { quarters: { quarter: string; hours: number }[] };
    expect(out.quarters.map((q) => q.quarter)).toEqual(["FY2024-Q1", "FY2024-Q2", "FY2024-Q3", "FY2024-Q4"]);
    expect(out.quarters[0].hours).toBeCloseTo(3, 9);

    const early = await runCli(["metrics", "--as-of", "1969-12-31T00:00:00Z"]);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toContain("--as-of 1969-12-31T00:00:00.000Z is before 1990-01-01T00:00:00.000Z");
    const late = await runCli(["metrics", "--as-of", "9999-12-31"]);
    expect(late.code).not.toBe(0);
    expect(late.stderr).toContain("--as-of 9999-12-31T00:00:00.000Z is after");
  }, 60_000);
});
