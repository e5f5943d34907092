import { afterEach, beforeEach, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listEntityAudit } from "@/db/queries/audit";
import { readCuration, updateCuration } from "@/db/queries/curation";
import { importIncidents } from "@/db/queries/imports";
import { computeMetrics } from "@/server/metrics";
import { incidents } from "@/db/schema";
import { parseImportText } from "@/lib/import/parse";
import { createTestDb } from "../support/db";

const CSV = [
  "id,title,severity,started_at,resolved_at,services",
  "INC-1,Checkout errors after deploy,SEV2,2024-05-15T10:00:00Z,2024-05-15T13:00:00Z,checkout",
  "INC-2,Search slow,SEV1,2024-05-16T10:00:00Z,2024-05-16T11:00:00Z,search",
].join("\n");
const AS_OF = Date.UTC(2024, 11, 1);

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

async function importFile() {
  const parsed = await parseImportText(CSV, { format: "canonical", source: "tool" });
  expect(parsed.errors).toEqual([]);
  return importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, fileName: "incidents.csv", actor: { label: "cli" } });
}

test("a tag survives a re-import of the same source file, and so does the figure it moved", async () => {
  await importFile();
  const inc = db.select().from(incidents).all().find((i) => i.sourceId === "INC-1")!;
  const q2 = () => computeMetrics(db, { asOf: AS_OF, from: "FY2024-Q2", to: "FY2024-Q2" }).quarters[0].hours;
  expect(q2()).toBe(0);
  updateCuration(db, inc.id, { trigger: "change", deploySystem: "spinnaker", impactEnd: "2024-05-15T12:00:00Z" }, { actor: { label: "alice@example.com" } });
  expect(q2()).toBeCloseTo(2, 9);
  const summary = await importFile();
  expect(summary.unchanged + summary.updated).toBe(2);
  expect(readCuration(db, inc.id)).toMatchObject({ trigger: "change", deploySystem: "spinnaker", impactEnd: Date.UTC(2024, 4, 15, 12) });
  expect(q2()).toBeCloseTo(2, 9);
  expect(listEntityAudit(db, "incident", inc.id).map((r) => r.action)).toContain("incident.update");
});
