import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { markDuplicate, unmarkDuplicate } from "@/db/queries/duplicates";
import {
  getImportPreset,
  importIncidents,
  ImportRefusedError,
  listBatchItems,
  listImportBatches,
  saveImportPreset,
  undoImportBatch,
} from "@/db/queries/imports";
import { EXPORT_COLUMNS, iterateIncidentsForExport } from "@/db/queries/incidents-export";
import { exportIncidents } from "@/server/report-exports";
import { auditLog, importBatches, incidentCuration, incidentProjects, incidents, projects } from "@/db/schema";
import { parseImport, type ParseOptions } from "@/lib/import/parse";
import { importMappingSchema } from "@/lib/import/sources/generic";
import { incidentListQuerySchema } from "@/lib/validation/incident-list";
import { createTestDb } from "../support/db";

const actor = { id: "u1", label: "editor@example.com" };
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../fixtures/import", name));

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

async function run(input: Buffer | string, opts: ParseOptions & { skipInvalid?: boolean; dryRun?: boolean; overwriteCurated?: boolean } = {}) {
  const parsed = await parseImport(typeof input === "string" ? Buffer.from(input) : input, opts);
  return importIncidents(db, parsed.rows, parsed.errors, {
    source: parsed.source,
    format: parsed.format,
    fileName: "test",
    actor,
    skipInvalid: opts.skipInvalid,
    dryRun: opts.dryRun,
    overwriteCurated: opts.overwriteCurated,
  });
}

const count = (table: typeof incidents | typeof importBatches | typeof auditLog) => db.select().from(table).all().length;
const bySourceId = (sourceId: string) => {
  const inc = db.select().from(incidents).where(eq(incidents.sourceId, sourceId)).get()!;
  const cur = db.select().from(incidentCuration).where(eq(incidentCuration.incidentId, inc.id)).get()!;
  return { inc, cur };
};

describe("the real Statuspage archive", () => {
  test("is refused whole, naming the 3 incidents that resolve before they start", async () => {
    const err = await run(fixture("github-status-incidents.json")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRefusedError);
    expect((err as ImportRefusedError).errors.map((e) => e.sourceId).sort()).toEqual(["nk9gdvl03ztg", "qb2vmff9bnf5", "qrrdvssfmrs2"]);
    expect(count(incidents)).toBe(0);
    expect(count(importBatches)).toBe(0);
  });

  test("with skipInvalid 1,279 land; importing it again creates and updates nothing", async () => {
    const first = await run(fixture("github-status-incidents.json"), { skipInvalid: true });
    expect(first).toMatchObject({ created: 1279, updated: 0, unchanged: 0, rejected: 3, dryRun: false });
    expect(count(incidents)).toBe(1279);
    const { cur } = bySourceId("w554d74dv18j");
    expect(cur).toMatchObject({ trigger: "unknown", analysisStatus: "pending", services: ["API Requests"] });
    const second = await run(fixture("github-status-incidents.json"), { skipInvalid: true });
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 1279, rejected: 3 });
    expect(count(incidents)).toBe(1279);
    const batch = listImportBatches(db)[0];
    expect(batch).toMatchObject({ source: "statuspage", createdCount: 0, unchangedCount: 1279, rejectedCount: 3, createdBy: actor.label });
    expect((batch.rejects as unknown[]).length).toBe(3);
  });
});

const CSV_V1 = `id,title,severity,started_at,resolved_at,trigger,services,customer_impact_pct
INC-1,Checkout errors,SEV2,2024-02-01T10:00:00Z,2024-02-01T11:00:00Z,unknown,checkout,
INC-2,Login slow,SEV3,2024-02-02T10:00:00Z,2024-02-02T10:30:00Z,,auth,
`;
const CSV_V2 = `id,title,severity,started_at,resolved_at,trigger,services,customer_impact_pct
INC-1,Checkout errors (root cause: bad deploy),SEV1,2024-02-01T10:00:00Z,2024-02-01T11:15:00Z,other,checkout,50
INC-2,Login slow,SEV3,2024-02-02T10:00:00Z,2024-02-02T10:30:00Z,,auth,
INC-3,New one,SEV4,2024-02-03T10:00:00Z,,,search,
`;

describe("re-import", () => {
  test("a newer export updates source fields and leaves an engineer's tag alone", async () => {
    await run(CSV_V1);
    const { inc } = bySourceId("INC-1");
    db.update(incidentCuration).set({ trigger: "change", changeType: "code_deploy", customerImpactPct: 20 }).where(eq(incidentCuration.incidentId, inc.id)).run();

    const s = await run(CSV_V2);
    expect(s).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    const after = bySourceId("INC-1");
    expect(after.inc).toMatchObject({ title: "Checkout errors (root cause: bad deploy)", severity: "SEV1", resolvedAt: Date.parse("2024-02-01T11:15:00Z") });
    expect(after.cur).toMatchObject({ trigger: "change", changeType: "code_deploy", customerImpactPct: 20 });
  });

  test("overwriteCurated rewrites only the curated fields the file has", async () => {
    await run(CSV_V1);
    const { inc } = bySourceId("INC-1");
    db.update(incidentCuration).set({ trigger: "change", remediation: "manual_rollback" }).where(eq(incidentCuration.incidentId, inc.id)).run();
    const s = await run(CSV_V2, { overwriteCurated: true });
    expect(s).toMatchObject({ created: 1, updated: 1, unchanged: 1, overwriteCurated: true });
    expect(bySourceId("INC-1").cur).toMatchObject({ trigger: "other", customerImpactPct: 50, remediation: "manual_rollback" });
  });

  test("dry run reports exact counts and writes nothing", async () => {
    await run(CSV_V1);
    const before = { incidents: count(incidents), batches: count(importBatches), audit: count(auditLog) };
    const s = await run(CSV_V2, { dryRun: true });
    expect(s).toMatchObject({ batchId: null, created: 1, updated: 1, unchanged: 1, dryRun: true });
    expect({ incidents: count(incidents), batches: count(importBatches), audit: count(auditLog) }).toEqual(before);
    expect(bySourceId("INC-1").inc.title).toBe("Checkout errors");
  });
});

describe("undo", () => {
  test("removes what a batch created and restores what it updated; audited", async () => {
    const first = await run(CSV_V1);
    const second = await run(CSV_V2, { overwriteCurated: true });
    expect(listBatchItems(db, second.batchId!).map((i) => i.action).sort()).toEqual(["created", "updated"]);

    expect(() => undoImportBatch(db, first.batchId!, actor)).toThrow(/Undo batch 2 first/);
    const u = undoImportBatch(db, second.batchId!, actor);
    expect(u).toEqual({ batchId: second.batchId, deleted: 1, restored: 1 });
    expect(count(incidents)).toBe(2);
    const { inc, cur } = bySourceId("INC-1");
    expect(inc).toMatchObject({ title: "Checkout errors", severity: "SEV2", importBatchId: first.batchId });
    expect(cur).toMatchObject({ trigger: "unknown", customerImpactPct: null });
    expect(listImportBatches(db).find((b) => b.id === second.batchId)).toMatchObject({ status: "undone", undoneBy: actor.label });
    expect(() => undoImportBatch(db, second.batchId!, actor)).toThrow(/already undone/);

    undoImportBatch(db, first.batchId!, actor);
    expect(count(incidents)).toBe(0);
    const actions = db.select({ action: auditLog.action }).from(auditLog).all().map((a) => a.action);
    expect(actions.filter((a) => a === "import.apply")).toHaveLength(2);
    expect(actions.filter((a) => a === "import.undo")).toHaveLength(2);
  });

  test("re-importing after an undo recreates the incidents", async () => {
    const first = await run(CSV_V1);
    undoImportBatch(db, first.batchId!, actor);
    expect(await run(CSV_V1)).toMatchObject({ created: 2 });
  });
});

describe("attribution and bad rows", () => {
  test("projects by slug; unknown slug and a repeated id refuse the file", async () => {
    const now = Date.now();
    db.insert(projects).values({ slug: "safe-deploys", name: "Safe deploys", createdAt: now, updatedAt: now }).run();
    const ok = `id,title,severity,started_at,projects\nA,t,SEV1,2024-01-01T00:00:00Z,safe-deploys\n`;
    await run(ok);
    expect(db.select().from(incidentProjects).all()).toHaveLength(1);

    const bad = `id,title,severity,started_at,projects\nB,t,SEV1,2024-01-01T00:00:00Z,nope\nC,t,SEV1,2024-01-01T00:00:00Z,\nC,t2,SEV1,2024-01-01T00:00:00Z,\n`;
    const err = (await run(bad).catch((e: unknown) => e)) as ImportRefusedError;
    expect(err).toBeInstanceOf(ImportRefusedError);
    expect(err.errors.map((e) => [e.row, e.column])).toEqual([
      [2, "projects"],
      [4, "id"],
    ]);
    const skipped = await run(bad, { skipInvalid: true });
    expect(skipped).toMatchObject({ created: 1, rejected: 2 });
  });
});

describe("presets", () => {
  test("a saved mapping is reusable by name", async () => {
    const mapping = importMappingSchema.parse({
      columns: { Ticket: "id", Headline: "title", Sev: "severity", "Opened (UTC)": "started_at", "Closed (UTC)": "resolved_at", Systems: "services", Cause: "custom" },
      values: { severity: { "Sev 2": "SEV2", "Sev 3": "SEV3", "Sev 4": "SEV4" } },
      listSeparator: "|",
      timezone: "UTC",
    });
    saveImportPreset(db, "ops log", mapping, actor);
    const preset = getImportPreset(db, "ops log")!;
    expect(preset.mapping).toEqual(mapping);
    const s = await run(fixture("generic-ops-log.csv"), { mapping: preset.mapping, format: "generic", source: "opslog" });
    expect(s).toMatchObject({ source: "opslog", format: "generic", created: 3 });
    expect(bySourceId("T-9003").inc).toMatchObject({ severity: "SEV4", customFields: { Cause: "other" } });
    expect(() => saveImportPreset(db, "bad/name", mapping, actor)).toThrow(/preset name/);
  });
});

describe("duplicates", () => {
  test("mark, reject self-links, chains and cycles, unmark", async () => {
    await run(fixture("pagerduty-incidents.csv"));
    await run(fixture("incidentio-incidents.csv"));
    const pd = bySourceId("Q0RIJJZL24RC6W").inc.id;
    const io = bySourceId("01HXA7Q9R3K2M5N8P0S4T6V8W1").inc.id;
    const other = bySourceId("Q1V8T3MC0XKQ2H").inc.id;

    expect(() => markDuplicate(db, pd, pd, actor)).toThrow(/itself/);
    markDuplicate(db, pd, io, actor);
    expect(bySourceId("Q0RIJJZL24RC6W").cur.duplicateOfId).toBe(io);
    expect(() => markDuplicate(db, other, pd, actor)).toThrow(/itself a duplicate/); // chain
    expect(() => markDuplicate(db, io, pd, actor)).toThrow(/itself a duplicate/); // cycle
    expect(() => markDuplicate(db, io, other, actor)).toThrow(/unmark them first/); // would make a chain through io

    // A re-import leaves the link alone.
    await run(fixture("pagerduty-incidents.csv"));
    expect(bySourceId("Q0RIJJZL24RC6W").cur.duplicateOfId).toBe(io);

    unmarkDuplicate(db, pd, actor);
    expect(bySourceId("Q0RIJJZL24RC6W").cur.duplicateOfId).toBeNull();
    const actions = db.select({ action: auditLog.action }).from(auditLog).all().map((a) => a.action);
    expect(actions).toContain("incident.mark_duplicate");
    expect(actions).toContain("incident.unmark_duplicate");
  });
});

describe("export", () => {
  test("every incident with internal id, source, sourceId, source-owned and curated fields, ISO dates", async () => {
    await run(fixture("canonical-sample.csv"));
    const rows = [...iterateIncidentsForExport(db)];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      id: expect.any(Number),
      source: "import",
      sourceId: "INC-100",
      startedAt: "2024-02-01T10:00:00.000Z",
      impactStart: "2024-02-01T10:05:00.000Z",
      trigger: "change",
      services: ["checkout", "payments"],
      customFields: { team: "payments-team" },
      projects: [],
    });
  });

  test("the CLI export and the API's incidents export print the same stored fields", async () => {
    await run(fixture("canonical-sample.csv"));
    const cli = [...iterateIncidentsForExport(db)];
    const api = new Map(exportIncidents(db, incidentListQuerySchema.parse({}), { asOf: Date.parse("2024-06-01T00:00:00Z") }).map((r) => [r.id, r]));
    expect(api.size).toBe(cli.length);
    for (const row of cli) {
      expect(Object.keys(row).sort()).toEqual([...EXPORT_COLUMNS].sort());
      for (const column of EXPORT_COLUMNS) expect(api.get(row.id)![column], `${column} of ${row.sourceId}`).toEqual(row[column]);
    }
  });
});
