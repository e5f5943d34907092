/**
 * Phone size (390×844): the five pages a lead or an engineer opens on a phone never scroll
 * sideways, their main controls are on screen, and the navigation folds behind a Menu
 * button that works with the keyboard. Plus the small things seen on every page: a
 * favicon (no 404 in the console) and a readable key hint on the primary triage button.
 * README screenshots (docs/screenshots/phone-*.png) only with UPDATE_SCREENSHOTS=1.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { readmeScreenshot } from "./support/screenshots";

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE, deviceScaleFactor: 1, isMobile: false, hasTouch: true });

/** Fails naming the widest elements when the page is wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, culprits } = await page.evaluate((w) => {
    const culprits: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 0.5 && culprits.length < 5) culprits.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)} right=${Math.round(r.right)}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprits };
  }, PHONE.width);
  expect(scrollWidth, `the page scrolls sideways; widest: ${culprits.join(", ")}`).toBeLessThanOrEqual(PHONE.width);
}

/** Visible and inside the screen's width (not cut off at the right edge). */
async function expectOnScreen(locator: Locator) {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  expect(box, "has a box").not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width + 0.5);
}

async function firstHref(page: Page, path: string, selector: string): Promise<string> {
  await page.goto(path);
  const href = await page.locator(selector).first().getAttribute("href");
  expect(href, `a link matching ${selector} on ${path}`).toBeTruthy();
  return href!;
}

test("the navigation folds behind a Menu button that works with the keyboard", async ({ page }) => {
  await page.goto("/incidents");
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = nav.getByRole("button", { name: /Menu/ });
  await expectOnScreen(menu);
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Projects" })).toBeHidden();
  // The header is one line, not a 460 px block.
  expect((await page.locator(".app-header").boundingBox())!.height).toBeLessThanOrEqual(64);

  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expectOnScreen(nav.getByRole("link", { name: "Projects" }));
  await expect(nav.getByRole("link", { name: "Incidents" })).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Dashboard" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  await menu.click();
  await nav.getByRole("link", { name: "Reports" }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(nav.getByRole("link", { name: "Reports" })).toBeHidden();
  await expectNoSidewaysScroll(page);
});

test("dashboard at 390 px: headline, burn-down and quarterly chart fit the screen", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await expect(page.locator("[data-testid=quarterly-chart] svg.recharts-surface")).toBeVisible();
  await expectOnScreen(page.getByTestId("headline").locator(".card").first());
  await expectOnScreen(page.locator("[data-testid=burndown-chart] svg.recharts-surface"));
  await expectOnScreen(page.locator("[data-testid=quarterly-chart] svg.recharts-surface"));
  await expectOnScreen(page.getByRole("button", { name: "Apply filters" }));
  await expectNoSidewaysScroll(page);
  // A favicon, so no page logs a 404 for one.
  const icon = await page.locator("link[rel=icon]").first().getAttribute("href");
  expect(icon).toBeTruthy();
  expect((await page.request.get(icon!)).status()).toBe(200);
  expect(errors.filter((e) => /404|favicon/i.test(e))).toEqual([]);
  await readmeScreenshot(page, "phone-dashboard");
});

test("incidents list at 390 px: filters fit, the table scrolls inside its own box with readable titles", async ({ page }) => {
  await page.goto("/incidents");
  await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
  const filters = page.getByRole("search", { name: "Filter incidents" });
  await expectOnScreen(filters.getByLabel("Search title, description, custom fields or id"));
  for (const label of ["Quarter", "Severity", "Trigger", "Reviewed"]) await expectOnScreen(filters.getByLabel(label, { exact: true }));
  await expectOnScreen(filters.getByRole("button", { name: "Apply filters" }));

  const wrap = page.locator(".table-wrap").filter({ has: page.locator("table") }).first();
  await expectOnScreen(wrap);
  // The title column keeps a sensible width: a title wraps over at most four lines.
  const title = page.locator("table tbody tr td a[href^='/incidents/']").first();
  await expect(title).toBeVisible();
  const lines = await title.evaluate((a) => Math.round(a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)));
  expect(lines).toBeLessThanOrEqual(4);
  await expectNoSidewaysScroll(page);
  await readmeScreenshot(page, "phone-incidents");
});

test("triage queue at 390 px: the decision buttons are on screen; the key hint on the primary one is readable", async ({ page }) => {
  await page.goto("/incidents/triage");
  await expect(page.getByRole("heading", { name: "Triage queue", level: 1 })).toBeVisible();
  const change = page.getByRole("button", { name: /Change-triggered/ }).first();
  await expectOnScreen(change);
  await expectOnScreen(page.getByRole("button", { name: /Not change-triggered/ }));
  // The <kbd> sits on the blue button: its text must contrast with what is behind it (it was white on white).
  const ratio = await change.locator("kbd").evaluate((kbd) => {
    const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const [br, bg, bb] = rgba(getComputedStyle(kbd.closest("button")!).backgroundColor);
    const [kr, kg, kb, ka = 1] = rgba(getComputedStyle(kbd).backgroundColor);
    const under = [kr * ka + br * (1 - ka), kg * ka + bg * (1 - ka), kb * ka + bb * (1 - ka)];
    const text = rgba(getComputedStyle(kbd).color);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const [a, b] = [lum(under), lum(text)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
  expect(ratio).toBeGreaterThanOrEqual(4.5);
  await expectNoSidewaysScroll(page);
  await readmeScreenshot(page, "phone-triage");
});

test("an incident page at 390 px: the tags form and its source fields fit", async ({ page }) => {
  const href = await firstHref(page, "/incidents", "table tbody tr td a[href^='/incidents/']");
  await page.goto(href);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectOnScreen(page.getByLabel("Trigger", { exact: true }));
  await expectOnScreen(page.getByRole("heading", { name: "Tags and analysis" }));
  await expectNoSidewaysScroll(page);
  await readmeScreenshot(page, "phone-incident");
});

test("a report at 390 px: headline cards stack, the chart fits, tables scroll in their own box", async ({ page }) => {
  const href = await firstHref(page, "/reports", "a[href^='/reports/FY']");
  await page.goto(href);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("report");
  await expectOnScreen(page.getByTestId("report-hours"));
  await expectOnScreen(page.getByTestId("report-chart"));
  await expectOnScreen(page.getByRole("link", { name: /Download PDF/ }).or(page.getByRole("button", { name: /Download PDF/ })).first());
  await expectNoSidewaysScroll(page);
  await readmeScreenshot(page, "phone-report");
  // Open every disclosure in the page ("Figures as a table"…): what it shows must fit too.
  for (const d of await page.locator("main details").all()) await d.evaluate((el) => ((el as HTMLDetailsElement).open = true));
  await expectNoSidewaysScroll(page);
});

test("the same pages at 1400 px keep the links in the header", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto("/incidents");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("button", { name: /Menu/ })).toBeHidden();
  await expect(nav.getByRole("link", { name: "Projects" })).toBeVisible();
  // The title column is no longer squeezed to a few words a line.
  const th = page.locator("table thead th", { hasText: "Title" });
  expect((await th.boundingBox())!.width).toBeGreaterThanOrEqual(250);
  await page.screenshot({ path: `${process.env.E2E_TMP || "test-results"}/screenshots/desktop-incidents.png` });
});
