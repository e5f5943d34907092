/**
 * Removing the demo next to real data: the demo's rows go (incidents, projects, deploys,
 * targets, closures and publications over its figures, their narratives, catalogue entries
 * only it named), and the real archive with everything people made over it stays, row for row.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { setTarget } from "@/db/queries/config";
import { updateCuration } from "@/db/queries/curation";
import { listActiveClosureFigures, listFilterOptions } from "@/db/queries/dashboard-reads";
import { isDemoDataLoaded } from "@/db/queries/demo";
import { importIncidents } from "@/db/queries/imports";
import { incidentFilterChoices } from "@/db/queries/incidents";
import { createProject } from "@/db/queries/projects";
import { listPublishedReports } from "@/db/queries/report-publish";
import { saveNarrative } from "@/db/queries/reports";
import { closeQuarter } from "@/server/closures";
import { publishReport } from "@/server/report-publish";
import { listReportQuarters } from "@/server/reports";
import { parseImport } from "@/lib/import/parse";
import { DEMO_DEPLOY_SYSTEMS, DEMO_SERVICES } from "@/scripts/demo/catalog";
import { seedDemoData, unseedDemoData } from "@/scripts/demo";
import { createTestDb } from "../support/db";

const AS_OF = Date.parse("2026-11-26T12:00:00Z");
const lead = { id: "lead-1", label: "lead@example.com" };
let t: ReturnType<typeof createTestDb>;
let db: Db;

const rows = (sql: string) => db.$client.prepare(sql).all();
const count = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
/** Everything real and user-made, as stored: compared before and after the removal. */
const realSnapshot = () => ({
  incidents: rows("SELECT * FROM incidents WHERE is_demo = 0 ORDER BY id"),
  curation: rows("SELECT c.* FROM incident_curation c JOIN incidents i ON i.id = c.incident_id WHERE i.is_demo = 0 ORDER BY c.incident_id"),
  attributions: rows("SELECT ip.* FROM incident_projects ip JOIN incidents i ON i.id = ip.incident_id WHERE i.is_demo = 0 ORDER BY ip.incident_id"),
  projects: rows("SELECT * FROM projects WHERE is_demo = 0 ORDER BY id"),
  targets: rows("SELECT * FROM quarter_targets WHERE created_by IS NOT 'demo data' ORDER BY id"),
  closures: rows("SELECT * FROM quarter_closures WHERE quarter = 'FY2022-Q1' ORDER BY id"),
  narratives: rows("SELECT * FROM report_narratives WHERE quarter = 'FY2022-Q1'"),
  batches: rows("SELECT * FROM import_batches ORDER BY id"),
  policies: rows("SELECT * FROM policy_versions ORDER BY id"),
});
let before: ReturnType<typeof realSnapshot>;
let realId: number;

beforeAll(async () => {
  t = createTestDb();
  db = t.db;
  seedDemoData(db, AS_OF);
  const file = fs.readFileSync(path.join(__dirname, "../fixtures/import/github-status-incidents.json"));
  const parsed = await parseImport(file, {});
  const summary = importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, fileName: "github.json", actor: lead, skipInvalid: true, newIncidents: { analysisStatus: "final" }, now: AS_OF });
  expect(summary.created).toBe(1279);

  // What people made over the real archive: a target, a project with an attribution, a tag, a closed quarter with its narrative.
  realId = (db.$client.prepare("SELECT id FROM incidents WHERE source_id = 'w554d74dv18j'").get() as { id: number }).id;
  setTarget(db, "FY2022-Q1", 3, { actor: lead, now: AS_OF });
  createProject(db, { slug: "safer-rollouts", name: "Safer rollouts", status: "delivered", deliveredOn: "2022-06-01" }, { actor: lead, now: AS_OF });
  updateCuration(db, realId, { trigger: "change", changeType: "config", projects: ["safer-rollouts"] }, { actor: lead, now: AS_OF });
  saveNarrative(db, "FY2022-Q1", "The archive's first quarter we closed.", { actor: lead, now: AS_OF });
  closeQuarter(db, "FY2022-Q1", { actor: lead, asOf: AS_OF, now: AS_OF });

  // And over the demo's figures: a published report of a demo quarter, with its narrative.
  saveNarrative(db, "FY2026-Q2", "Demo narrative.", { actor: lead, now: AS_OF });
  publishReport(db, "FY2026-Q2", { actor: lead, asOf: AS_OF, now: AS_OF });
  expect(listActiveClosureFigures(db).map((c) => c.quarter).sort()).toEqual(["FY2022-Q1", "FY2026-Q2"]);
  expect(listFilterOptions(db).services).toEqual(expect.arrayContaining(["API Requests", "webapp-backend"]));

  before = realSnapshot();
  unseedDemoData(db, { label: "admin@example.com" });
}, 60_000);
afterAll(() => t.cleanup());

describe("removing the demo after importing a real archive", () => {
  test("removes every row the demo made, and its closures, publications and their narratives", () => {
    expect(isDemoDataLoaded(db)).toBe(false);
    for (const table of ["incidents", "projects", "deploy_events"]) expect(count(`SELECT count(*) AS n FROM ${table} WHERE is_demo = 1`), table).toBe(0);
    expect(count("SELECT count(*) AS n FROM quarter_targets WHERE created_by = 'demo data'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM quarter_closures WHERE quarter = 'FY2026-Q2'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM report_narratives WHERE quarter = 'FY2026-Q2'")).toBe(0);
    expect(listPublishedReports(db, "FY2026-Q2")).toEqual([]);
    const names: string[] = [...DEMO_SERVICES.map((s) => s.name), ...DEMO_DEPLOY_SYSTEMS.map((d) => d.name)];
    const catalogue = rows("SELECT name FROM services UNION ALL SELECT name FROM deploy_systems").map((r) => (r as { name: string }).name);
    expect(catalogue.filter((n) => names.includes(n))).toEqual([]);
  });

  test("leaves the real archive and everything people made over it exactly as it was", () => {
    expect(realSnapshot()).toEqual(before);
    expect(before.incidents).toHaveLength(1279);
    expect(before.closures).toHaveLength(1);
    expect(before.narratives).toHaveLength(1);
    expect(before.attributions).toHaveLength(1);
  });

  test("the headline's closed quarters, the reports list and the filters show only the real data", () => {
    expect(listActiveClosureFigures(db).map((c) => c.quarter)).toEqual(["FY2022-Q1"]);
    const published = listReportQuarters(db, { asOf: AS_OF }).filter((r) => r.published.length > 0);
    expect(published).toEqual([]);
    const demoNames = new Set<string>([...DEMO_SERVICES.map((s) => s.name), ...DEMO_DEPLOY_SYSTEMS.map((d) => d.name)]);
    const options = listFilterOptions(db);
    expect(options.services).toContain("API Requests");
    expect(options.services.filter((s) => demoNames.has(s))).toEqual([]);
    expect(options.deploySystems.filter((s) => demoNames.has(s))).toEqual([]);
    const choices = incidentFilterChoices(db);
    expect(choices.services).toContain("API Requests");
    expect(choices.services.filter((s) => demoNames.has(s))).toEqual([]);
    expect(choices.projects.map((p) => p.slug)).toEqual(["safer-rollouts"]);
  });
});
