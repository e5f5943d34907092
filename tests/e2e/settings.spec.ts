/**
 * Settings in Chromium: the policy what-if shows different figures before saving and a
 * save becomes a new version; general settings validation; target history with reasons.
 */
import { expect, test, type Page } from "@playwright/test";
import { readmeScreenshot } from "./support/screenshots";

test.describe.configure({ mode: "serial" });

async function figures(page: Page) {
  return page.getByTestId("whatif-table").locator("tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({ q: r.getAttribute("data-quarter"), current: Number(r.getAttribute("data-current")), draft: Number(r.getAttribute("data-draft")) })),
  );
}

async function versionIds(page: Page): Promise<number[]> {
  return page.getByTestId("policy-versions").locator("li[data-version]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-version"))));
}

test("changing the medium-rule threshold previews different figures before saving; saving adds a version", async ({ page }) => {
  await page.goto("/settings/policy");
  const before = await versionIds(page);
  const duration = page.getByLabel("Minimum duration (minutes)");
  const original = await duration.inputValue();
  const initial = await figures(page);
  expect(initial.every((r) => r.current === r.draft)).toBe(true);

  const next = original === "30" ? "5" : "30";
  await duration.fill(next);
  await expect.poll(async () => (await figures(page)).some((r) => Math.abs(r.current - r.draft) > 1e-9), { timeout: 15_000 }).toBe(true);
  await expect(page.getByTestId("whatif-changes")).toBeVisible();
  // The current column did not move, and nothing was saved yet.
  expect((await figures(page)).map((r) => r.current)).toEqual(initial.map((r) => r.current));
  await page.reload();
  expect(await versionIds(page)).toEqual(before);
  await expect(page.getByLabel("Minimum duration (minutes)")).toHaveValue(original);

  await page.getByLabel("Minimum duration (minutes)").fill(next);
  await expect.poll(async () => (await figures(page)).some((r) => Math.abs(r.current - r.draft) > 1e-9), { timeout: 15_000 }).toBe(true);
  // The rule being edited beside its preview.
  await page.getByRole("region", { name: "Draft policy" }).evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12));
  await page.getByLabel("Minimum duration (minutes)").blur();
  await readmeScreenshot(page, "settings-policy");
  const drafted = await figures(page);
  await page.getByLabel(/^Reason/).fill(`e2e: blip threshold ${next} min`);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.getByTestId("policy-confirm").getByRole("button", { name: "Confirm and save" }).click();
  const newId = Math.max(...before) + 1;
  await expect(page.getByTestId("policy-save-result")).toContainText(`Saved as version ${newId}`);
  await expect(page.getByTestId("policy-versions").locator("li").first()).toHaveAttribute("data-version", String(newId));
  await expect(page.getByTestId("policy-versions").locator("li").first()).toContainText(`e2e: blip threshold ${next} min`);
  await expect(page.getByTestId("policy-versions").locator("li").first()).toContainText("admin@example.com");
  // The saved policy is now the one in force: "current" equals what the draft showed.
  await page.reload();
  await expect.poll(async () => (await figures(page)).map((r) => r.current)).toEqual(drafted.map((r) => r.draft));

  // The old version stays readable.
  await page.goto(`/settings/policy?version=${Math.max(...before)}`);
  await expect(page.locator("#version")).toContainText(`Version ${Math.max(...before)}`);
  await expect(page.getByTestId("policy-summary")).toContainText(`lasts at least ${original} min`);

  // Put the threshold back for the suites that follow (as another version).
  await page.goto("/settings/policy");
  await page.getByLabel("Minimum duration (minutes)").fill(original);
  await page.getByLabel(/^Reason/).fill("e2e: restore blip threshold");
  await expect(page.getByRole("button", { name: "Save as new version" })).toBeEnabled();
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.getByTestId("policy-confirm").getByRole("button", { name: "Confirm and save" }).click();
  await expect(page.getByTestId("policy-save-result")).toContainText(`Saved as version ${newId + 1}`);
});

test("an invalid draft shows the field's problem and cannot be saved", async ({ page }) => {
  await page.goto("/settings/policy");
  await page.getByLabel("Minimum customer impact (%)").fill("150");
  await expect(page.getByRole("alert").filter({ hasText: "0–100" }).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Save as new version" })).toBeDisabled();
});

test("general settings refuse an unknown time zone and name the field", async ({ page }) => {
  await page.goto("/settings/general");
  const tz = page.getByLabel("Time zone (IANA)");
  const original = await tz.inputValue();
  await tz.fill("Mars/Olympus_Mons");
  await page.getByLabel("Maturity (days)").fill("-3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("must be an IANA time zone")).toBeVisible();
  await expect(page.getByText("must be 0 or more")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Time zone (IANA)")).toHaveValue(original);
});

test("lowering a target needs a reason and keeps the old value in the history", async ({ page }) => {
  await page.goto("/settings/targets");
  const quarterSelect = page.getByLabel("Quarter", { exact: true });
  // The furthest future quarter listed: no figures depend on it.
  const quarter = (await quarterSelect.locator("option").first().getAttribute("value"))!;
  await quarterSelect.selectOption(quarter);
  await page.getByLabel("Target hours").fill("12");
  await page.getByRole("button", { name: "Save target" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Target for ${quarter} set to 12 h` })).toBeVisible();

  await page.getByLabel("Quarter", { exact: true }).selectOption(quarter);
  await page.getByLabel("Target hours").fill("8");
  await page.getByRole("button", { name: "Save target" }).click();
  await expect(page.getByText(/give a reason: lowering the target from 12 h/i)).toBeVisible();
  await expect(page.getByTestId("targets-table").locator(`tr[data-quarter="${quarter}"] td[data-target]`)).toHaveAttribute("data-target", "12");

  await page.getByLabel("Quarter", { exact: true }).selectOption(quarter);
  await page.getByLabel("Target hours").fill("8");
  await page.getByLabel(/Reason/).fill("e2e: rollbacks landed early");
  await page.getByRole("button", { name: "Save target" }).click();
  const row = page.getByTestId("targets-table").locator(`tr[data-quarter="${quarter}"]`);
  await expect(row.locator("td[data-target]")).toHaveAttribute("data-target", "8");
  await row.locator("summary").click();
  await expect(row).toContainText(/12(\.0+)? h on /);
  await expect(row).toContainText("e2e: rollbacks landed early");
});

test("the Data tab counts the demo data and asks for confirmation before removing it", async ({ page }) => {
  await page.goto("/settings/data");
  const counts = page.getByTestId("demo-counts");
  await expect(counts).toBeVisible();
  const incidents = Number((await counts.locator("tr").first().locator("td").textContent())!.trim());
  expect(incidents).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Remove demo data" }).last().click();
  await expect(page.getByText("tick the box to confirm")).toBeVisible();
  await expect(page.getByTestId("demo-counts")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Triage rules" })).toHaveAttribute("href", "/settings/suggestions");
});
