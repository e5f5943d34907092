import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { readCuration, updateCuration } from "@/db/queries/curation";
import { importIncidents } from "@/db/queries/imports";
import { auditLog, incidentCuration, incidents } from "@/db/schema";
import { parseImport } from "@/lib/import/parse";
import { incidentListQuerySchema } from "@/lib/validation/incident-list";
import { markFilteredIncidents, undoBulkMark } from "@/server/bulk-marks";
import { createTestDb } from "../support/db";

const actor = { id: "u1", label: "editor@example.com" };
let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

const query = (params: Record<string, string> = {}) => incidentListQuerySchema.parse(params);

async function load(csv: string, source: string) {
  const parsed = await parseImport(Buffer.from(csv), { source });
  return importIncidents(db, parsed.rows, parsed.errors, { source, format: parsed.format, actor });
}
const idOf = (sourceId: string) => db.select().from(incidents).where(eq(incidents.sourceId, sourceId)).get()!.id;

describe("marking a filtered set", () => {
  test("marks every matching incident (not only a page), audited per incident and as one mark; the others untouched; undo restores", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `A-${i},Archive ${i},SEV2,2021-0${1 + (i % 9)}-01T10:00:00Z,2021-0${1 + (i % 9)}-01T11:00:00Z`);
    await load(["id,title,severity,started_at,resolved_at", ...rows].join("\n"), "archive");
    await load("id,title,severity,started_at,resolved_at\nN-1,New one,SEV2,2024-01-01T10:00:00Z,2024-01-01T11:00:00Z", "live");
    // One archive incident was already tagged as a change: marking "not change-triggered" overwrites it (a filter chosen on purpose), and undo puts it back.
    updateCuration(db, idOf("A-3"), { trigger: "change", changeType: "config" }, { actor });

    const r = markFilteredIncidents(db, query({ q: "Archive", pageSize: "25" }), { analysisStatus: "final", trigger: "other" }, { actor });
    expect(r).toMatchObject({ matched: 60, updated: 60, unchanged: 0 });
    const cur = db.select().from(incidentCuration).all();
    expect(cur.filter((c) => c.analysisStatus === "final" && c.trigger === "other")).toHaveLength(60);
    expect(readCuration(db, idOf("N-1"))).toMatchObject({ analysisStatus: "pending", trigger: "unknown" });

    const perIncident = db.select().from(auditLog).where(eq(auditLog.action, "incident.bulk_update")).all();
    expect(perIncident.filter((a) => (a.detail as { bulkMark?: string }).bulkMark === r.markId)).toHaveLength(60);
    const summary = db.select().from(auditLog).where(eq(auditLog.action, "incident.bulk_mark")).get()!;
    expect(summary).toMatchObject({ entityId: r.markId, after: { analysisStatus: "final", trigger: "other", matched: 60, updated: 60 } });
    expect((summary.detail as { filter: { q: string } }).filter.q).toBe("Archive");

    // Someone edits one incident after the mark: undo leaves it as they left it.
    updateCuration(db, idOf("A-7"), { analysisStatus: "pending" }, { actor });
    const u = undoBulkMark(db, r.markId, { actor });
    expect(u).toEqual({ markId: r.markId, restored: 59, skipped: 1 });
    expect(readCuration(db, idOf("A-3"))).toMatchObject({ trigger: "change", changeType: "config", analysisStatus: "pending" });
    expect(readCuration(db, idOf("A-0"))).toMatchObject({ trigger: "unknown", analysisStatus: "pending" });
    expect(readCuration(db, idOf("A-7"))).toMatchObject({ trigger: "other", analysisStatus: "pending" });
    expect(() => undoBulkMark(db, r.markId, { actor })).toThrow(/already undone/);
    expect(() => undoBulkMark(db, "nope", { actor })).toThrow(/No bulk mark/);
  });

  test("bad requests say what is wrong and write nothing", async () => {
    await load("id,title,severity,started_at\nX,x,SEV1,2024-01-01T10:00:00Z", "s");
    const before = db.select().from(auditLog).all().length;
    expect(() => markFilteredIncidents(db, query(), {}, { actor })).toThrow(/Choose what to mark/);
    expect(() => markFilteredIncidents(db, query({ q: "nothing-here" }), { analysisStatus: "final" }, { actor })).toThrow(/No incident matches/);
    expect(db.select().from(auditLog).all().length).toBe(before);
  });

  test("the GitHub Statuspage archive: all 1,282 marked analysed in one go", async () => {
    const bytes = fs.readFileSync(path.join(__dirname, "../fixtures/import/github-status-incidents.json"));
    const parsed = await parseImport(bytes, {});
    importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, actor, skipInvalid: true });
    const n = db.select().from(incidents).all().length;
    const r = markFilteredIncidents(db, query(), { analysisStatus: "final" }, { actor });
    expect(r.matched).toBe(n);
    expect(db.select().from(incidentCuration).all().every((c) => c.analysisStatus === "final")).toBe(true);
  });
});
