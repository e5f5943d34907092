/**
 * Issue 15, "what a first week of real use finds": each of the first six findings, as a
 * person meets it in Chromium. Every change to the shared demo database is put back (a
 * target restored, a tag restored, a copied project deleted); the report this suite
 * publishes is published again by reports.spec, which reads its version from the URL.
 */
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { uniqueName } from "./support/auth";

const SHOTS = "/tmp/firstweek";
fs.mkdirSync(SHOTS, { recursive: true });

test.describe.configure({ mode: "serial" });

/** The dashboard's quarterly table as { quarter, status, hours } rows. */
async function quarterlyRows(page: Page) {
  // The chart's table view, as a person would open it.
  await page.getByTestId("quarterly").getByRole("button", { name: "Table" }).click();
  await expect(page.getByTestId("quarterly-table")).toBeVisible();
  return page.getByTestId("quarterly-table").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      quarter: tr.getAttribute("data-quarter")!,
      status: tr.querySelectorAll("td")[0]!.firstChild!.textContent!.trim(),
      hours: Number(tr.querySelector("td[data-hours]")!.getAttribute("data-hours")),
      why: tr.querySelectorAll("td")[5]?.textContent?.trim() ?? "",
    })),
  );
}

/** Targets table rows: quarter, status text, hours, target (null when none). */
async function targetRows(page: Page) {
  return page.getByTestId("targets-table").locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => {
      const tds = tr.querySelectorAll("td");
      const t = tr.querySelector("td[data-target]")!.getAttribute("data-target");
      return { quarter: tr.getAttribute("data-quarter")!, status: tds[0].textContent!.trim(), hours: Number.parseFloat(tds[1].textContent!), target: t === "" ? null : Number(t) };
    }),
  );
}

test("1. a refused target keeps the quarter chosen, and the save lands on that quarter", async ({ page }) => {
  await page.goto("/settings/targets");
  const select = page.getByLabel("Quarter", { exact: true });
  const defaultQuarter = await select.inputValue();
  // The second furthest future quarter: not the default, and no figure or other suite reads it.
  const quarter = (await select.locator("option").nth(1).getAttribute("value"))!;
  expect(quarter).not.toBe(defaultQuarter);
  const before = (await targetRows(page)).find((r) => r.quarter === quarter)!.target;

  await select.selectOption(quarter);
  await page.getByLabel("Target hours").fill("-8");
  await page.getByRole("button", { name: "Save target" }).click();
  await expect(page.getByText("Nothing was saved")).toBeVisible();
  await expect(page.getByText("must be 0 or more hours")).toBeVisible();
  // What the person chose is still there, and the hint speaks of the same quarter.
  await expect(select).toHaveValue(quarter);
  await expect(page.getByLabel("Target hours")).toHaveValue("-8");
  await expect(page.getByText(new RegExp(`^${quarter} (has no target yet|is now [\\d.]+ h)`))).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/1-target-refused.png`, fullPage: true });

  await page.getByLabel("Target hours").fill("8");
  await page.getByLabel(/^Reason/).fill("e2e: first-week target check");
  await page.getByRole("button", { name: "Save target" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Target for ${quarter} set to 8 h` })).toBeVisible();
  await expect(page.getByTestId("targets-table").locator(`tr[data-quarter="${quarter}"] td[data-target]`)).toHaveAttribute("data-target", "8");
  if (defaultQuarter !== quarter) {
    const def = (await targetRows(page)).find((r) => r.quarter === defaultQuarter);
    expect(def?.target).not.toBe(8);
  }

  // Put it back (clearing or lowering needs a reason).
  await select.selectOption(quarter);
  await page.getByLabel("Target hours").fill(before == null ? "" : String(before));
  await page.getByLabel(/^Reason/).fill("e2e: restore after the first-week check");
  await page.getByRole("button", { name: "Save target" }).click();
  await expect(page.getByRole("status").filter({ hasText: before == null ? `Target for ${quarter} cleared` : `Target for ${quarter} set to ${before} h` })).toBeVisible();
  await expect(page.getByTestId("targets-table").locator(`tr[data-quarter="${quarter}"] td[data-target]`)).toHaveAttribute("data-target", before == null ? "" : String(before));
});

test("1. general settings keep what was typed after a refusal", async ({ page }) => {
  await page.goto("/settings/general");
  const month = page.getByLabel("Fiscal year starts in");
  const original = await month.inputValue();
  const other = original === "3" ? "4" : "3";
  await month.selectOption(other);
  await page.getByLabel("Time zone (IANA)").fill("Mars/Olympus_Mons");
  await page.getByLabel("Maturity (days)").fill("-3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("must be an IANA time zone")).toBeVisible();
  await expect(month).toHaveValue(other);
  await expect(page.getByLabel("Time zone (IANA)")).toHaveValue("Mars/Olympus_Mons");
  await expect(page.getByLabel("Maturity (days)")).toHaveValue("-3");
  await page.reload();
  await expect(month).toHaveValue(original);
});

test("2. a closed quarter reads 'reported X, now Y' on the dashboard, as on its report", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  const rows = await quarterlyRows(page);
  const last = rows.filter((r) => r.status !== "In progress").at(-1)!;
  const quarter = last.quarter;

  await page.goto(`/reports/${quarter}?view=live`);
  await page.getByLabel(/I have reviewed the figures/).check();
  await page.getByRole("button", { name: `Publish ${quarter}` }).click();
  await expect(page).toHaveURL(new RegExp(`/reports/${quarter}\\?version=\\d+$`));
  const reported = (await page.getByTestId("report-hours").textContent())!.trim();

  // Re-tag the top contributor as not change-triggered.
  const top = page.getByTestId("top-incidents").locator("tbody tr").first().locator("a");
  const incidentId = (await top.getAttribute("href"))!.split("/").at(-1)!;
  const before = await (await page.request.get(`/api/incidents/${incidentId}`)).json();
  const trigger = before.curation?.trigger ?? "change";
  const patch = await page.request.patch(`/api/incidents/${incidentId}`, { data: { trigger: "other" }, headers: { Origin: baseURL! } });
  expect(patch.status(), await patch.text()).toBe(200);
  try {
    await page.reload();
    const restated = page.getByTestId("restatement");
    await expect(restated).toContainText(`reported ${reported}`);
    const now = /now ([\d,.]+ h)/.exec((await restated.textContent())!)![1];
    expect(now).not.toBe(reported);

    await page.goto("/");
    const row = (await quarterlyRows(page)).find((r) => r.quarter === quarter)!;
    const num = (t: string) => Number(t.replace(/,/g, "").replace(/\s*h$/, ""));
    // One figure for the quarter: the card's is the table's (same page, same formatting)…
    const tableText = (await page.getByTestId("quarterly-table").locator(`tr[data-quarter="${quarter}"] td[data-hours]`).textContent())!.trim();
    await expect(page.getByTestId("last-hours")).toContainText(tableText);
    // …it is today's figure, the one the report calls "now", and the frozen one is named beside it.
    expect(Math.abs(row.hours - num(now))).toBeLessThan(0.051);
    const said = (await page.getByTestId("last-reported").textContent())!.trim();
    const m = /^reported ([\d.,]+) h, now ([\d.,]+) h$/.exec(said);
    expect(m, said).not.toBeNull();
    expect(Math.abs(num(m![1]) - num(reported))).toBeLessThan(0.051);
    expect(m![2]).toBe(tableText.replace(/ h$/, ""));
    await expect(page.getByTestId("quarterly-table").locator(`tr[data-quarter="${quarter}"]`)).toContainText(said);
    await expect(page.getByTestId("last-status")).toHaveText(row.status);
    await expect(page.getByTestId("peak-change")).not.toHaveText("−0%");
    await page.getByTestId("headline").screenshot({ path: `${SHOTS}/2-headline-restated.png` });
  } finally {
    const back = await page.request.patch(`/api/incidents/${incidentId}`, { data: { trigger }, headers: { Origin: baseURL! } });
    expect(back.status(), await back.text()).toBe(200);
  }
});

test("3. a project within the tolerance of its expected effect is met, and says so everywhere", async ({ page, baseURL }) => {
  const source = await (await page.request.get("/api/projects/automatic-rollbacks")).json();
  const impact = await (await page.request.get("/api/projects/automatic-rollbacks/impact")).json();
  expect(impact.realisedEffectHours).toBeGreaterThan(0);
  // Realised is 99.75% of expected: "100%" on the page; it used to say "short of expected".
  const expected = Math.round((impact.realisedEffectHours / 0.9975) * 1e6) / 1e6;
  const slug = uniqueName("e2e-tolerance").toLowerCase().replace(/[^a-z0-9-]+/g, "-").slice(0, 60);
  const created = await page.request.post("/api/projects", {
    data: {
      slug,
      name: `E2E tolerance ${slug.slice(-6)}`,
      status: source.status,
      deliveredOn: source.deliveredOn,
      lagMinMonths: source.lagMinMonths,
      lagMaxMonths: source.lagMaxMonths,
      expectedEffectHours: expected,
      scopeServices: source.scope.services,
      scopeDeploySystems: source.scope.deploySystems,
      scopeChangeTypes: source.scope.changeTypes,
    },
    headers: { Origin: baseURL! },
  });
  expect(created.status(), await created.text()).toBe(201);
  try {
    await page.goto(`/projects/${slug}`);
    const effect = page.getByTestId("project-effect");
    await expect(effect).toContainText("realised is 100% of expected");
    await expect(effect).toHaveAttribute("data-verdict", "met");
    await expect(effect.locator("[data-verdict]").first()).toHaveText("Met expected effect");
    await effect.screenshot({ path: `${SHOTS}/3-verdict.png` });
    expect((await (await page.request.get(`/api/projects/${slug}/impact`)).json()).verdict).toBe("met");
    await page.goto("/projects");
    const listRow = page.locator(`tr[data-slug="${slug}"]`);
    await expect(listRow).toContainText("100% of expected");
    await expect(listRow.locator("[data-verdict]")).toHaveText("Met expected effect");
  } finally {
    await page.goto(`/projects/${slug}/edit`);
    await page.getByRole("button", { name: "Delete project…" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await expect(page).toHaveURL(/\/projects$/);
  }
});

test("4. a lag window reads the same dates on the dashboard, the project page and the report", async ({ page }) => {
  await page.goto("/");
  const item = page.getByTestId("lag-projects").locator("li", { hasText: "Automatic rollbacks" });
  const [, from, to] = /effect\s+expected (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)/.exec((await item.textContent())!.replace(/\s+/g, " "))!;
  await page.goto("/projects/automatic-rollbacks");
  await expect(page.getByTestId("lag-dates")).toHaveText(`(${from} to ${to})`);
  const quarter = (await quarterlyRowsFromReports(page))!;
  await page.goto(`/reports/${quarter}?view=live`);
  await expect(page.locator("tr", { hasText: "Automatic rollbacks" }).filter({ hasText: "Effect expected" }).first()).toContainText(`Effect expected ${from} to ${to}`);
});

async function quarterlyRowsFromReports(page: Page): Promise<string | null> {
  await page.goto("/reports");
  return (await page.getByTestId("reports-table").locator("tbody tr").nth(1).locator("a").first().textContent())?.trim() ?? null;
}

test("5. a new policy version needs a reason, shows what it restates, and waits for confirmation", async ({ page }) => {
  await page.goto("/settings/policy");
  const versions = () => page.getByTestId("policy-versions").locator("li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-version")));
  const before = await versions();
  const duration = page.getByLabel("Minimum duration (minutes)");
  const original = await duration.inputValue();
  await duration.fill(original === "30" ? "5" : "30");
  await expect
    .poll(async () => page.getByTestId("whatif-table").locator("tbody tr").evaluateAll((trs) => trs.some((tr) => tr.getAttribute("data-current") !== tr.getAttribute("data-draft"))), { timeout: 15_000 })
    .toBe(true);

  // No reason: refused on the spot, nothing to confirm.
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByText("Give a reason: a new version restates every past quarter")).toBeVisible();
  await expect(page.getByTestId("policy-confirm")).toHaveCount(0);

  // With a reason: the quarters it restates, before → after, then a confirmation.
  await page.getByLabel(/^Reason/).fill("e2e: first-week governance check");
  await page.getByRole("button", { name: "Save as new version" }).click();
  const confirm = page.getByTestId("policy-confirm");
  await expect(confirm.getByTestId("change-preview")).toBeVisible({ timeout: 15_000 });
  await expect(confirm.getByTestId("change-preview").locator("tbody tr").first()).toContainText("→");
  await confirm.screenshot({ path: `${SHOTS}/5-policy-confirm.png` });

  // A direct call without a reason (the request rewritten on its way) is refused by the server.
  await page.route("**/settings/policy", async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"]) {
      await route.continue({ postData: (req.postData() ?? "").replace(/"note":"[^"]*"/, '"note":"   "') });
    } else await route.continue();
  });
  await confirm.getByRole("button", { name: "Confirm and save" }).click();
  await expect(page.getByTestId("policy-save-result")).toContainText("Not saved: give a reason");
  await page.unroute("**/settings/policy");
  await page.reload();
  expect(await versions()).toEqual(before);
});

test("5. changing an ended quarter's target needs a reason and a confirmation showing the verdict flip", async ({ page }) => {
  await page.goto("/settings/targets");
  const rows = await targetRows(page);
  // An ended quarter with a target, oldest first: raising it past its hours flips missed → met
  // (or lowering it below them flips met → missed).
  const row = [...rows].reverse().find((r) => (r.status === "Final" || r.status === "Provisional") && r.target != null && Number.isFinite(r.hours))!;
  expect(row, "the demo has an ended quarter with a target").toBeTruthy();
  const missed = row.hours > row.target!;
  const next = missed ? Math.ceil(row.hours) + 1 : Math.max(0, Math.floor(row.hours) - 1);
  const select = page.getByLabel("Quarter", { exact: true });
  await select.selectOption(row.quarter);
  await page.getByLabel("Target hours").fill(String(next));
  await page.getByRole("button", { name: "Save target" }).click();
  await expect(page.getByText(`Give a reason: ${row.quarter} has ended`)).toBeVisible();
  await expect(select).toHaveValue(row.quarter);

  await page.getByLabel(/^Reason/).fill("e2e: first-week target governance");
  await page.getByRole("button", { name: "Save target" }).click();
  const confirm = page.getByTestId("target-confirm");
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId("verdict-change")).toHaveText(missed ? "missed → met" : "met → missed");
  // Not saved until confirmed.
  await expect(page.getByTestId("targets-table").locator(`tr[data-quarter="${row.quarter}"] td[data-target]`)).toHaveAttribute("data-target", String(row.target));
  await page.screenshot({ path: `${SHOTS}/5-target-confirm.png`, fullPage: true });
  await confirm.getByRole("button", { name: "Confirm and save" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Target for ${row.quarter} set to ${next} h` })).toBeVisible();
  await expect(page.getByTestId("targets-table").locator(`tr[data-quarter="${row.quarter}"] td[data-target]`)).toHaveAttribute("data-target", String(next));

  // Put it back, through the same two steps.
  await select.selectOption(row.quarter);
  await page.getByLabel("Target hours").fill(String(row.target));
  await page.getByLabel(/^Reason/).fill("e2e: restore after the governance check");
  await page.getByRole("button", { name: "Save target" }).click();
  await page.getByTestId("target-confirm").getByRole("button", { name: "Confirm and save" }).click();
  await expect(page.getByTestId("targets-table").locator(`tr[data-quarter="${row.quarter}"] td[data-target]`)).toHaveAttribute("data-target", String(row.target));
});

test("6. the drill-down flags what holds a quarter provisional and says when it becomes final", async ({ page }) => {
  await page.goto("/");
  const rows = await quarterlyRows(page);
  const provisional = rows.filter((r) => r.status === "Provisional");
  expect(provisional.length, "the demo has a provisional quarter").toBeGreaterThan(0);
  // Prefer one held by incidents (untriaged, awaiting analysis, ongoing), not only by its age.
  const held = provisional.find((r) => /untriaged|awaiting|ongoing/.test(r.why)) ?? provisional[0];
  await page.goto(`/?quarter=${held.quarter}#drilldown`);
  const drill = page.getByTestId("drilldown");
  const finality = drill.getByTestId("drill-finality");
  await expect(finality).toHaveAttribute("data-status", "provisional");
  await expect(finality).toContainText(/becomes final (on \d{4}-\d\d-\d\d|once)/);
  await expect(finality).toContainText("the maturity setting");
  if (/untriaged|awaiting|ongoing/.test(held.why)) {
    const flagged = drill.locator("tr[data-holds]");
    expect(await flagged.count()).toBeGreaterThan(0);
    await expect(flagged.first().getByTestId("holds-provisional")).toContainText(/untriaged|awaiting impact analysis|still ongoing/);
    await expect(finality).toContainText(/incidents? flagged below/);
  }
  // A final quarter says it is final, and since when.
  const final = rows.find((r) => r.status === "Final");
  if (final) {
    await page.goto(`/?quarter=${final.quarter}#drilldown`);
    await expect(page.getByTestId("drill-finality")).toContainText(/^Final: matured on \d{4}-\d\d-\d\d/);
  }
  await page.goto(`/?quarter=${held.quarter}#drilldown`);
  await page.getByTestId("drilldown").screenshot({ path: `${SHOTS}/6-drilldown.png` });
});
