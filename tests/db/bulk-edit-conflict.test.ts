/**
 * A bulk edit carries the versions the editor saw, like a single save: an incident saved
 * by someone else since refuses the whole edit (409) naming who changed what, and nothing
 * is written.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listEntityAudit } from "@/db/queries/audit";
import { bulkConflictsOf, bulkUpdateCuration, readCuration, updateCuration } from "@/db/queries/curation";
import { listIncidents } from "@/db/queries/incidents";
import { ConflictError, ValidationError } from "@/lib/api/errors";
import { incidentListQuerySchema } from "@/lib/validation/incident-list";
import { createTestDb } from "../support/db";
import { addIncident, addProject } from "./incidents-helpers";

const ALICE = { id: "u1", label: "alice@example.com" };
const BOB = { id: "u2", label: "bob@example.com" };
const START = Date.UTC(2024, 4, 15, 10);

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to throw");
}

describe("bulk edit with versions", () => {
  test("an incident saved since the list was loaded refuses the whole edit, naming it and who changed what", () => {
    addProject(db, "canary");
    const [x, y, z] = [addIncident(db, { startedAt: START, sourceId: "X-1" }), addIncident(db, { startedAt: START, sourceId: "Y-1" }), addIncident(db, { startedAt: START, sourceId: "Z-1" })];
    const seen = Object.fromEntries([x, y, z].map((id) => [String(id), readCuration(db, id)!.version]));
    // Bob edits X on its own page (version 1 → 2), after Alice loaded the list.
    updateCuration(db, x, { remediation: "config_revert", version: 1 }, { actor: BOB });
    const auditBefore = [x, y, z].map((id) => listEntityAudit(db, "incident", id).length);

    const err = thrown(() => bulkUpdateCuration(db, { ids: [x, y, z], trigger: "change", addProject: "canary", versions: seen }, { actor: ALICE }));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).status).toBe(409);
    expect((err as Error).message).toBe("1 of the 3 selected incidents changed since you loaded the list (X-1; by bob@example.com). Nothing was saved.");
    const conflicts = bulkConflictsOf(err)!;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ incidentId: x, sourceId: "X-1", yourVersion: 1, currentVersion: 2, changedBy: ["bob@example.com"] });
    expect(conflicts[0].changedSince).toEqual([expect.objectContaining({ field: "remediation", from: null, to: "config_revert", by: "bob@example.com", version: 2 })]);

    // All or nothing: Y and Z untouched too, Bob's change kept, no audit rows added.
    expect(readCuration(db, x)).toMatchObject({ trigger: "unknown", remediation: "config_revert", projects: [], version: 2 });
    for (const id of [y, z]) expect(readCuration(db, id)).toMatchObject({ trigger: "unknown", projects: [], version: 1 });
    expect([x, y, z].map((id) => listEntityAudit(db, "incident", id).length)).toEqual(auditBefore);
  });

  test("every stale incident is listed, each with its editor", () => {
    const [x, y] = [addIncident(db, { startedAt: START, sourceId: "X-2" }), addIncident(db, { startedAt: START, sourceId: "Y-2" })];
    updateCuration(db, x, { trigger: "other" }, { actor: BOB });
    updateCuration(db, y, { changeType: "config" }, { actor: ALICE });
    const err = thrown(() => bulkUpdateCuration(db, { ids: [x, y], analysisStatus: "final", versions: { [x]: 1, [y]: 1 } }, { actor: ALICE }));
    expect(bulkConflictsOf(err)!.map((c) => [c.sourceId, c.changedBy])).toEqual([
      ["X-2", ["bob@example.com"]],
      ["Y-2", ["alice@example.com"]],
    ]);
    expect((err as Error).message).toContain("(X-2, Y-2; by bob@example.com, alice@example.com)");
  });

  test("with current versions the edit applies and each incident moves one version", () => {
    const [x, y] = [addIncident(db, { startedAt: START }), addIncident(db, { startedAt: START })];
    updateCuration(db, x, { remediation: "config_revert" }, { actor: BOB });
    const res = bulkUpdateCuration(db, { ids: [x, y], trigger: "change", versions: { [x]: 2, [y]: 1 } }, { actor: ALICE });
    expect(res.updated).toBe(2);
    expect(readCuration(db, x)).toMatchObject({ trigger: "change", remediation: "config_revert", version: 3 });
    expect(readCuration(db, y)).toMatchObject({ trigger: "change", version: 2 });
  });

  test("a version for an incident that is not selected, or not a version, is a validation error and writes nothing", () => {
    const x = addIncident(db, { startedAt: START });
    const err = thrown(() => bulkUpdateCuration(db, { ids: [x], trigger: "change", versions: { [x]: 1, 99999: 1 } }, { actor: ALICE })) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toContainEqual({ field: "versions.99999", message: "is not one of the selected incidents" });
    const bad = thrown(() => bulkUpdateCuration(db, { ids: [x], trigger: "change", versions: { [x]: "one" } }, { actor: ALICE })) as ValidationError;
    expect(bad.issues).toContainEqual({ field: `versions.${x}`, message: "must be the curation version you saw" });
    expect(readCuration(db, x)).toMatchObject({ trigger: "unknown", version: 1 });
  });

  test("without versions a bulk edit still applies to whatever is current (API callers that never read)", () => {
    const x = addIncident(db, { startedAt: START });
    updateCuration(db, x, { remediation: "config_revert" }, { actor: BOB });
    expect(bulkUpdateCuration(db, { ids: [x], trigger: "change" }, { actor: ALICE }).updated).toBe(1);
  });
});

describe("the list filtered by ids (the confirmation's link to rows a bulk edit moved)", () => {
  test("shows exactly the listed incidents, combined with the other filters", () => {
    const [a, b, c] = [addIncident(db, { startedAt: START }), addIncident(db, { startedAt: START, trigger: "change" }), addIncident(db, { startedAt: START })];
    const list = (params: Record<string, string>) => listIncidents(db, incidentListQuerySchema.parse(params)).items.map((i) => i.id).sort();
    expect(list({ ids: `${a},${b}` })).toEqual([a, b].sort());
    expect(list({ ids: `${a},${b}`, trigger: "unknown" })).toEqual([a]);
    expect(list({})).toEqual([a, b, c].sort());
    expect(incidentListQuerySchema.safeParse({ ids: "1,two" }).success).toBe(false);
  });
});

describe("a custom field stored nested 10,000 levels deep (written by other means) reads back safely", () => {
  test("the incident detail and the export show a placeholder instead of overflowing the stack", async () => {
    const { getIncident } = await import("@/db/queries/incidents");
    const { loadStoredIncidents } = await import("@/db/queries/incidents-export");
    const { TOO_DEEP_VALUE } = await import("@/lib/json/bounded");
    const id = addIncident(db, { startedAt: START });
    const deep = "[".repeat(10_000) + '"x"' + "]".repeat(10_000);
    db.$client.prepare("UPDATE incidents SET custom_fields = ? WHERE id = ?").run(`{"team":"payments","tree":${deep},"shallow":{"a":[1]}}`, id);
    const detail = getIncident(db, id)!;
    expect(detail.incident.customFields).toEqual({ team: "payments", tree: TOO_DEEP_VALUE, shallow: '{"a":[1]}' });
    expect(() => JSON.stringify(detail.incident)).not.toThrow();
    const exported = loadStoredIncidents(db, [id]).get(id)!;
    expect(exported.customFields.tree).toBe(TOO_DEEP_VALUE);
  });
});
