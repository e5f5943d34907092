import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { getClosure, listClosures, reopenQuarter, type StoredContribution } from "@/db/queries/closures";
import { closedQuarterRestatement, closeQuarter } from "@/server/closures";
import {
  ensureDefaults,
  getCurrentPolicy,
  getPolicyVersion,
  getSettings,
  getTargets,
  listPolicyVersions,
  savePolicyVersion,
  setTarget,
  targetHistory,
  updateSettings,
} from "@/db/queries/config";
import { loadEngineIncidents } from "@/db/queries/metric-input";
import { computeMetrics, loadMetricInput } from "@/server/metrics";
import { analyze } from "@/lib/metric/analyze";
import { computeRestatement } from "@/lib/metric/restatement";
import type { Settings } from "@/lib/metric/types";
import { auditLog, incidentCuration, incidents, policyVersions } from "@/db/schema";
import { ConflictError, ValidationError } from "@/lib/api/errors";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type Policy } from "@/lib/metric";
import { createTestDb } from "../support/db";

const ROOT = path.resolve(__dirname, "../..");
const H = 3_600_000;
const T = (iso: string) => Date.parse(iso);

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function addIncident(db: Db, sourceId: string, fields: { severity?: string; start: string; hours: number; trigger: "change" | "other" | "unknown"; duplicateOf?: number }) {
  const now = Date.now();
  const row = db
    .insert(incidents)
    .values({
      source: "test",
      sourceId,
      title: `Incident ${sourceId}`,
      severity: fields.severity ?? "SEV1",
      startedAt: T(fields.start),
      resolvedAt: T(fields.start) + fields.hours * H,
      sourceHash: sourceId,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  db.insert(incidentCuration)
    .values({ incidentId: row.id, trigger: fields.trigger, analysisStatus: "final", services: ["api"], duplicateOfId: fields.duplicateOf ?? null, updatedAt: now })
    .run();
  return row.id;
}

const auditActions = (db: Db) => db.select({ action: auditLog.action }).from(auditLog).all().map((r) => r.action);

describe("stored metric configuration", () => {
  let t: ReturnType<typeof createTestDb>;
  beforeAll(() => {
    t = createTestDb();
  });
  afterAll(() => t.cleanup());

  test("a new database has default settings and a first policy version; ensureDefaults is idempotent", () => {
    ensureDefaults(t.db);
    expect(getSettings(t.db)).toEqual(DEFAULT_SETTINGS);
    const current = getCurrentPolicy(t.db);
    expect(current.policy).toEqual(DEFAULT_POLICY);
    expect(current.note).toBe("Default policy");
    expect(t.db.select().from(policyVersions).all()).toHaveLength(1);
  });

  test("policy versions are appended; the old one stays readable; each save is audited", () => {
    const first = getCurrentPolicy(t.db);
    const draft: Policy = { ...DEFAULT_POLICY, overlap: "union" };
    const v2 = savePolicyVersion(t.db, draft, { note: "count overlapping impact once", actor: "cli" });
    expect(v2.id).toBeGreaterThan(first.id);
    expect(getCurrentPolicy(t.db)).toMatchObject({ id: v2.id, note: "count overlapping impact once", createdBy: "cli" });
    expect(getCurrentPolicy(t.db).policy.overlap).toBe("union");
    expect(getPolicyVersion(t.db, first.id)?.policy).toEqual(DEFAULT_POLICY);
    const v3 = savePolicyVersion(t.db, DEFAULT_POLICY, { note: "back to sum", actor: { id: "u1", label: "lead@example.com" } });
    expect(listPolicyVersions(t.db).map((v) => v.id)).toEqual([v3.id, v2.id, first.id]);
    const audits = t.db.select().from(auditLog).where(eq(auditLog.action, "policy.save")).all();
    expect(audits).toHaveLength(2);
    expect(audits[1]).toMatchObject({ actorLabel: "lead@example.com", actorId: "u1", entityType: "policy", entityId: String(v3.id) });
  });

  test("an invalid policy is refused with field issues and nothing is stored", () => {
    const before = listPolicyVersions(t.db).length;
    let err: unknown;
    try {
      savePolicyVersion(t.db, { ...DEFAULT_POLICY, overlap: "max" }, { note: "bad", actor: "cli" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.field)).toContain("overlap");
    expect(listPolicyVersions(t.db)).toHaveLength(before);
  });

  test("targets: set then lower keeps the history with reasons; null clears; bad quarter refused", () => {
    setTarget(t.db, "FY2024-Q1", 10, { note: "initial target", actor: "cli" });
    setTarget(t.db, "FY2024-Q1", 6, { note: "lowered after the rollout project", actor: "cli" });
    setTarget(t.db, "FY2024-Q2", 5, { note: "q2", actor: "cli" });
    expect(getTargets(t.db)).toEqual({ "FY2024-Q1": 6, "FY2024-Q2": 5 });
    expect(targetHistory(t.db, "FY2024-Q1").map((r) => [r.hours, r.note])).toEqual([
      [6, "lowered after the rollout project"],
      [10, "initial target"],
    ]);
    setTarget(t.db, "FY2024-Q2", null, { note: "no target after all", actor: "cli" });
    expect(getTargets(t.db)).toEqual({ "FY2024-Q1": 6 });
    expect(() => setTarget(t.db, "FY2024-Q5", 3, { note: "x", actor: "cli" })).toThrow(ValidationError);
    expect(() => setTarget(t.db, "FY2024-Q3", -1, { note: "x", actor: "cli" })).toThrow(ValidationError);
    const audit = t.db.select().from(auditLog).where(eq(auditLog.action, "target.set")).all();
    expect(audit).toHaveLength(4);
    expect(audit[1]).toMatchObject({ entityId: "FY2024-Q1", before: { hours: 10 }, after: { hours: 6 } });
  });

  test("settings update is validated and audited", () => {
    expect(updateSettings(t.db, { maturityDays: 14 }, { actor: "cli" }).maturityDays).toBe(14);
    expect(() => updateSettings(t.db, { timezone: "Mars/Base" }, { actor: "cli" })).toThrow(ValidationError);
    updateSettings(t.db, { maturityDays: 30 }, { actor: "cli" });
    expect(getSettings(t.db)).toEqual(DEFAULT_SETTINGS);
    expect(auditActions(t.db).filter((a) => a === "settings.update")).toHaveLength(2);
  });

  test("close a quarter, change a tag, see the restatement with the moved incidents", () => {
    const a = addIncident(t.db, "A", { start: "2024-02-01T00:00:00Z", hours: 2, trigger: "change" });
    const b = addIncident(t.db, "B", { start: "2024-02-10T00:00:00Z", hours: 1, trigger: "change" });
    const c = addIncident(t.db, "C", { start: "2024-03-01T00:00:00Z", hours: 3, trigger: "other" });
    const d = addIncident(t.db, "D", { start: "2024-03-01T00:00:00Z", hours: 3, trigger: "change", duplicateOf: c });

    const loaded = loadEngineIncidents(t.db);
    expect(loaded.map((i) => i.id)).toEqual([a, b, c, d].map(String));
    expect(loaded[3].duplicateOf).toBe(String(c));
    expect(loadEngineIncidents(t.db, { services: ["API"] })).toHaveLength(4);
    expect(loadEngineIncidents(t.db, { services: ["web"] })).toHaveLength(0);

    const asOf = T("2024-06-01T00:00:00Z");
    expect(() => closeQuarter(t.db, "FY2024-Q2", { actor: "cli", asOf })).toThrow(ValidationError);
    const closure = closeQuarter(t.db, "FY2024-Q1", { actor: "lead@example.com", asOf });
    expect(closure).toMatchObject({ quarter: "FY2024-Q1", hours: 3, target: 6, status: "final", policyVersionId: getCurrentPolicy(t.db).id });
    expect(closure.contributions).toEqual([
      { incidentId: a, sourceId: "A", title: "Incident A", hours: 2, reason: "high_severity" },
      { incidentId: b, sourceId: "B", title: "Incident B", hours: 1, reason: "high_severity" },
    ]);
    expect(() => closeQuarter(t.db, "FY2024-Q1", { actor: "cli", asOf })).toThrow(ConflictError);
    expect(closedQuarterRestatement(t.db, "FY2024-Q1", { asOf })).toMatchObject({ reported: 3, now: 3, delta: 0, moved: [] });

    // Re-triage: C was a change after all; A was not.
    t.db.update(incidentCuration).set({ trigger: "change" }).where(eq(incidentCuration.incidentId, c)).run();
    t.db.update(incidentCuration).set({ trigger: "other" }).where(eq(incidentCuration.incidentId, a)).run();
    const r = closedQuarterRestatement(t.db, "FY2024-Q1", { asOf })!;
    expect(r.reported).toBe(3);
    expect(r.now).toBeCloseTo(4, 9);
    expect(r.delta).toBeCloseTo(1, 9);
    expect(r.moved).toEqual([
      { id: String(c), before: 0, after: 3, reasonBefore: null, reasonAfter: "high_severity" },
      { id: String(a), before: 2, after: 0, reasonBefore: "high_severity", reasonAfter: "not_change_triggered" },
    ]);
    // The service adds the closure's identity to the engine's restatement and changes nothing else.
    const frozenInput = loadMetricInput(t.db, { asOf, from: "FY2024-Q1", to: "FY2024-Q1", config: { settings: closure.settings as Partial<Settings> } });
    const snapshot = { quarter: "FY2024-Q1", hours: closure.hours, contributions: (closure.contributions as StoredContribution[]).map((x) => ({ incidentId: String(x.incidentId), hours: x.hours, reason: x.reason })) };
    expect(r).toEqual({ ...computeRestatement(snapshot, analyze(frozenInput)), closureId: closure.id, closedAt: closure.closedAt, closedBy: "lead@example.com", policyVersionId: closure.policyVersionId });

    reopenQuarter(t.db, "FY2024-Q1", { actor: "cli", note: "re-triage" });
    expect(getClosure(t.db, "FY2024-Q1")).toBeNull();
    expect(closedQuarterRestatement(t.db, "FY2024-Q1", { asOf })).toBeNull();
    expect(listClosures(t.db)[0].reopenedAt).not.toBeNull();
    expect(auditActions(t.db)).toEqual(expect.arrayContaining(["quarter.close", "quarter.reopen"]));
  });

  test("computeMetrics: default range runs from the earliest incident's quarter to the asOf quarter", () => {
    const m = computeMetrics(t.db, { asOf: T("2024-08-15T00:00:00Z") });
    expect(m.quarters.map((q) => q.quarter)).toEqual(["FY2024-Q1", "FY2024-Q2", "FY2024-Q3"]);
    expect(m.quarters[0].hours).toBeCloseTo(4, 9);
    expect(m.quarters[0].target).toBe(6);
    expect(m.incidents.find((i) => i.reason === "duplicate")).toBeDefined();
    expect(() => computeMetrics(t.db, { asOf: T("2024-08-15T00:00:00Z"), from: "FY2024-Q9" })).toThrow(ValidationError);
    const overridden = computeMetrics(t.db, { asOf: T("2024-08-15T00:00:00Z"), config: { targets: {}, settings: { timezone: "America/New_York" } } });
    expect(overridden.quarters[0].target).toBeNull();
    expect(overridden.quarters[0].start).toBe("2024-01-01T05:00:00.000Z");
  });
});

describe("metric CLI over a database", () => {
  let t: ReturnType<typeof createTestDb>;
  let dir: string;
  beforeAll(() => {
    t = createTestDb();
    addIncident(t.db, "X", { start: "2024-02-01T00:00:00Z", hours: 2, trigger: "change" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-cli-"));
  });
  afterAll(() => {
    t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("metrics --json prints what computeMetrics returns; policy and targets write with actor cli", async () => {
    const env = { DATABASE_URL: `file:${t.file}` };
    const policyFile = path.join(dir, "policy.json");
    fs.writeFileSync(policyFile, JSON.stringify({ ...DEFAULT_POLICY, overlap: "union" }));
    const [p, tg] = await Promise.all([runCli(["policy", "set", policyFile, "--note", "union"], env), runCli(["targets", "set", "FY2024-Q1", "1.5", "--note", "cli target"], env)]);
    expect([p.code, p.stderr, tg.code, tg.stderr]).toEqual([0, "", 0, ""]);
    const m = await runCli(["metrics", "--json", "--as-of", "2024-12-31T00:00:00Z"], env);
    expect(m.stderr).toBe("");
    expect(JSON.parse(m.stdout)).toEqual(computeMetrics(t.db, { asOf: T("2024-12-31T00:00:00Z") }));
    expect(JSON.parse(m.stdout).quarters[0]).toMatchObject({ quarter: "FY2024-Q1", hours: 2, target: 1.5 });
    expect(getCurrentPolicy(t.db)).toMatchObject({ note: "union", createdBy: "cli" });
  });

  test.each([
    ["unreadable file", ["evaluate", "/nonexistent/case.json"], /cannot read/],
    ["invalid JSON", ["evaluate", "BADJSON"], /not valid JSON/],
    ["schema violation", ["evaluate", "BADSCHEMA"], /is invalid: .*policy/],
    ["unknown quarter (targets)", ["targets", "set", "FY2024-Q7", "3", "--note", "x"], /unknown quarter "FY2024-Q7"/],
    ["unknown quarter (metrics)", ["metrics", "--json", "--from", "FY24-Q1"], /from/],
    ["bad --as-of", ["metrics", "--json", "--as-of", "yesterday"], /--as-of/],
    ["bad policy file", ["policy", "set", "BADSCHEMA", "--note", "x"], /policy is invalid/],
  ])("%s → non-zero exit, one line on stderr", async (_name, args, message) => {
    const bad = path.join(dir, "bad.json");
    const badSchema = path.join(dir, "bad-schema.json");
    fs.writeFileSync(bad, "{ not json");
    fs.writeFileSync(badSchema, JSON.stringify({ policy: { overlap: "max" } }));
    const resolved = args.map((a) => (a === "BADJSON" ? bad : a === "BADSCHEMA" ? badSchema : a));
    const r = await runCli(resolved, { DATABASE_URL: `file:${t.file}` });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
