/**
 * Projects in the browser: create one (field errors first), attribute an incident to it
 * from the incident page, see it on the project page; the demo's automatic-rollbacks page
 * shows its drop after the lag window and the API agrees; the curtailed project shows
 * no drop; the portfolio shows coverage gaps; an import with a bad row writes nothing.
 */
import { expect, test } from "@playwright/test";
import { uniqueName } from "./support/auth";

const SHOTS = "/tmp/shots";

test("create a project, attribute an incident from the incident page, see it on the project page", async ({ page }) => {
  const name = `E2E ${uniqueName("search guard")}`;
  await page.goto("/projects/new");
  await expect(page.getByRole("heading", { name: "New project" })).toBeVisible();

  // Every field error at once.
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Status").selectOption("delivered");
  await page.getByLabel("Lag from (months)").fill("9");
  await page.getByLabel("Lag to (months)").fill("3");
  await page.getByLabel("Expected effect (hours per quarter)").fill("-2");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText("delivery date is required when the status is delivered")).toBeVisible();
  await expect(page.getByText("maximum lag must be at least the minimum lag")).toBeVisible();
  await expect(page.getByText("expected effect must be 0 or more hours")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(name); // nothing typed is lost
  await page.screenshot({ path: `${SHOTS}/projects-form-errors.png`, fullPage: true });

  await page.getByLabel("Status").selectOption("in_progress");
  await page.getByLabel("Delivery date").fill("2030-01-15");
  await page.getByLabel("Lag from (months)").fill("2");
  await page.getByLabel("Lag to (months)").fill("4");
  await page.getByLabel("Expected effect (hours per quarter)").fill("1.5");
  await page.getByLabel("Services").fill("search");
  const slug = await page.getByLabel("Slug").inputValue();
  expect(slug).toMatch(/^e2e-search-guard-/);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${slug}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.getByTestId("no-attributions")).toBeVisible();

  // An incident on the search service, through the incidents API.
  const list = await (await page.request.get("/api/incidents?service=search&pageSize=25")).json();
  const incident = list.items[0] as { id: number; title: string };
  expect(incident).toBeTruthy();

  await page.goto(`/incidents/${incident.id}`);
  const box = page.getByRole("checkbox", { name });
  await expect(box).not.toBeChecked();
  await box.check();
  // The editor may count more than our change as dirty (it re-reads second-precision times at minute precision).
  // Wait for the save (a server action POST) itself: what the page renders after it belongs to the incidents suite.
  const saved = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/incidents/${incident.id}`);
  await page.getByRole("button", { name: /^Save \d+ changes?/ }).click();
  await saved;

  await page.goto(`/projects/${slug}`);
  const attributed = page.getByTestId("attributed-incidents");
  await expect(attributed.getByRole("link", { name: incident.title })).toHaveAttribute("href", `/incidents/${incident.id}`);
  await expect(attributed).toContainText("Yes"); // a search incident is in the project's scope
  await expect(page.getByTestId("project-effect")).toHaveAttribute("data-verdict", "not_delivered");
  await page.screenshot({ path: `${SHOTS}/projects-new-project-page.png`, fullPage: true });

  const api = await (await page.request.get(`/api/projects/${slug}`)).json();
  expect(api.attributedIncidents.map((i: { id: number }) => i.id)).toContain(incident.id);
});

test("automatic-rollbacks shows its drop after the lag window, and the API agrees", async ({ page }) => {
  const impact = await (await page.request.get("/api/projects/automatic-rollbacks/impact")).json();
  expect(["met", "partial"]).toContain(impact.verdict);
  expect(impact.after.average).toBeLessThan(impact.before.average);
  expect(impact.quarters.map((q: { phase: string }) => q.phase)).toEqual(expect.arrayContaining(["before", "lag", "after"]));

  await page.goto("/projects/automatic-rollbacks");
  await expect(page.getByTestId("project-effect")).toHaveAttribute("data-verdict", impact.verdict);
  // One decimal, two under 1 h (lib/format/hours.ts), the rule every screen shares.
  const hours = (h: number) => (Math.abs(h) < 1 && Math.round(Math.abs(h) * 100) !== 0 ? h.toFixed(2) : h.toFixed(1));
  await expect(page.getByTestId("avg-before")).toHaveText(`${hours(impact.before.average)} h`);
  await expect(page.getByTestId("avg-after")).toHaveText(`${hours(impact.after.average)} h`);
  await expect(page.getByTestId("realised")).toHaveText(`−${hours(impact.realisedEffectHours)} h`);
  // Each quarter marked, in the same order as the API.
  const strip = page.getByTestId("phase-strip").locator("li");
  await expect(strip).toHaveCount(impact.quarters.length);
  for (const [i, q] of (impact.quarters as { quarter: string; phase: string }[]).entries()) {
    await expect(strip.nth(i)).toHaveAttribute("data-phase", q.phase);
  }
  // The dashboard's lag shading, drawn in the browser.
  await expect(page.locator("[data-testid=lag-trend-chart] svg.recharts-surface")).toBeVisible();
  await expect(page.locator(".ds-lag-window").first()).toBeAttached();
  await expect(page.getByTestId("attributed-incidents").locator("tbody tr").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/projects-automatic-rollbacks.png`, fullPage: true });
});

test("the curtailed search-load-tests project shows no drop, on the page and through the API", async ({ page }) => {
  const impact = await (await page.request.get("/api/projects/search-load-tests/impact")).json();
  expect(impact.verdict).toBe("no_drop");
  await page.goto("/projects/search-load-tests");
  await expect(page.getByTestId("project-effect")).toHaveAttribute("data-verdict", "no_drop");
  await expect(page.getByTestId("impact-summary")).toContainText("No drop");
  await page.screenshot({ path: `${SHOTS}/projects-search-load-tests.png`, fullPage: true });
});

test("portfolio: sources ranked with cumulative share, gaps highlighted, projects table", async ({ page }) => {
  await page.goto("/projects?dim=deploySystem");
  const ranking = page.getByTestId("source-ranking");
  await expect(ranking.getByRole("link", { name: "Deploy system" })).toHaveAttribute("aria-current", "page");
  const rows = ranking.locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(1);
  await expect(rows.last()).toContainText("100%");
  await expect(ranking.locator("tr[data-gap=true]").first()).toContainText("Gap");
  await expect(ranking.locator("tbody tr", { hasText: "spinnaker" })).toContainText("Automatic rollbacks");
  await expect(page.getByTestId("projects-table").locator("tr[data-slug=search-load-tests]")).toContainText("No drop");
  await page.screenshot({ path: `${SHOTS}/projects-portfolio.png`, fullPage: true });

  // A bad period is named, not silently used.
  await page.goto("/projects?from=FY2024-Q9");
  await expect(page.getByRole("alert").filter({ hasText: "Period ignored" })).toBeVisible();
});

test("import: a bad row fails the whole file; a good file creates projects", async ({ page }) => {
  const slug = uniqueName("e2e-import").toLowerCase().replace(/[^a-z0-9-]/g, "");
  await page.goto("/projects");
  const file = page.getByLabel("CSV or JSON file");
  const header = "slug,name,status,delivered_on,scope_services,lag_min_months,lag_max_months,expected_effect_hours";
  await file.setInputFiles({ name: "projects.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n${slug},Imported,planned,,search,1,2,3\nBad Slug,,delivered,,,,,\n`) });
  await page.getByRole("button", { name: "Import projects" }).click();
  const errors = page.getByTestId("import-errors");
  await expect(errors).toContainText("row 2");
  await expect(errors).toContainText("delivery date is required");
  expect((await page.request.get(`/api/projects/${slug}`)).status()).toBe(404);

  await file.setInputFiles({ name: "projects.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify([{ slug, name: "Imported", scope_services: ["search"], status: "planned" }])) });
  await page.getByRole("button", { name: "Import projects" }).click();
  await expect(page.getByText("1 created, 0 updated")).toBeVisible();
  expect((await page.request.get(`/api/projects/${slug}`)).status()).toBe(200);
});

test("target planning: a suggestion with its reasoning, applied only when the lead clicks", async ({ page }) => {
  await page.goto("/projects/plan");
  const rows = page.getByTestId("suggestions").locator("tbody tr");
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText("Baseline");
  const last = rows.last();
  const quarter = (await last.getAttribute("data-quarter"))!;
  await page.screenshot({ path: `${SHOTS}/projects-plan.png`, fullPage: true });
  await last.getByRole("button", { name: /Apply .* as the target/ }).click();
  await expect(last.getByText(/Target for .* set to/).or(last.getByText("Applied"))).toBeVisible();
  await page.reload();
  await expect(page.locator(`tr[data-quarter="${quarter}"]`).getByText("Applied")).toBeVisible();
});

test("API: 422 lists every issue, 404 for an unknown slug", async ({ page }) => {
  const bad = await page.request.post("/api/projects", { data: { slug: "No Good", lagMinMonths: 5, lagMaxMonths: 1 } });
  expect(bad.status()).toBe(422);
  const fields = (await bad.json()).issues.map((i: { field: string }) => i.field);
  expect(fields).toEqual(expect.arrayContaining(["slug", "name", "lagMaxMonths"]));
  expect((await page.request.get("/api/projects/no-such-project/impact")).status()).toBe(404);
  expect((await page.request.get("/api/projects/automatic-rollbacks/impact?asOf=yesterday")).status()).toBe(422);
});
