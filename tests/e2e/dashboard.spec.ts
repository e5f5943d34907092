/**
 * The dashboard over the demo program, in Chromium: bars and target marks, provisional
 * quarters marked and explained, drill-down that adds up, keyboard path, URL state.
 * Figures are compared with GET /api/metrics/quarters, never hard-coded.
 */
import { expect, test, type Page } from "@playwright/test";
import { createUserViaCli, freshDbUrl, signIn, uniqueName } from "./support/auth";
import { readmeScreenshot } from "./support/screenshots";

type ApiQuarter = { quarter: string; hours: number; upperBoundHours: number; target: number | null; status: string; countedIncidents: number };

/** The API's figures for the period the dashboard shows (its period control names both ends). */
async function apiQuarters(page: Page): Promise<Map<string, ApiQuarter>> {
  const period = page.getByTestId("period-control");
  const [from, to] = [await period.getAttribute("data-from"), await period.getAttribute("data-to")];
  const res = await page.request.get(`/api/metrics/quarters?from=${from}&to=${to}`);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { quarters: ApiQuarter[] };
  return new Map(body.quarters.map((q) => [q.quarter, q]));
}

async function openDashboard(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.getByTestId("quarterly-chart").locator("svg.recharts-surface")).toBeVisible();
}

test("draws a bar per quarter and a target mark where a target is set", async ({ page }) => {
  await openDashboard(page);
  const api = await apiQuarters(page);
  const chart = page.getByTestId("quarterly-chart");
  const bars = chart.locator("rect.ds-bar");
  const withHours = [...api.values()].filter((q) => q.status !== "future" && q.hours > 0).map((q) => q.quarter);
  await expect(bars).toHaveCount(withHours.length);
  expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute("data-quarter")))).toEqual(withHours);
  const withTargets = [...api.values()].filter((q) => q.status !== "future" && q.target != null).map((q) => q.quarter);
  expect(withTargets.length).toBeGreaterThan(0);
  await expect(chart.locator("g.ds-target-mark")).toHaveCount(withTargets.length);
  // A band above the bar wherever untriaged incidents could still add hours.
  const banded = [...api.values()].filter((q) => q.status !== "future" && q.upperBoundHours - q.hours > 0.001).length;
  await expect(chart.locator("rect.ds-band")).toHaveCount(banded);
  await expect(page.getByTestId("headline")).toContainText(/from peak/);
  await expect(page.getByTestId("headline")).toContainText(/Forecast at quarter end/);
});

test("a provisional quarter is drawn differently and its tooltip says why", async ({ page }) => {
  await openDashboard(page);
  const api = await apiQuarters(page);
  const chart = page.getByTestId("quarterly-chart");
  const prov = chart.locator("rect.ds-bar--provisional").first();
  await expect(prov).toBeVisible();
  const quarter = (await prov.getAttribute("data-quarter"))!;
  expect(api.get(quarter)?.status).toBe("provisional");
  expect(await prov.getAttribute("fill")).toContain("ds-hatch-provisional");
  const final = chart.locator("rect.ds-bar--final").first();
  expect(await final.getAttribute("fill")).not.toContain("hatch");
  await expect(chart.getByRole("list", { name: "Legend" })).toContainText("Provisional");

  await prov.hover();
  const tip = page.getByTestId("quarter-tooltip");
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(quarter);
  await expect(tip).toContainText("Provisional because:");
  await expect(tip).toContainText(/untriaged|awaiting impact analysis|still ongoing|Ended less than/);
  await page.screenshot({ path: "/tmp/shots/dashboard-tooltip.png" });
});

test("clicking a bar lists the incidents behind it, and their contributions add up to the bar", async ({ page }) => {
  await openDashboard(page);
  const api = await apiQuarters(page);
  const bar = page.getByTestId("quarterly-chart").locator("rect.ds-bar--final").first();
  const quarter = (await bar.getAttribute("data-quarter"))!;
  await bar.click();
  await expect(page).toHaveURL(new RegExp(`quarter=${quarter}`));
  const drill = page.getByTestId("drilldown");
  await expect(drill).toContainText(`Incidents behind ${quarter}`);
  const cells = drill.getByTestId("drill-rows").locator("td[data-hours]");
  const q = api.get(quarter)!;
  await expect(cells).toHaveCount(Math.min(q.countedIncidents, 301));
  const hours = (await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-hours"))))) as number[];
  const sum = hours.reduce((a, b) => a + b, 0);
  expect(Math.abs(sum - q.hours)).toBeLessThan(1e-6);
  // Every listed incident is one the engine counts in that quarter, with a reason shown.
  const ids = await drill.getByTestId("drill-rows").locator("tr[data-incident]").evaluateAll((els) => els.map((e) => e.getAttribute("data-incident")));
  const counted = await (await page.request.get(`/api/metrics/quarters?include=incidents&quarter=${quarter}&counted=true&limit=5000`)).json();
  expect(new Set(ids)).toEqual(new Set(counted.incidents.map((i: { id: string }) => i.id)));
  await expect(drill.getByTestId("drill-rows")).toContainText(/change-triggered|override|medium rule/);
});

test("the drill-down is reachable from the table view by keyboard", async ({ page }) => {
  await openDashboard(page);
  const frame = page.getByTestId("quarterly");
  await frame.getByRole("button", { name: "Table" }).click();
  const table = frame.getByTestId("quarterly-table");
  await expect(table).toBeVisible();
  const link = table.locator("tbody th a").first();
  const quarter = (await link.textContent())!.trim();
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("drilldown")).toContainText(`Incidents behind ${quarter}`);
  // The table shows the same numbers as the API.
  const api = await apiQuarters(page);
  const cell = frame.getByTestId("quarterly-table").locator(`tr[data-quarter="${quarter}"] td[data-hours]`);
  expect(Math.abs(Number(await cell.getAttribute("data-hours")) - api.get(quarter)!.hours)).toBeLessThan(0.001);
});

test("filters and the breakdown choice are kept in the URL", async ({ page }) => {
  await openDashboard(page);
  const service = (await page.locator("#f-service option").nth(1).getAttribute("value"))!;
  await page.locator("#f-service").selectOption(service);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`service=${encodeURIComponent(service)}`));
  await expect(page.getByTestId("filter-badge")).toContainText(service);
  await expect(page.getByTestId("quarterly-chart").locator("svg.recharts-surface")).toBeVisible();

  await page.getByRole("group", { name: "Break down by" }).getByRole("button", { name: "Deploy system" }).click();
  await expect(page).toHaveURL(/dim=deploySystem/);
  await page.reload();
  await expect(page.getByRole("group", { name: "Break down by" }).getByRole("button", { name: "Deploy system" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("#f-service")).toHaveValue(service);

  await page.goto("/?dim=bogus&quarter=nope");
  await expect(page.getByRole("alert").first()).toContainText(/Unknown breakdown "bogus"|not a quarter id/);
});

test("every chart has a table view; North Star shows no data as such", async ({ page }) => {
  await openDashboard(page);
  for (const id of ["quarterly", "breakdown", "ranking", "lag-trend", "northstar", "completeness"]) {
    const frame = page.getByTestId(id);
    await frame.getByRole("button", { name: "Table" }).click();
    await expect(frame.locator("table").first()).toBeVisible();
  }
  await expect(page.getByTestId("completeness")).toContainText("Open the triage queue");
  await expect(page.getByTestId("lag-projects")).toContainText("Automatic rollbacks");
});

test("README screenshot of the dashboard", async ({ page }) => {
  await openDashboard(page);
  // Headline and quarterly chart together in one 1400×900 view.
  await page.getByTestId("headline").evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12));
  await readmeScreenshot(page, "dashboard");
  await page.screenshot({ path: "/tmp/shots/dashboard-full.png", fullPage: true });
});

test.describe("with no incidents", () => {
  const FRESH = `http://127.0.0.1:${process.env.E2E_FRESH_PORT || 3201}`;
  test.use({ baseURL: FRESH, storageState: { cookies: [], origins: [] } });

  test("the dashboard tells a new user what to do next", async ({ page }) => {
    const email = `${uniqueName("dash-editor")}@example.com`;
    createUserViaCli(freshDbUrl(), email, "editor", "dash-editor-pw-1");
    await signIn(page, email, "dash-editor-pw-1");
    await page.goto("/");
    const empty = page.getByTestId("dashboard-empty");
    await expect(empty).toContainText("No incidents yet");
    await expect(empty.getByRole("link", { name: "Import incidents" })).toHaveAttribute("href", "/import");
    await expect(empty).toContainText("cli -- seed");
  });
});
