/**
 * The period control over the demo program, as a person uses it at desktop and phone size:
 * the default (the last eight quarters and the current one), quick choices by click and by
 * keyboard, a from/to pair chosen with the keyboard, the URL holding the state through
 * drill-downs and filters, a bad range in a shared link, and the projects screen's period.
 * Figures are compared with GET /api/metrics/quarters for the same range, never hard-coded.
 */
import { expect, test, type Page } from "@playwright/test";
import path from "node:path";

type ApiQuarter = { quarter: string; hours: number; status: string };

/** A screenshot for a look, in the run's folder only (not a README picture). */
async function runScreenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(process.env.E2E_TMP || "test-results", "screenshots", `${name}.png`) });
}

/** FY2026-Q1 → ordinal, for arithmetic on quarter ids. */
const ord = (id: string) => Number(id.slice(2, 6)) * 4 + Number(id.slice(-1)) - 1;
const qid = (o: number) => `FY${Math.floor(o / 4)}-Q${(o % 4) + 1}`;

async function openDashboard(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.getByTestId("quarterly-chart").locator("svg.recharts-surface")).toBeVisible();
}

async function shownPeriod(page: Page) {
  const period = page.getByTestId("period-control");
  return { from: (await period.getAttribute("data-from"))!, to: (await period.getAttribute("data-to"))! };
}

/** A chart frame's table view, as a person opens it (the frame draws one view at a time). */
async function showTable(page: Page, frame: string) {
  const button = page.getByTestId(frame).getByRole("button", { name: "Table", exact: true });
  if ((await button.getAttribute("aria-pressed")) !== "true") await button.click();
  await expect(page.getByTestId(`${frame}-table`)).toBeVisible();
}

/** The quarterly table's quarters and hours. */
async function tableQuarters(page: Page) {
  await showTable(page, "quarterly");
  return page
    .getByTestId("quarterly-table")
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => ({ quarter: tr.getAttribute("data-quarter")!, hours: Number(tr.querySelector("td[data-hours]")!.getAttribute("data-hours")) })));
}

async function apiQuarters(page: Page, from: string, to: string): Promise<ApiQuarter[]> {
  const res = await page.request.get(`/api/metrics/quarters?from=${from}&to=${to}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { quarters: ApiQuarter[] }).quarters.filter((q) => q.status !== "future");
}

async function expectTableMatchesApi(page: Page, from: string, to: string) {
  const rows = await tableQuarters(page);
  const api = await apiQuarters(page, from, to);
  expect(rows.map((r) => r.quarter)).toEqual(api.map((q) => q.quarter));
  rows.forEach((r, i) => expect(Math.abs(r.hours - api[i].hours)).toBeLessThan(0.001));
  // Every chart of the dashboard follows the period: the breakdown's and the trend's tables too.
  await showTable(page, "breakdown");
  const breakdownQuarters = await page.getByTestId("breakdown-table").locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.querySelector("th")?.textContent?.trim()));
  expect(breakdownQuarters).toEqual(api.map((q) => q.quarter));
}

const choice = (page: Page, name: string) => page.getByRole("navigation", { name: "Period" }).getByRole("link", { name, exact: true });

test.describe("desktop", () => {
  test.use({ viewport: { width: 1400, height: 900 } });

  test("defaults to the last eight quarters and the current one; quick choices put the range in the URL", async ({ page }) => {
    await openDashboard(page);
    const { from, to } = await shownPeriod(page);
    expect(ord(to) - ord(from)).toBe(8);
    await expect(choice(page, "Last 8 quarters")).toHaveAttribute("aria-current", "true");
    await expectTableMatchesApi(page, from, to);
    await expect(page.getByRole("group", { name: /Export quarterly figures/ }).getByRole("link").first()).toHaveAttribute("href", new RegExp(`from=${from}&to=${to}`));
    await runScreenshot(page, "period-desktop");

    await choice(page, "Last 4 quarters").click();
    await expect(page).toHaveURL(new RegExp(`\\?from=${qid(ord(to) - 4)}&to=${to}$`));
    await expect(choice(page, "Last 4 quarters")).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", qid(ord(to) - 4));
    expect(await tableQuarters(page)).toHaveLength(5);
    await expectTableMatchesApi(page, qid(ord(to) - 4), to);

    // A fiscal year: its four quarters (fewer when it has not ended yet).
    const fy = `FY${Number(to.slice(2, 6)) - 1}`;
    await choice(page, fy).click();
    await expect(page).toHaveURL(new RegExp(`from=${fy}-Q1&to=${fy}-Q4`));
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", `${fy}-Q1`);
    expect(await tableQuarters(page)).toHaveLength(4);
    await expectTableMatchesApi(page, `${fy}-Q1`, `${fy}-Q4`);

    // All: from the first quarter with data.
    const allHref = new URL((await choice(page, "All").getAttribute("href"))!, "http://x");
    await choice(page, "All").click();
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", allHref.searchParams.get("from")!);
    const all = await shownPeriod(page);
    await expectTableMatchesApi(page, all.from, all.to);
    expect((await tableQuarters(page)).length).toBeGreaterThan(9);

    // Back undoes a change of period.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`from=${fy}-Q1&to=${fy}-Q4`));
  });

  test("the keyboard alone picks a quick choice and a from/to range", async ({ page }) => {
    await openDashboard(page);
    const { to } = await shownPeriod(page);
    // Tab reaches the quick choices in order; Enter follows one.
    await choice(page, "Last 4 quarters").focus();
    await page.keyboard.press("Tab");
    await expect(choice(page, "Last 8 quarters")).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(choice(page, "Last 12 quarters")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/from=/);
    const twelve = await shownPeriod(page);
    expect(ord(twelve.to) - ord(twelve.from)).toBe(12);
    await expect(choice(page, "Last 12 quarters")).toHaveAttribute("aria-current", "true");

    // The From and To menus, then the button, with arrow keys, Tab and Enter.
    await page.getByLabel("From", { exact: true }).focus();
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("To", { exact: true })).toBeFocused();
    await page.keyboard.press("End");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Show period" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`from=${qid(ord(to) - 1)}&to=${to}`));
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", qid(ord(to) - 1));
    expect(await tableQuarters(page)).toHaveLength(2);
  });

  test("the period stays through a drill-down and the filters; a bad range in a link is named and the default shown", async ({ page }) => {
    await openDashboard(page);
    const { to } = await shownPeriod(page);
    const from = qid(ord(to) - 5);
    await openDashboard(page, `/?from=${from}&to=${to}`);
    await page.getByTestId("quarterly").getByRole("button", { name: "Table" }).click();
    const first = page.getByTestId("quarterly-table").locator("tbody tr").first();
    await first.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`quarter=${from}`));
    await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", from);

    // The filter form carries the period along.
    const filters = page.getByTestId("dashboard-filters");
    const service = filters.getByLabel("Service");
    const firstService = await service.locator("option").nth(1).getAttribute("value");
    await service.selectOption(firstService!);
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
    await expect(page.getByTestId("filter-badge")).toContainText(firstService!);
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", from);
    // Clearing the filters keeps the period.
    await filters.getByRole("link", { name: "Clear" }).click();
    await expect(page.getByTestId("filter-badge")).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`\\?from=${from}&to=${to}$`));

    // Reversed, and malformed: a message naming the parameter, the default period, no crash.
    await openDashboard(page, `/?from=${to}&to=${from}`);
    await expect(page.getByTestId("period-error")).toContainText(`from=${to} is after to=${from}`);
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", qid(ord(to) - 8));
    await openDashboard(page, "/?from=2025Q1");
    await expect(page.getByTestId("period-error")).toContainText('from="2025Q1" must be a quarter id like FY2024-Q1');
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
  });

  test("the projects screen takes the same period", async ({ page }) => {
    await openDashboard(page);
    const { to } = await shownPeriod(page);
    const fy = `FY${Number(to.slice(2, 6)) - 1}`;
    await page.goto("/projects");
    await expect(choice(page, "Last 8 quarters")).toHaveAttribute("aria-current", "true");
    await choice(page, fy).click();
    await expect(page).toHaveURL(new RegExp(`/projects\\?from=${fy}-Q1&to=${fy}-Q4`));
    await expect(page.getByTestId("source-ranking")).toContainText(`${fy}-Q1 to ${fy}-Q4`);
    // The dimension tabs keep the period.
    await page.getByTestId("source-ranking").getByRole("link", { name: "Deploy system" }).click();
    await expect(page).toHaveURL(new RegExp(`dim=deploySystem&from=${fy}-Q1&to=${fy}-Q4`));
    await expect(choice(page, fy)).toHaveAttribute("aria-current", "true");
    await page.goto("/projects?to=FY20x");
    await expect(page.getByRole("alert").filter({ hasText: "Period ignored" })).toContainText('to="FY20x"');
  });
});

test.describe("phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the period control fits a phone and works by tap", async ({ page }) => {
    await openDashboard(page);
    const control = page.getByTestId("period-control");
    await expect(control).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = (await control.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await control.scrollIntoViewIfNeeded();
    await runScreenshot(page, "period-phone");
    const { to } = await shownPeriod(page);
    await choice(page, "Last 4 quarters").tap();
    await expect(page).toHaveURL(new RegExp(`from=${qid(ord(to) - 4)}&to=${to}`));
    await expect(page.getByTestId("period-control")).toHaveAttribute("data-from", qid(ord(to) - 4));
    expect(await tableQuarters(page)).toHaveLength(5);
    await page.getByLabel("From", { exact: true }).selectOption(qid(ord(to) - 2));
    await page.getByRole("button", { name: "Show period" }).tap();
    await expect(page).toHaveURL(new RegExp(`from=${qid(ord(to) - 2)}&to=${to}`));
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });
});
