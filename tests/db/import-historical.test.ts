import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { getCurrentPolicy, savePolicyVersion } from "@/db/queries/config";
import { importIncidents, undoImportBatch, type NewIncidentMarks } from "@/db/queries/imports";
import { auditLog, incidentCuration, incidents } from "@/db/schema";
import { parseImportText } from "@/lib/import/parse";
import { withSeverityChoices } from "@/lib/import/preview";
import { runImportJob } from "@/server/workers/import-job";
import { createTestDb } from "../support/db";

const actor = { id: "u1", label: "editor@example.com" };
let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

const HEAD = "id,title,severity,started_at,resolved_at,trigger,analysis_status";
const row = (id: string, sev = "SEV1", trigger = "", analysis = "") => `${id},Incident ${id},${sev},2024-02-01T10:00:00Z,2024-02-01T11:00:00Z,${trigger},${analysis}`;

async function run(lines: string[], newIncidents?: NewIncidentMarks) {
  const parsed = await parseImportText([HEAD, ...lines].join("\n"), { source: "archive" });
  return importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, fileName: "archive.csv", actor, newIncidents });
}

const curationOf = (sourceId: string) => {
  const inc = db.select().from(incidents).where(eq(incidents.sourceId, sourceId)).get()!;
  return db.select().from(incidentCuration).where(eq(incidentCuration.incidentId, inc.id)).get()!;
};

describe("historical imports", () => {
  test("marks only the incidents the batch creates; existing ones keep their curated values; audited; undone with the batch", async () => {
    await run([row("A", "SEV1", "change", "pending")]);
    const before = curationOf("A");
    const s = await run([row("A", "SEV1", "change", "pending"), row("B"), row("C", "SEV2", "change", "pending")], { analysisStatus: "final", trigger: "other" });
    expect(s).toMatchObject({ created: 2, unchanged: 1 });
    // A existed: untouched, version and all.
    expect(curationOf("A")).toEqual(before);
    // B and C are new: analysed and not change-triggered, over what the file said for C.
    for (const id of ["B", "C"]) expect(curationOf(id)).toMatchObject({ analysisStatus: "final", trigger: "other" });

    const audit = db.select().from(auditLog).where(eq(auditLog.action, "import.apply")).all().at(-1)!;
    expect(audit.detail).toMatchObject({ newIncidents: { analysisStatus: "final", trigger: "other" } });

    const undo = undoImportBatch(db, s.batchId!, actor);
    expect(undo.deleted).toBe(2);
    expect(db.select().from(incidents).all().map((i) => i.sourceId)).toEqual(["A"]);
    expect(curationOf("A")).toEqual(before);
  });

  test("analysed alone keeps each new incident's trigger from the file; trigger unknown alone keeps analysis pending", async () => {
    await run([row("D", "SEV1", "change")], { analysisStatus: "final" });
    expect(curationOf("D")).toMatchObject({ analysisStatus: "final", trigger: "change" });
    await run([row("E", "SEV1", "other", "final")], { trigger: "unknown" });
    expect(curationOf("E")).toMatchObject({ analysisStatus: "final", trigger: "unknown" });
    await run([row("F")]);
    expect(curationOf("F")).toMatchObject({ analysisStatus: "pending", trigger: "unknown" });
  });

  test("through the import job (POST /api/import): analysed and trigger reach the new incidents; a dry run writes nothing", async () => {
    const bytes = new TextEncoder().encode([HEAD, row("G"), row("H")].join("\n"));
    const job = { bytes, format: "auto" as const, mapping: null, maxBytes: 1e6, fileName: "g.csv", actor, skipInvalid: false, overwriteCurated: false, preview: false };
    const dry = await runImportJob(db, { ...job, dryRun: true, newIncidents: { analysisStatus: "final", trigger: "other" } });
    expect(dry.status).toBe(200);
    expect(db.select().from(incidents).all()).toHaveLength(0);
    const res = await runImportJob(db, { ...job, dryRun: false, newIncidents: { analysisStatus: "final", trigger: "other" } });
    expect(JSON.parse(res.body)).toMatchObject({ created: 2 });
    expect(curationOf("G")).toMatchObject({ analysisStatus: "final", trigger: "other" });
  });
});

describe("unmapped severities at preview", () => {
  test("the preview lists what the current policy leaves unmapped, with counts; mapping them saves a new, audited policy version", async () => {
    const bytes = new TextEncoder().encode([HEAD, row("1", "SEV1"), row("2", "Highest"), row("3", "Highest"), row("4", "sev 9"), row("5", " SEV 9 "), row("6", "weird")].join("\n"));
    const job = { bytes, format: "auto" as const, mapping: null, maxBytes: 1e6, fileName: "p.csv", actor, skipInvalid: false, dryRun: false, overwriteCurated: false, preview: true };
    const current = getCurrentPolicy(db);
    // Whatever the default policy maps by now, make sure these three are unmapped and SEV1 mapped.
    const base = { ...current.policy, severityClasses: Object.fromEntries(Object.entries(current.policy.severityClasses).filter(([k]) => !["highest", "sev 9", "weird"].includes(k.toLowerCase()))) };
    savePolicyVersion(db, { ...base, severityClasses: { ...base.severityClasses, SEV1: "high" } }, { note: "test", actor });

    const first = JSON.parse((await runImportJob(db, job)).body);
    expect(first.preview.unmappedSeverities).toEqual([
      { severity: "Highest", count: 2 },
      { severity: "sev 9", count: 2 },
      { severity: "weird", count: 1 },
    ]);
    const v = getCurrentPolicy(db);
    expect(first.preview.policyVersion).toBe(v.id);
    // Nothing was written by the preview.
    expect(db.select().from(incidents).all()).toHaveLength(0);

    const { policy, added } = withSeverityChoices(v.policy, { Highest: "high", "sev 9": "medium", weird: "ignore" });
    expect(added).toEqual({ Highest: "high", "sev 9": "medium" });
    const saved = savePolicyVersion(db, policy, { note: "Mapped at import", actor });
    expect(saved.id).toBe(v.id + 1);
    const second = JSON.parse((await runImportJob(db, job)).body);
    expect(second.preview.unmappedSeverities).toEqual([{ severity: "weird", count: 1 }]);
    expect(db.select().from(auditLog).where(eq(auditLog.action, "policy.save")).all().length).toBeGreaterThanOrEqual(2);
  });

  test("withSeverityChoices leaves a severity mapped meanwhile as it is, case-insensitively", () => {
    const r = withSeverityChoices({ severityClasses: { sev2: "medium" } }, { SEV2: "high", P1: "high", x: "ignore" });
    expect(r.policy.severityClasses).toEqual({ sev2: "medium", P1: "high" });
    expect(r.skipped).toEqual(["SEV2"]);
  });
});
