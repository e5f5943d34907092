import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { DeployImportRefusedError, importDeploys, listDeploys } from "@/db/queries/deploys";
import { getSuggestionConfig, saveSuggestionConfig } from "@/db/queries/triage";
import { acceptSuggestions, triageQueue } from "@/server/triage";
import { readCuration } from "@/db/queries/curation";
import { ValidationError } from "@/lib/api/errors";
import { parseDeployText, validateDeployRows } from "@/lib/import/deploys";
import { createTestDb } from "../support/db";
import { addIncident, HOUR, MIN } from "./incidents-helpers";

const ACTOR = { label: "alice@example.com" };
const IMPACT = Date.UTC(2024, 4, 15, 10);

let t: ReturnType<typeof createTestDb>;
let db: Db;
beforeEach(() => {
  t = createTestDb();
  db = t.db;
});
afterEach(() => t.cleanup());

function load(text: string) {
  const { deploys, errors } = validateDeployRows(parseDeployText(text));
  return importDeploys(db, deploys, errors, { actor: ACTOR });
}

const CSV = [
  "time,service,deploy_system,version,outcome,rollback,external_id",
  "2024-05-15T09:35:00Z,checkout,spinnaker,v2.3.1,success,no,DEP-1",
  "2024-05-15T08:30:00Z,checkout,spinnaker,v2.3.0,success,no,DEP-0",
  "2024-05-15T09:50:00Z,search,argocd,v9,success,false,DEP-2",
].join("\n");

describe("deploy import", () => {
  test("CSV and JSON load; a re-import with external ids changes nothing; a changed row updates", () => {
    expect(load(CSV)).toEqual({ total: 3, created: 3, updated: 0, unchanged: 0 });
    expect(load(CSV)).toEqual({ total: 3, created: 0, updated: 0, unchanged: 3 });
    expect(load(JSON.stringify({ time: "2024-05-15T09:35:00Z", service: "checkout", deploySystem: "spinnaker", version: "v2.3.2", externalId: "DEP-1" }))).toMatchObject({ updated: 1 });
    expect(load(JSON.stringify([{ finished_at: "2024-05-16T00:00:00+02:00", service: "mobile", rollback: true }]))).toMatchObject({ created: 1 });
    const all = listDeploys(db).items;
    expect(all).toHaveLength(4);
    expect(all.find((d) => d.externalId === "DEP-1")!.version).toBe("v2.3.2");
    expect(all.find((d) => d.service === "mobile")).toMatchObject({ isRollback: true, finishedAt: Date.UTC(2024, 4, 15, 22) });
  });

  test("every bad row is listed and nothing is written", () => {
    const bad = JSON.stringify([
      { time: "2024-05-15T09:35:00Z", service: "checkout" },
      { time: "yesterday", service: "" },
      { time: "2024-05-15T09:35:00Z", service: "x", rollback: "perhaps", colour: "red" },
    ]);
    let err: unknown;
    try {
      load(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeployImportRefusedError);
    const issues = (err as ValidationError).issues.map((i) => i.field);
    expect(issues).toEqual(expect.arrayContaining(["row 2: finishedAt", "row 2: service", "row 3: isRollback", "row 3: colour"]));
    expect(listDeploys(db).total).toBe(0);
  });

  test("unreadable bodies say why", () => {
    expect(() => parseDeployText("")).toThrow(/empty/);
    expect(() => parseDeployText("[1,")).toThrow(/not valid JSON/);
  });
});

describe("deploy suggestions", () => {
  test("a deploy to the affected service inside the window is suggested with its system and version; none outside", () => {
    load(CSV);
    const inside = addIncident(db, { startedAt: IMPACT, services: ["checkout"], title: "Checkout slow" });
    // Same service, but the nearest deploy finished 90 minutes before: outside the default 60.
    const outside = addIncident(db, { startedAt: IMPACT + 30 * MIN + HOUR, services: ["checkout"], title: "Checkout slow again" });
    const queue = triageQueue(db, { asOf: Date.UTC(2024, 11, 1) });
    const a = queue.items.find((i) => i.id === inside)!;
    expect(a.suggestions).toMatchObject({ trigger: "change", deploySystem: "spinnaker" });
    expect(a.suggestions.deploys.map((d) => d.deploy.externalId)).toEqual(["DEP-1"]);
    expect(a.suggestions.deploys[0].evidence).toContain("checkout v2.3.1 via spinnaker (DEP-1) finished 25 min before");
    const b = queue.items.find((i) => i.id === outside)!;
    expect(b.suggestions.deploys).toEqual([]);
    expect(b.suggestions.trigger).toBeNull();

    // Widening the window to 120 minutes brings DEP-1 into range for the second incident.
    saveSuggestionConfig(db, { rules: getSuggestionConfig(db).rules, windowMinutes: 120 }, { actor: ACTOR });
    const wider = triageQueue(db, { asOf: Date.UTC(2024, 11, 1) }).items.find((i) => i.id === outside)!;
    expect(wider.suggestions.deploys.map((d) => d.deploy.externalId)).toEqual(["DEP-1"]);
  });

  test("accepting suggestions tags only untriaged incidents with a suggestion, linking the deploy", () => {
    load(CSV);
    const a = addIncident(db, { startedAt: IMPACT, services: ["checkout"] });
    const none = addIncident(db, { startedAt: IMPACT, services: ["payments"], title: "Payments slow" });
    const triaged = addIncident(db, { startedAt: IMPACT, services: ["checkout"], trigger: "other" });
    const res = acceptSuggestions(db, [a, none, triaged], { actor: ACTOR });
    expect(res.accepted).toBe(1);
    expect(res.skipped).toEqual([
      { id: none, why: "no suggestion" },
      { id: triaged, why: "already triaged" },
    ]);
    const c = readCuration(db, a)!;
    expect(c).toMatchObject({ trigger: "change", deploySystem: "spinnaker", changeType: "code_deploy" });
    expect(listDeploys(db).items.find((d) => d.id === c.linkedDeployId)!.externalId).toBe("DEP-1");
  });

  test("rule settings are validated whole", () => {
    expect(() => saveSuggestionConfig(db, { rules: [{ label: "x", match: "regex", pattern: "(", trigger: "change", changeType: null, enabled: true }], windowMinutes: 0 }, { actor: ACTOR })).toThrow(
      ValidationError,
    );
    expect(getSuggestionConfig(db)).toMatchObject({ windowMinutes: 60, customised: false });
  });
});
