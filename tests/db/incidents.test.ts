import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { updateCuration } from "@/db/queries/curation";
import { getIncident, listIncidents } from "@/db/queries/incidents";
import { triageQueue } from "@/server/triage";
import { incidentListQuerySchema } from "@/lib/validation/incident-list";
import { createTestDb } from "../support/db";
import { addIncident, addProject, HOUR, MIN } from "./incidents-helpers";

const AS_OF = Date.UTC(2024, 11, 1);
const MAY = Date.UTC(2024, 4, 15, 10);
const AUG = Date.UTC(2024, 7, 15, 10);

let t: ReturnType<typeof createTestDb>;
let db: Db;
let ids: Record<string, number>;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
  addProject(db, "canary");
  ids = {
    deployMay: addIncident(db, { title: "Checkout errors after deploy", sourceId: "PD-100", startedAt: MAY, trigger: "change", severity: "SEV1", deploySystem: "spinnaker", changeType: "code_deploy" }),
    otherMay: addIncident(db, { title: "Provider outage", sourceId: "PD-101", startedAt: MAY + HOUR, trigger: "other", services: ["search"] }),
    untriagedAug: addIncident(db, { title: "Login failures", sourceId: "PD-102", startedAt: AUG, severity: "SEV2", resolvedAt: AUG + 3 * HOUR }),
    lowAug: addIncident(db, { title: "Minor blip", sourceId: "PD-103", startedAt: AUG + HOUR, severity: "SEV4", resolvedAt: AUG + HOUR + 5 * MIN }),
    reviewedAug: addIncident(db, { title: "Config push broke login", sourceId: "PD-104", startedAt: AUG + 2 * HOUR, trigger: "change", reviewedAt: AUG + 10 * HOUR, changeType: "config" }),
  };
  updateCuration(db, ids.deployMay, { projects: ["canary"] }, { actor: { label: "t" } });
});
afterEach(() => t.cleanup());

const list = (params: Record<string, string>) => listIncidents(db, incidentListQuerySchema.parse(params), { asOf: AS_OF });
const titles = (params: Record<string, string>) => list(params).items.map((i) => i.title);

describe("listIncidents", () => {
  test("newest first by default, with paging and totals", () => {
    const page1 = list({ pageSize: "25" });
    expect(page1.total).toBe(5);
    expect(page1.items[0].sourceId).toBe("PD-104");
    expect(titles({ sort: "started", dir: "asc" })[0]).toBe("Checkout errors after deploy");
  });

  test("search covers title and source id, case-insensitively, with LIKE wildcards taken literally", () => {
    expect(titles({ q: "login" })).toEqual(["Config push broke login", "Login failures"]);
    expect(titles({ q: "pd-101" })).toEqual(["Provider outage"]);
    expect(titles({ q: "%" })).toEqual([]);
  });

  test("search reads descriptions and custom field values (not their names), also through odd characters", () => {
    const withText = addIncident(db, { title: "Elevated latency", sourceId: "PD-200", startedAt: AUG + 3 * HOUR, description: "Root cause: a Terraform apply removed the NAT gateway." });
    db.$client
      .prepare("UPDATE incidents SET custom_fields = ? WHERE id = ?")
      .run(JSON.stringify({ team: "Payments Core", ticket: "JIRA-4242", note: 'said "rollback" twice', region: "eu-zürich" }), withText);
    expect(titles({ q: "nat gateway" })).toEqual(["Elevated latency"]);
    expect(titles({ q: "payments core" })).toEqual(["Elevated latency"]);
    expect(titles({ q: "jira-4242" })).toEqual(["Elevated latency"]);
    expect(titles({ q: '"rollback"' })).toEqual(["Elevated latency"]);
    expect(titles({ q: "zürich" })).toEqual(["Elevated latency"]);
    // A field's name is not its value.
    expect(titles({ q: "ticket" })).toEqual([]);
    // Search combines with the other filters.
    expect(titles({ q: "payments core", trigger: "change" })).toEqual([]);
    // A row whose custom fields are not valid JSON is searched by its other text, never an error.
    db.$client.prepare("UPDATE incidents SET custom_fields = 'not json' WHERE id = ?").run(ids.lowAug);
    expect(titles({ q: "blip" })).toEqual(["Minor blip"]);
    expect(titles({ q: "JIRA-9999" })).toEqual([]);
  });

  test("filters: trigger (untriaged too), quarter, service, deploy system, change type, project, reviewed, severity", () => {
    expect(titles({ trigger: "unknown" }).sort()).toEqual(["Login failures", "Minor blip"]);
    expect(titles({ quarter: "FY2024-Q2" }).sort()).toEqual(["Checkout errors after deploy", "Provider outage"]);
    expect(titles({ service: "SEARCH" })).toEqual(["Provider outage"]);
    expect(titles({ deploySystem: "spinnaker" })).toEqual(["Checkout errors after deploy"]);
    expect(titles({ changeType: "config" })).toEqual(["Config push broke login"]);
    expect(titles({ project: "canary" })).toEqual(["Checkout errors after deploy"]);
    expect(titles({ reviewed: "yes" })).toEqual(["Config push broke login"]);
    expect(titles({ severity: "sev4" })).toEqual(["Minor blip"]);
    expect(titles({ trigger: "change", quarter: "FY2024-Q3" })).toEqual(["Config push broke login"]);
  });

  test("counted comes from the engine, as a column and as a filter", () => {
    expect(titles({ counted: "yes" }).sort()).toEqual(["Checkout errors after deploy", "Config push broke login"]);
    expect(titles({ counted: "no" })).toHaveLength(3);
    const row = list({ q: "Login failures" }).items[0];
    expect(row).toMatchObject({ counted: false, reason: "untriaged", durationHours: 3 });
    updateCuration(db, ids.untriagedAug, { trigger: "change" }, { actor: { label: "t" } });
    expect(list({ q: "Login failures" }).items[0]).toMatchObject({ counted: true, reason: "high_severity" });
  });

  test("sorting by duration and a page past the end clamps to the last page", () => {
    expect(titles({ sort: "duration", dir: "desc" })[0]).toBe("Login failures");
    const last = list({ pageSize: "25", page: "9" });
    expect(last.page).toBe(1);
    expect(last.items).toHaveLength(5);
  });

  test("bad query values are rejected with a message per field", () => {
    const r = incidentListQuerySchema.safeParse({ quarter: "2024Q1", trigger: "maybe", pageSize: "7", counted: "perhaps" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path[0]).sort()).toEqual(["counted", "pageSize", "quarter", "trigger"]);
  });
});

describe("getIncident and the triage queue", () => {
  test("getIncident returns source fields, curation and projects; null for an unknown id", () => {
    const d = getIncident(db, ids.deployMay)!;
    expect(d.incident.sourceId).toBe("PD-100");
    expect(d.curation).toMatchObject({ trigger: "change", projects: ["canary"], version: 2 });
    expect(getIncident(db, 12345)).toBeNull();
  });

  test("untriaged candidates (would count if change-triggered) come before the rest", () => {
    const q = triageQueue(db, { asOf: AS_OF });
    expect(q.total).toBe(2);
    expect(q.candidates).toBe(1);
    expect(q.items.map((i) => [i.sourceId, i.candidate])).toEqual([
      ["PD-102", true],
      ["PD-103", false],
    ]);
    expect(triageQueue(db, { asOf: AS_OF, exclude: [ids.untriagedAug] }).items.map((i) => i.sourceId)).toEqual(["PD-103"]);
  });
});
