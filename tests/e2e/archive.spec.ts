/**
 * A lead's first hour with a real archive: GitHub's public Statuspage history (1,279 valid
 * incidents, 2010–2023) imported through the CLI as already analysed into a database of its
 * own (no demo), served by its own app. The dashboard of the archive's last eight quarters
 * agrees with `cli metrics --json` for the same range quarter by quarter; an engineer finds a
 * change-triggered incident by words in its description and tags it, and both move together;
 * "All" draws 2010–2023 without a marker per empty quarter and with target marks apart.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { createUserViaCli, runCli, signIn } from "./support/auth";
import { readmeScreenshot } from "./support/screenshots";

const ROOT = process.cwd();
const ARCHIVE = path.join(ROOT, "tests/fixtures/import/github-status-incidents.json");
const DIR = fs.mkdtempSync(path.join(process.env.E2E_TMP || "/tmp", "archive-"));
const DB_URL = `file:${path.join(DIR, "archive.sqlite")}`;
const LEAD = { email: "lead@archive.example.com", password: "archive-lead-password-1" };
/** The archive ends in October 2023 (UTC calendar, fiscal year from January): its last eight quarters. */
const FROM = "FY2022-Q1";
const TO = "FY2023-Q4";
const TARGET_QUARTERS = ["FY2021-Q2", "FY2021-Q3", "FY2021-Q4", "FY2022-Q1", "FY2022-Q2", "FY2022-Q3"];

let server: ChildProcess | null = null;
let baseURL = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test.describe.configure({ mode: "serial" });
test.use({ storageState: { cookies: [], origins: [] }, viewport: { width: 1400, height: 1000 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const summary = JSON.parse(runCli(DB_URL, ["import", ARCHIVE, "--skip-invalid", "--analysed"]).trim().split("\n").pop()!);
  expect(summary).toMatchObject({ created: 1279, rejected: 3 });
  createUserViaCli(DB_URL, LEAD.email, "lead", LEAD.password, "Archive Lead");
  // Targets on neighbouring quarters, as a lead sets them (the CLI's targets command, with a note).
  for (const q of TARGET_QUARTERS) runCli(DB_URL, ["targets", "set", q, "30", "--note", "archive baseline"]);
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  // Its own process group, so afterAll stops next-server with it.
  server = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: DB_URL, NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || ".next-e2e", DEMO_DATA: "off" },
    stdio: "ignore",
    detached: true,
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const up = await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error("the archive's server did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(() => {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
});

type CliQuarter = { quarter: string; hours: number; upperBoundHours: number; target: number | null; status: string; countedIncidentIds: string[] };

function cliQuarters(): CliQuarter[] {
  return (JSON.parse(runCli(DB_URL, ["metrics", "--json", "--from", FROM, "--to", TO])) as { quarters: CliQuarter[] }).quarters;
}

/** The quarterly chart's table view, opened as a person would, as rows. */
async function tableRows(page: Page) {
  const button = page.getByTestId("quarterly").getByRole("button", { name: "Table", exact: true });
  if ((await button.getAttribute("aria-pressed")) !== "true") await button.click();
  await expect(page.getByTestId("quarterly-table")).toBeVisible();
  return page
    .getByTestId("quarterly-table")
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const td = tr.querySelectorAll("td");
        return {
          quarter: tr.getAttribute("data-quarter")!,
          status: td[0].firstChild!.textContent!.trim(),
          hours: Number(tr.querySelector("td[data-hours]")!.getAttribute("data-hours")),
          upperBound: td[3].textContent!.trim(),
          counted: Number(td[4].textContent!.trim()),
        };
      }),
    );
}

async function expectAgreesWithCli(page: Page) {
  const cli = cliQuarters();
  const rows = await tableRows(page);
  expect(rows.map((r) => r.quarter)).toEqual(cli.map((q) => q.quarter));
  const statusWords: Record<string, string> = { final: "Final", provisional: "Provisional", in_progress: "In progress" };
  rows.forEach((r, i) => {
    const q = cli[i];
    expect(Math.abs(r.hours - q.hours), r.quarter).toBeLessThan(0.001);
    expect(r.counted, r.quarter).toBe(q.countedIncidentIds.length);
    expect(r.status, r.quarter).toBe(statusWords[q.status]);
    expect(Number(r.upperBound.replace(/[^\d.]/g, "")), r.quarter).toBeCloseTo(q.upperBoundHours, 1);
  });
  return cli;
}

/** A signed-in page on the archive's own server. */
async function archivePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] }, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, LEAD.email, LEAD.password);
  return page;
}

/** A screenshot for a look, in the run's folder only (not a README picture). */
async function runScreenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(process.env.E2E_TMP || "test-results", "screenshots", `${name}.png`) });
}

async function openDashboard(page: Page, query: string) {
  await page.goto(`/${query}`);
  await expect(page.getByTestId("quarterly-chart").locator("svg.recharts-surface")).toBeVisible();
}

test("the archive's last eight quarters agree with cli metrics, before and after an engineer tags a change it describes", async ({ browser }) => {
  const page = await archivePage(browser);
  await openDashboard(page, `?from=${FROM}&to=${TO}`);
  await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", FROM);
  const before = await expectAgreesWithCli(page);
  // Analysed but untriaged: nothing counted yet, every quarter an upper bound.
  expect(before.some((q) => q.upperBoundHours > 0)).toBe(true);

  // The service filter lists the archive's own components, nothing of a demo.
  const services = await page.getByTestId("dashboard-filters").getByLabel("Service").locator("option").allTextContents();
  expect(services).toContain("Git Operations");
  expect(services).not.toContain("webapp-backend");

  // Search reads descriptions: the June 2023 outage says a change was reverted.
  await page.goto(`/incidents?q=${encodeURIComponent("reverted the change")}`);
  const link = page.getByRole("link", { name: "Incident On 2023-06-29" });
  await expect(link).toBeVisible();
  await link.click();
  const save = page.getByRole("button", { name: /^Save \d+ changes?$/ });
  // The form is a client component: choose again if the choice landed before it hydrated.
  await expect(async () => {
    await page.getByLabel("Trigger").selectOption({ label: "Change-triggered" });
    await expect(save).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await save.click();
  await expect(page.getByTestId("save-message")).toContainText(/Saved/);

  await openDashboard(page, `?from=${FROM}&to=${TO}`);
  const after = await expectAgreesWithCli(page);
  expect(after.find((q) => q.quarter === "FY2023-Q2")!.hours).toBeGreaterThan(0);
  // The largest sources follow the period too (its last four quarters hold the tagged incident).
  await expect(page.getByTestId("ranking")).toContainText("Git Operations");
  await expect(page.getByTestId("ranking")).not.toContainText("Nothing counted in this period");
  // Back to the chart for the picture.
  await page.getByTestId("quarterly").getByRole("button", { name: "Chart", exact: true }).click();
  await expect(page.getByTestId("quarterly-chart").locator("svg.recharts-surface")).toBeVisible();
  await readmeScreenshot(page, "github-archive", { fullPage: true });
});

test("All draws 2010–2023 with no marker per empty quarter, and target marks never touch", async ({ browser }) => {
  const page = await archivePage(browser);
  await openDashboard(page, "");
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "All", exact: true }).click();
  await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", "FY2010-Q1");
  const rows = await tableRows(page);
  expect(rows.length).toBeGreaterThan(60);
  const withHours = rows.filter((r) => r.hours > 0).length;
  await page.getByTestId("quarterly").getByRole("button", { name: "Chart", exact: true }).click();
  await expect(page.getByTestId("quarterly-chart").locator("svg.recharts-surface")).toBeVisible();
  // The trend draws a dot only where there were hours.
  await expect(page.getByTestId("lag-trend-chart").locator("circle.ds-hours-dot")).toHaveCount(withHours);
  await expect(page.getByTestId("quarterly-chart").locator("rect.ds-bar")).toHaveCount(withHours);
  // One target mark per quarter with a target, each clear of the next.
  const marks = page.getByTestId("quarterly-chart").locator("g.ds-target-mark");
  await expect(marks).toHaveCount(TARGET_QUARTERS.length);
  const boxes = await marks.evaluateAll((gs) => gs.map((g) => g.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
  boxes.sort((a, b) => a.left - b.left);
  for (let i = 1; i < boxes.length; i++) expect(boxes[i].left, `mark ${i} starts after mark ${i - 1} ends`).toBeGreaterThan(boxes[i - 1].right + 1);
  await runScreenshot(page, "github-archive-all");
});
