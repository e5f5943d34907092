import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listEntityAudit } from "@/db/queries/audit";
import { bulkUpdateCuration, readCuration, setReviewed, updateCuration, type FieldChange } from "@/db/queries/curation";
import { getCurrentPolicy, savePolicyVersion } from "@/db/queries/config";
import { computeMetrics } from "@/server/metrics";
import { unreviewedCountedByQuarter } from "@/server/triage";
import { ConflictError, ValidationError } from "@/lib/api/errors";
import { createTestDb } from "../support/db";
import { addIncident, addProject, HOUR } from "./incidents-helpers";

const ALICE = { id: "u1", label: "alice@example.com" };
const BOB = { id: "u2", label: "bob@example.com" };
// 2024 Q2 in UTC (the default settings): one 2-hour SEV2 incident in the middle of May.
const START = Date.UTC(2024, 4, 15, 10);
const AS_OF = Date.UTC(2024, 11, 1);

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

function q2Hours(): number {
  return computeMetrics(db, { asOf: AS_OF, from: "FY2024-Q2", to: "FY2024-Q2" }).quarters[0].hours;
}

function issuesOf(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error("expected a ValidationError");
}

describe("updateCuration", () => {
  test("tagging change-triggered moves the quarter figure and the audit row says by how much", () => {
    const id = addIncident(db, { startedAt: START, resolvedAt: START + 2 * HOUR });
    expect(q2Hours()).toBe(0);
    const res = updateCuration(db, id, { trigger: "change", changeType: "config", version: 1 }, { actor: ALICE, asOf: AS_OF });
    expect(res.changed).toEqual(["trigger", "changeType"]);
    expect(res.curation.version).toBe(2);
    expect(q2Hours()).toBeCloseTo(2, 9);
    const [row] = listEntityAudit(db, "incident", id);
    expect(row).toMatchObject({ action: "incident.update", actorLabel: ALICE.label, before: { trigger: "unknown", changeType: null }, after: { trigger: "change", changeType: "config" } });
    expect((row.detail as { quarterDeltas: unknown[] }).quarterDeltas).toEqual([{ quarter: "FY2024-Q2", before: 0, after: 2, delta: 2 }]);
  });

  test("under union overlap an edit counts only the hours the incident adds beyond its overlaps, single and bulk", () => {
    savePolicyVersion(db, { ...getCurrentPolicy(db).policy, overlap: "union" }, { note: "union", actor: ALICE });
    addIncident(db, { startedAt: START, resolvedAt: START + 2 * HOUR, trigger: "change" });
    const id = addIncident(db, { startedAt: START + HOUR, resolvedAt: START + 3 * HOUR });
    const other = addIncident(db, { startedAt: START + 10 * HOUR, resolvedAt: START + 11 * HOUR });
    const res = updateCuration(db, id, { trigger: "change", version: 1 }, { actor: ALICE, asOf: AS_OF });
    expect(res.quarterDeltas).toEqual([{ quarter: "FY2024-Q2", before: 2, after: 3, delta: 1 }]);
    const bulk = bulkUpdateCuration(db, { ids: [other], trigger: "change" }, { actor: ALICE });
    expect(bulk.updated).toBe(1);
    expect(q2Hours()).toBeCloseTo(4, 9);
  });

  test("a window spanning two quarters records only the quarter that moved", () => {
    const id = addIncident(db, { startedAt: Date.UTC(2024, 5, 30, 23), resolvedAt: Date.UTC(2024, 6, 1, 2), trigger: "change" });
    const res = updateCuration(db, id, { impactEnd: "2024-07-01T01:00:00Z" }, { actor: ALICE, asOf: AS_OF });
    expect(res.quarterDeltas).toEqual([{ quarter: "FY2024-Q3", before: 2, after: 1, delta: -1 }]);
  });

  test("invalid input returns every field error and writes nothing", () => {
    const id = addIncident(db, { startedAt: START });
    const issues = issuesOf(() =>
      updateCuration(
        db,
        id,
        { impactStart: "2024-05-15T12:00:00Z", impactEnd: "2024-05-15T11:00:00Z", customerImpactPct: 150, fleetExposurePct: -1, override: "include", overrideReason: "", trigger: "maybe", colour: "red" },
        { actor: ALICE },
      ),
    );
    const fields = issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(["impactEnd", "customerImpactPct", "fleetExposurePct", "trigger", "(root)"]));
    expect(issues.find((i) => i.field === "customerImpactPct")!.message).toMatch(/0 to 100/);
    expect(readCuration(db, id)!.version).toBe(1);
    expect(listEntityAudit(db, "incident", id)).toHaveLength(0);
  });

  test("with other fields invalid, an override without a stored or sent reason is still reported", () => {
    const id = addIncident(db, { startedAt: START });
    const fields = issuesOf(() => updateCuration(db, id, { override: "exclude", customerImpactPct: 120 }, { actor: ALICE })).map((i) => i.field);
    expect(fields.sort()).toEqual(["customerImpactPct", "overrideReason"]);
  });

  test("the merged record is checked: an override needs a reason, impact end after the stored start, projects must exist", () => {
    const id = addIncident(db, { startedAt: START });
    updateCuration(db, id, { impactStart: "2024-05-15T12:00:00Z" }, { actor: ALICE });
    const issues = issuesOf(() => updateCuration(db, id, { impactEnd: "2024-05-15T11:00:00Z", override: "exclude", projects: ["nope"] }, { actor: ALICE }));
    expect(issues.map((i) => i.field).sort()).toEqual(["impactEnd", "overrideReason", "projects"]);
    addProject(db, "canary");
    const ok = updateCuration(db, id, { override: "exclude", overrideReason: "test traffic only", projects: ["canary"] }, { actor: ALICE });
    expect(ok.curation.projects).toEqual(["canary"]);
    expect(readCuration(db, id)!.projects).toEqual(["canary"]);
  });

  test("saving the same values is a no-op: no new version, no audit", () => {
    const id = addIncident(db, { startedAt: START, trigger: "change" });
    const res = updateCuration(db, id, { trigger: "change", version: 1 }, { actor: ALICE });
    expect(res.changed).toEqual([]);
    expect(readCuration(db, id)!.version).toBe(1);
    expect(listEntityAudit(db, "incident", id)).toHaveLength(0);
  });

  test("an unknown incident is NotFound", () => {
    expect(() => updateCuration(db, 9999, { trigger: "change" }, { actor: ALICE })).toThrow(/No incident/);
  });
});

describe("concurrent edits", () => {
  test("two saves from the same version: the second is refused with the first's changes, then resolved with nothing lost", () => {
    const id = addIncident(db, { startedAt: START });
    // Both open version 1. Alice saves first.
    updateCuration(db, id, { trigger: "change", remediation: "config_revert", version: 1 }, { actor: ALICE });
    let conflict: ConflictError | null = null;
    try {
      updateCuration(db, id, { trigger: "other", customerImpactPct: 12, version: 1 }, { actor: BOB });
    } catch (err) {
      conflict = err as ConflictError;
    }
    expect(conflict).toBeInstanceOf(ConflictError);
    const current = conflict!.current as { version: number; trigger: string; customerImpactPct: number | null; changedSince: FieldChange[] };
    expect(current.version).toBe(2);
    expect(current.trigger).toBe("change");
    expect(current.customerImpactPct).toBeNull();
    expect(current.changedSince.map((c) => [c.field, c.from, c.to, c.by])).toEqual([
      ["trigger", "unknown", "change", ALICE.label],
      ["remediation", null, "config_revert", ALICE.label],
    ]);
    // Nothing of Bob's landed.
    expect(readCuration(db, id)).toMatchObject({ trigger: "change", customerImpactPct: null, version: 2 });
    // Bob takes Alice's trigger, keeps his impact % and saves against version 2.
    updateCuration(db, id, { customerImpactPct: 12, version: current.version }, { actor: BOB });
    expect(readCuration(db, id)).toMatchObject({ trigger: "change", remediation: "config_revert", customerImpactPct: 12, version: 3 });
    expect(listEntityAudit(db, "incident", id).map((r) => r.actorLabel)).toEqual([ALICE.label, BOB.label]);
  });

  test("without a version the patch applies field by field to the current version", () => {
    const id = addIncident(db, { startedAt: START });
    updateCuration(db, id, { remediation: "roll_forward" }, { actor: ALICE });
    updateCuration(db, id, { trigger: "change" }, { actor: BOB });
    expect(readCuration(db, id)).toMatchObject({ trigger: "change", remediation: "roll_forward", version: 3 });
  });
});

describe("review", () => {
  test("a lead's review is recorded; unreviewed counted incidents are countable per quarter; editing the tag clears the review", () => {
    const a = addIncident(db, { startedAt: START, trigger: "change" });
    const b = addIncident(db, { startedAt: START + HOUR, trigger: "change" });
    addIncident(db, { startedAt: START, trigger: "other" });
    const q = () => unreviewedCountedByQuarter(db, { asOf: AS_OF, from: "FY2024-Q2", to: "FY2024-Q2" }).quarters[0];
    expect(q()).toMatchObject({ count: 2, incidentIds: [String(a), String(b)] });
    setReviewed(db, a, true, { actor: ALICE });
    expect(readCuration(db, a)).toMatchObject({ reviewedBy: ALICE.label });
    expect(q()).toMatchObject({ count: 1, incidentIds: [String(b)] });
    const res = updateCuration(db, a, { changeType: "config" }, { actor: BOB });
    expect(res.reviewCleared).toBe(true);
    expect(q().count).toBe(2);
    expect(listEntityAudit(db, "incident", a).map((r) => r.action)).toEqual(["incident.review", "incident.update"]);
  });

  test("an untriaged incident cannot be reviewed", () => {
    const id = addIncident(db, { startedAt: START });
    expect(() => setReviewed(db, id, true, { actor: ALICE })).toThrow(ValidationError);
  });
});

describe("bulk edit", () => {
  test("applies to each incident with one audit row each; an unknown id refuses the whole edit", () => {
    addProject(db, "canary");
    const ids = [addIncident(db, { startedAt: START }), addIncident(db, { startedAt: START + HOUR })];
    expect(() => bulkUpdateCuration(db, { ids: [...ids, 999], trigger: "change" }, { actor: ALICE })).toThrow(ValidationError);
    expect(readCuration(db, ids[0])!.trigger).toBe("unknown");
    const res = bulkUpdateCuration(db, { ids, trigger: "change", addProject: "canary" }, { actor: ALICE });
    expect(res.updated).toBe(2);
    for (const id of ids) {
      expect(readCuration(db, id)).toMatchObject({ trigger: "change", projects: ["canary"] });
      const rows = listEntityAudit(db, "incident", id);
      expect(rows).toHaveLength(1);
      expect(rows[0].action).toBe("incident.bulk_update");
    }
    expect(q2()).toBeCloseTo(2, 9);
  });
  const q2 = () => computeMetrics(db, { asOf: AS_OF, from: "FY2024-Q2", to: "FY2024-Q2" }).quarters[0].hours;
});
