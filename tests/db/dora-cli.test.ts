import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setIncidentDeployLinks } from "@/db/queries/deploy-links";
import { importDeploys, listDeploys } from "@/db/queries/deploys";
import { parseDeployText, validateDeployRows } from "@/lib/import/deploys";
import { computeDora } from "@/server/dora";
import { runCli } from "../support/cli";
import { createTestDb } from "../support/db";
import { addIncident } from "./incidents-helpers";

const CASES = path.resolve(__dirname, "../fixtures/dora-cases");
const ACTOR = { label: "cli-test" };
let t: ReturnType<typeof createTestDb>;

beforeAll(() => {
  t = createTestDb();
  const csv = ["time,service,rollback,external_id", "2024-05-01T10:00:00Z,checkout,no,D1", "2024-05-01T11:00:00Z,checkout,no,D2", "2024-05-01T11:30:00Z,checkout,yes,R1"].join("\n");
  const { deploys, errors } = validateDeployRows(parseDeployText(csv));
  importDeploys(t.db, deploys, errors, { actor: ACTOR });
  const ids = new Map(listDeploys(t.db).items.map((d) => [d.externalId!, d.id]));
  const inc = addIncident(t.db, { severity: "SEV1", trigger: "change", startedAt: Date.parse("2024-05-01T10:05:00Z") });
  setIncidentDeployLinks(t.db, { incidentId: inc, kind: "cause", deployIds: [ids.get("D1")!], actor: ACTOR });
});
afterAll(() => t.cleanup());

describe("cli dora", () => {
  test("evaluate prints a case's quarters exactly as the vectors expect", async () => {
    const file = path.join(CASES, "counted-once.json");
    const out = await runCli(["dora", "evaluate", file]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    const expected = JSON.parse(fs.readFileSync(file, "utf8")).expected.quarters;
    expect(JSON.parse(out.stdout).quarters).toEqual(expected.map((q: Record<string, unknown>) => ({ ...q, start: expect.any(String), end: expect.any(String) })));
  });

  test("--json over the database is the API's shape, equal to the service's figures", async () => {
    const asOf = "2024-07-01T00:00:00Z";
    const out = await runCli(["dora", "--json", "--as-of", asOf, "--from", "FY2024-Q2", "--to", "FY2024-Q2"], { DATABASE_URL: `file:${t.file}` });
    expect(out.stderr).toBe("");
    const printed = JSON.parse(out.stdout);
    expect(printed).toEqual(JSON.parse(JSON.stringify(computeDora(t.db, { asOf: Date.parse(asOf), from: "FY2024-Q2", to: "FY2024-Q2" }))));
    // D1 caused a counted incident; D2 was rolled back by R1: both failed.
    expect(printed.quarters[0]).toMatchObject({ deployments: 2, remediationDeploys: 1, failedDeployments: 2, changeFailRate: 1 });
  });

  test("bad input: one line naming the problem, exit 2", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dora-cli-"));
    const bad = path.join(dir, "bad.json");
    const good = JSON.parse(fs.readFileSync(path.join(CASES, "counted-once.json"), "utf8"));
    fs.writeFileSync(bad, JSON.stringify({ ...good, deploys: [{ id: "d", service: "", finishedAt: "2024-01-01T00:00:00Z", isRollback: false }] }));
    const results = await Promise.all([
      runCli(["dora", "evaluate", bad]),
      runCli(["dora", "--from", "FY2024-Q9"], { DATABASE_URL: `file:${t.file}` }),
      runCli(["dora", "stray"], { DATABASE_URL: `file:${t.file}` }),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    for (const r of results) {
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(results[0].stderr).toMatch(/deploys\.0\.service: must not be empty/);
    expect(results[1].stderr).toMatch(/from/);
    expect(results[2].stderr).toMatch(/unexpected argument "stray"/);
  }, 60_000);
});
