/**
 * The incident page and API: tagging through PATCH moves the quarter figure, lands in the
 * history and survives a re-import; deploy events give the right suggestion (none outside
 * the window); two conflicting saves lose nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN, createTokenViaCli, mainDbUrl, runCli, signInContext, uniqueName } from "./support/auth";

// Our own signed-in state: the shared test-results/.auth file can be rewritten by a
// concurrent run of another suite against another server.
const STATE = path.join(os.tmpdir(), `ds-e2e-incident-page-${process.pid}.json`);
// request.newContext() inherits `use` options, so the file must exist before signing in.
fs.writeFileSync(STATE, JSON.stringify({ cookies: [], origins: [] }));
test.beforeAll(async ({ baseURL }) => {
  const ctx = await signInContext(baseURL!, ADMIN.email, ADMIN.password);
  await ctx.storageState({ path: STATE });
  await ctx.dispose();
});
test.use({ storageState: STATE });

// FY2024-Q1 in the demo's settings (America/Los_Angeles, FY starting in January).
const QUARTER = "FY2024-Q1";
const AS_OF = "2025-01-01T00:00:00Z";

function writeFile(name: string, lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-e2e-inc-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

async function q1Hours(api: APIRequestContext): Promise<number> {
  const res = await api.get(`/api/metrics/quarters?from=${QUARTER}&to=${QUARTER}&asOf=${AS_OF}`);
  expect(res.status()).toBe(200);
  return (await res.json()).quarters[0].hours;
}

async function incidentIdFor(api: APIRequestContext, sourceId: string): Promise<number> {
  const res = await api.get(`/api/incidents?q=${encodeURIComponent(sourceId)}`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  const hit = body.items.find((i: { sourceId: string }) => i.sourceId === sourceId);
  expect(hit, `incident ${sourceId} is listed`).toBeTruthy();
  return hit.id;
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}

test("PATCH tags an incident: the figure moves, the history says so, a re-import keeps it", async ({ page, playwright, baseURL }) => {
  const prefix = uniqueName("E2ETAG").replace(/[^A-Za-z0-9-]/g, "");
  const file = writeFile("tag.csv", [
    "id,title,severity,started_at,resolved_at,services",
    `${prefix}-1,${prefix} checkout errors,SEV1,2024-02-10T10:00:00Z,2024-02-10T12:00:00Z,checkout`,
  ]);
  runCli(mainDbUrl(), ["import", file]);
  const token = createTokenViaCli(mainDbUrl(), uniqueName("e2e-tag"), "editor");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const id = await incidentIdFor(api, `${prefix}-1`);

  const before = await q1Hours(api);
  const detail = await (await api.get(`/api/incidents/${id}`)).json();
  expect(detail.curation).toMatchObject({ trigger: "unknown", version: 1 });

  // Invalid input: every field error at once; unknown id 404.
  const bad = await api.patch(`/api/incidents/${id}`, { data: { customerImpactPct: 120, impactStart: "2024-02-10T11:00:00Z", impactEnd: "2024-02-10T10:00:00Z", override: "exclude", trigger: "maybe" } });
  expect(bad.status()).toBe(422);
  const fields = (await bad.json()).issues.map((i: { field: string }) => i.field);
  expect(fields).toEqual(expect.arrayContaining(["customerImpactPct", "impactEnd", "overrideReason", "trigger"]));
  expect((await api.patch(`/api/incidents/99999999`, { data: { trigger: "change" } })).status()).toBe(404);

  const res = await api.patch(`/api/incidents/${id}`, { data: { trigger: "change", changeType: "code_deploy", version: 1 } });
  expect(res.status()).toBe(200);
  const saved = await res.json();
  expect(saved.curation.version).toBe(2);
  expect(saved.quarterDeltas).toEqual([{ quarter: QUARTER, before: 0, after: 2, delta: 2 }]);
  expect((await q1Hours(api)) - before).toBeCloseTo(2, 6);

  // A stale version is refused with the current values.
  const stale = await api.patch(`/api/incidents/${id}`, { data: { trigger: "other", version: 1 } });
  expect(stale.status()).toBe(409);
  const conflict = await stale.json();
  expect(conflict.current).toMatchObject({ trigger: "change", version: 2 });
  expect(conflict.current.changedSince[0]).toMatchObject({ field: "trigger", from: "unknown", to: "change" });

  // The history on the page: who, old → new, and the quarter it moved.
  await page.goto(`/incidents/${id}`);
  const history = page.getByTestId("history");
  await expect(history).toContainText(/token:e2e-tag/);
  await expect(history).toContainText("Trigger");
  await expect(history).toContainText("unknown");
  await expect(history).toContainText(`${QUARTER} +2.0 h`);
  await shoot(page, "incident-page");

  // Re-importing the same source file leaves the tag, and the figure, alone.
  runCli(mainDbUrl(), ["import", file]);
  const again = await (await api.get(`/api/incidents/${id}`)).json();
  expect(again.curation).toMatchObject({ trigger: "change", changeType: "code_deploy", version: 2 });
  expect((await q1Hours(api)) - before).toBeCloseTo(2, 6);
  await api.dispose();
});

test("deploy events suggest change-triggered inside the window, and nothing outside it", async ({ page, playwright, baseURL }) => {
  const prefix = uniqueName("E2EDEP").replace(/[^A-Za-z0-9-]/g, "");
  const service = `svc-${prefix.toLowerCase()}`;
  runCli(mainDbUrl(), [
    "import",
    writeFile("dep-incidents.csv", [
      "id,title,severity,started_at,resolved_at,services",
      `${prefix}-IN,${prefix} errors on ${service},SEV2,2024-02-10T10:00:00Z,2024-02-10T11:00:00Z,${service}`,
      `${prefix}-OUT,${prefix} errors on ${service},SEV2,2024-02-11T10:00:00Z,2024-02-11T11:00:00Z,${service}`,
    ]),
  ]);
  // Through the CLI: 20 minutes before the first incident, and 90 minutes before (outside 60).
  const out = runCli(mainDbUrl(), [
    "deploys",
    "import",
    writeFile("deploys.csv", [
      "time,service,deploy_system,version,outcome,rollback,external_id",
      `2024-02-10T09:40:00Z,${service},argocd,v9.9.9,success,no,${prefix}-D1`,
      `2024-02-10T08:30:00Z,${service},argocd,v1.0.0,success,no,${prefix}-D0`,
    ]),
  ]);
  expect(JSON.parse(out.trim().split("\n").at(-1)!)).toMatchObject({ created: 2 });
  // Through the API: 2 hours before the second incident (outside), and a rejected body that writes nothing.
  const token = createTokenViaCli(mainDbUrl(), uniqueName("e2e-dep"), "editor");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const posted = await api.post("/api/deploys", { data: [{ time: "2024-02-11T08:00:00Z", service, deploySystem: "argocd", version: "v2.0.0", externalId: `${prefix}-D2` }] });
  expect(posted.status()).toBe(201);
  const rejected = await api.post("/api/deploys", { data: [{ time: "2024-02-11T09:50:00Z", service }, { time: "soon", service: "" }] });
  expect(rejected.status()).toBe(422);
  expect((await rejected.json()).issues.map((i: { field: string }) => i.field)).toEqual(["row 2: finishedAt", "row 2: service"]);
  const listed = await (await api.get(`/api/deploys?service=${service}`)).json();
  expect(listed.total).toBe(3);

  const inside = await incidentIdFor(api, `${prefix}-IN`);
  const outside = await incidentIdFor(api, `${prefix}-OUT`);
  const detail = await (await api.get(`/api/incidents/${inside}`)).json();
  expect(detail.suggestions).toMatchObject({ trigger: "change", deploySystem: "argocd" });
  expect(detail.suggestions.deploys.map((d: { deploy: { version: string } }) => d.deploy.version)).toEqual(["v9.9.9"]);
  const none = await (await api.get(`/api/incidents/${outside}`)).json();
  expect(none.suggestions.deploys).toEqual([]);
  expect(none.suggestions.trigger).toBeNull();

  await page.goto(`/incidents/${inside}`);
  const panel = page.getByTestId("suggestions");
  await expect(panel).toContainText(`Deploy of ${service} v9.9.9 via argocd (${prefix}-D1) finished 20 min before the impact started.`);
  await expect(panel).not.toContainText("v1.0.0");
  await panel.getByRole("button", { name: "Link this deploy" }).click();
  await panel.getByRole("button", { name: "Apply suggestion to the form" }).click();
  await expect(page.getByLabel("Trigger", { exact: true })).toHaveValue("change");
  // Not saved until a person saves.
  expect((await (await api.get(`/api/incidents/${inside}`)).json()).curation.trigger).toBe("unknown");
  await shoot(page, "incident-suggestion");
  await page.getByRole("button", { name: /^Save \d+ change/ }).click();
  await expect(page.getByTestId("save-message")).toContainText("Saved");
  const linked = await (await api.get(`/api/incidents/${inside}`)).json();
  expect(linked.curation).toMatchObject({ trigger: "change", deploySystem: "argocd" });
  expect(linked.linkedDeploy).toMatchObject({ externalId: `${prefix}-D1`, version: "v9.9.9" });

  await page.goto(`/incidents/${outside}`);
  await expect(page.getByTestId("suggestions")).toContainText("no deploy to these services finished in the 60 minutes before the impact started");
  await api.dispose();
});

test("two people save the same incident: the second sees the first's changes per field, decides, and nothing is lost", async ({ browser, page }) => {
  const prefix = uniqueName("E2ECON").replace(/[^A-Za-z0-9-]/g, "");
  runCli(mainDbUrl(), [
    "import",
    writeFile("conflict.csv", ["id,title,severity,started_at,resolved_at,services", `${prefix}-1,${prefix} search slow,SEV2,2024-02-12T10:00:00Z,2024-02-12T13:00:00Z,search`]),
  ]);
  const id = await incidentIdFor(page.request, `${prefix}-1`);

  const other = await browser.newPage({ storageState: STATE });
  await page.goto(`/incidents/${id}`);
  await other.goto(`/incidents/${id}`);

  // First person: remediation and customer impact.
  await other.getByLabel("Remediation").fill("config_revert");
  await other.getByLabel("Customer impact %").fill("12");
  await other.getByRole("button", { name: "Save 2 changes" }).click();
  await expect(other.getByTestId("save-message")).toContainText("Saved 2 changes");

  // Second person, still on version 1: trigger and a different remediation. The panel previews before saving.
  await page.getByLabel("Trigger", { exact: true }).selectOption("change");
  await expect(page.getByTestId("why-panel")).toContainText("Counts");
  await expect(page.getByTestId("why-panel")).toContainText("+3.0 h");
  await page.getByLabel("Remediation").fill("roll_forward");
  await page.getByRole("button", { name: "Save 2 changes" }).click();

  const conflict = page.getByTestId("conflict");
  await expect(conflict).toBeVisible();
  await expect(conflict.locator('tr[data-field="remediation"]')).toContainText("roll_forward");
  await expect(conflict.locator('tr[data-field="remediation"]')).toContainText("config_revert");
  await expect(conflict.locator('tr[data-field="customerImpactPct"]')).toContainText("12");
  await shoot(page, "incident-conflict");
  // Nothing of the second save landed yet.
  let now = (await (await page.request.get(`/api/incidents/${id}`)).json()).curation;
  expect(now).toMatchObject({ trigger: "unknown", remediation: "config_revert", customerImpactPct: 12, version: 2 });

  await conflict.locator('tr[data-field="remediation"]').getByLabel("Keep mine").check();
  await conflict.locator('tr[data-field="customerImpactPct"]').getByLabel("Take theirs").check();
  await page.getByRole("button", { name: "Save with these choices" }).click();
  await expect(page.getByTestId("save-message")).toContainText("Saved");

  now = (await (await page.request.get(`/api/incidents/${id}`)).json()).curation;
  expect(now).toMatchObject({ trigger: "change", remediation: "roll_forward", customerImpactPct: 12, version: 3 });
  const history = (await (await page.request.get(`/api/incidents/${id}`)).json()).history;
  expect(history.map((h: { after: Record<string, unknown> }) => Object.keys(h.after).sort())).toEqual([
    ["customerImpactPct", "remediation"],
    ["remediation", "trigger"],
  ]);
  await other.close();
});
