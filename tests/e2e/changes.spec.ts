/**
 * The change figures end to end: an engineer confirms the causing deploy on an incident's
 * page, and the change fail rate moves on the dashboard, on the Changes page and in the API;
 * the drill-down names the deploy and the incident. Bad queries get a 422.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { formatRate } from "@/lib/format/dora";
import { ADMIN, createTokenViaCli, mainDbUrl, runCli, signInContext, uniqueName } from "./support/auth";
import { readmeScreenshot } from "./support/screenshots";

const STATE = path.join(os.tmpdir(), `ds-e2e-changes-${process.pid}.json`);
fs.writeFileSync(STATE, JSON.stringify({ cookies: [], origins: [] }));
test.beforeAll(async ({ baseURL }) => {
  const ctx = await signInContext(baseURL!, ADMIN.email, ADMIN.password);
  await ctx.storageState({ path: STATE });
  await ctx.dispose();
});
test.use({ storageState: STATE });

function writeFile(name: string, lines: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ds-e2e-changes-")), name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

interface DoraQuarter {
  quarter: string;
  deployments: number;
  failedDeployments: number;
  failedDeployIds: string[];
  changeFailRate: number | null;
}

async function currentQuarter(api: APIRequestContext): Promise<DoraQuarter> {
  const res = await api.get("/api/dora/quarters");
  expect(res.status()).toBe(200);
  return (await res.json()).quarters.at(-1);
}

test("confirming a causing deploy on the incident page moves the change fail rate everywhere", async ({ page, playwright, baseURL }) => {
  const prefix = uniqueName("E2EDORA").replace(/[^A-Za-z0-9-]/g, "");
  const service = `svc-${prefix.toLowerCase()}`;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  runCli(mainDbUrl(), [
    "import",
    writeFile("incident.csv", ["id,title,severity,started_at,resolved_at,services", `${prefix}-1,${prefix} checkout errors,SEV1,${iso(now - 60 * 60_000)},${iso(now - 20 * 60_000)},${service}`]),
  ]);
  runCli(mainDbUrl(), [
    "deploys",
    "import",
    writeFile("deploys.csv", ["time,service,deploy_system,version,rollback,external_id", `${iso(now - 70 * 60_000)},${service},argocd,v7.1.0,no,${prefix}-D1`]),
  ]);
  const token = createTokenViaCli(mainDbUrl(), uniqueName("e2e-dora"), "editor");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const found = (await (await api.get(`/api/incidents?q=${prefix}-1`)).json()).items[0];
  // Triaged as change-triggered, so it counts once its cause is confirmed.
  expect((await api.patch(`/api/incidents/${found.id}`, { data: { trigger: "change", version: 1 } })).status()).toBe(200);
  const before = await currentQuarter(api);

  await page.goto(`/incidents/${found.id}`);
  const panel = page.getByTestId("causing-change");
  await expect(panel).toContainText("Not confirmed");
  const suspect = panel.getByRole("checkbox", { name: new RegExp(`${service} v7.1.0`) });
  await expect(suspect).toBeVisible();
  await expect(panel).toContainText("Finished 10 min before the impact started");
  await suspect.check();
  await panel.getByRole("button", { name: "Confirm causing deploys" }).click();
  await expect(panel.getByRole("status")).toHaveText("Confirmed 1 causing deploy.");
  await expect(panel).toContainText(`Caused by ${service} v7.1.0 (${prefix}-D1)`);
  await expect(page.getByTestId("history")).toContainText(`Added ${service} v7.1.0 (${prefix}-D1)`);
  await readmeScreenshot(page, "causing-change", { fullPage: false, clip: (await panel.boundingBox()) ?? undefined });

  const after = await currentQuarter(api);
  expect(after.deployments).toBe(before.deployments);
  expect(after.failedDeployments).toBe(before.failedDeployments + 1);
  const expected = formatRate(after.changeFailRate);
  expect(expected).not.toBe(formatRate(before.changeFailRate));

  await page.goto("/");
  await expect(page.getByTestId("dora-cfr")).toHaveText(expected);
  // Page coordinates (scrolled to the top), so the clip holds below the fold too.
  await readmeScreenshot(page, "dora-panel", { fullPage: true, clip: (await page.getByTestId("dora-panel").boundingBox()) ?? undefined });

  await page.goto("/changes");
  await expect(page.getByTestId("tile-cfr")).toHaveText(expected);
  await page.getByRole("link", { name: after.quarter, exact: true }).click();
  const drill = page.getByTestId("dora-drilldown");
  await expect(drill).toContainText(service);
  await expect(drill.getByRole("link", { name: new RegExp(`${prefix}-1`) })).toHaveAttribute("href", `/incidents/${found.id}`);
  await readmeScreenshot(page, "changes", { fullPage: true });

  // The quarter's report (live) carries the same rate, on the page and in the text summary.
  await page.goto(`/reports/${after.quarter}?view=live`);
  await expect(page.getByTestId("report-changes")).toContainText(expected);
  const summary = await (await api.get(`/api/reports/${after.quarter}.txt?view=live`)).text();
  expect(summary).toContain(`change fail rate ${expected} (${after.failedDeployments} failed)`);
  await api.dispose();
});

test("the Changes page at phone size, and bad queries are refused by name", async ({ page, playwright, baseURL }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/changes");
  await expect(page.getByTestId("dora-tiles")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await readmeScreenshot(page, "changes-phone", { fullPage: false });
  await page.goto("/changes?quarter=FY1999-Q9");
  await expect(page.getByRole("alert").filter({ hasText: "FY1999-Q9" })).toContainText('"FY1999-Q9" is not a quarter in the period shown');

  const token = createTokenViaCli(mainDbUrl(), uniqueName("e2e-dora-bad"), "viewer");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const bad = await api.get("/api/dora/quarters?from=FY2024-Q9&bogus=1");
  expect(bad.status()).toBe(422);
  const fields = (await bad.json()).issues.map((i: { field: string }) => i.field);
  expect(fields).toEqual(expect.arrayContaining(["from"]));
  expect((await api.get("/api/dora/quarters?asOf=yesterday")).status()).toBe(422);
  await api.dispose();
});

test("one deploy linked as the cause of several incidents from the list's bulk bar", async ({ page, playwright, baseURL }) => {
  const prefix = uniqueName("E2EBULK").replace(/[^A-Za-z0-9-]/g, "");
  const service = `svc-${prefix.toLowerCase()}`;
  runCli(mainDbUrl(), [
    "import",
    writeFile("bulk.csv", [
      "id,title,severity,started_at,resolved_at,services",
      `${prefix}-1,${prefix} first,SEV2,2024-03-10T10:00:00Z,2024-03-10T11:00:00Z,${service}`,
      `${prefix}-2,${prefix} second,SEV2,2024-03-10T10:30:00Z,2024-03-10T11:00:00Z,${service}`,
    ]),
  ]);
  runCli(mainDbUrl(), ["deploys", "import", writeFile("bulk-deploys.csv", ["time,service,external_id", `2024-03-10T09:50:00Z,${service},${prefix}-D`])]);
  await page.goto(`/incidents?q=${prefix}`);
  await page.getByRole("checkbox", { name: `Select ${prefix}-1` }).check();
  await page.getByRole("checkbox", { name: `Select ${prefix}-2` }).check();
  const bar = page.getByRole("region", { name: "Bulk edit" });
  await bar.getByLabel("Caused by deploy").fill("NO-SUCH-DEPLOY");
  await bar.getByRole("button", { name: "Link cause" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "NO-SUCH-DEPLOY" })).toContainText('no deploy event with id or external id "NO-SUCH-DEPLOY"');
  await bar.getByLabel("Caused by deploy").fill(`${prefix}-D`);
  await bar.getByRole("button", { name: "Link cause" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Linked" })).toHaveText("Linked 2 incidents to the deploy as its cause.");

  const token = createTokenViaCli(mainDbUrl(), uniqueName("e2e-bulk"), "viewer");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const rows = (await (await api.get(`/api/export/incidents.json?q=${prefix}`)).json()).incidents;
  expect(rows).toHaveLength(2);
  for (const r of rows) expect(r.causeDeployIds).toHaveLength(1);
  await api.dispose();
});
