/**
 * Bulk edit from the incidents list, as two people would use it at desktop size: a bulk
 * edit over a stale list is refused when someone saved one of the rows meanwhile (nothing
 * changes, the list says who changed what and offers a reload); a successful one says
 * what it changed and which rows left the filter instead of letting them vanish. And
 * JSON nested 10,000 levels deep gets a 4xx naming the limit, through the import and the
 * JSON APIs, writing nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN, createUserViaCli, mainDbUrl, runCli, signInContext, uniqueName } from "./support/auth";

const STATE = path.join(os.tmpdir(), `ds-e2e-bulk-edit-${process.pid}.json`);
const EDITOR_STATE = path.join(os.tmpdir(), `ds-e2e-bulk-edit-editor-${process.pid}.json`);
fs.writeFileSync(STATE, JSON.stringify({ cookies: [], origins: [] }));
fs.writeFileSync(EDITOR_STATE, JSON.stringify({ cookies: [], origins: [] }));
const EDITOR = { email: `${uniqueName("bulk-editor")}@example.com`.toLowerCase(), password: "bulk-editor-password-1" };

test.beforeAll(async ({ baseURL }) => {
  const admin = await signInContext(baseURL!, ADMIN.email, ADMIN.password);
  await admin.storageState({ path: STATE });
  await admin.dispose();
  createUserViaCli(mainDbUrl(), EDITOR.email, "editor", EDITOR.password);
  const editor = await signInContext(baseURL!, EDITOR.email, EDITOR.password);
  await editor.storageState({ path: EDITOR_STATE });
  await editor.dispose();
});
test.use({ storageState: STATE, viewport: { width: 1400, height: 900 } });

/** Imports untriaged SEV2 incidents `${prefix}-1..n` through the CLI. */
function importIncidents(prefix: string, n: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-e2e-bulk-"));
  const file = path.join(dir, "bulk.csv");
  const rows = Array.from({ length: n }, (_, k) => `${prefix}-${k + 1},${prefix} checkout slow ${k + 1},SEV2,2024-03-0${k + 1}T10:00:00Z,2024-03-0${k + 1}T12:00:00Z,checkout`);
  fs.writeFileSync(file, ["id,title,severity,started_at,resolved_at,services", ...rows].join("\n") + "\n");
  runCli(mainDbUrl(), ["import", file]);
}

interface Listed {
  id: number;
  sourceId: string;
  trigger: string;
  version: number;
}

async function listed(api: APIRequestContext, prefix: string): Promise<Map<string, Listed>> {
  const res = await api.get(`/api/incidents?q=${encodeURIComponent(prefix)}&pageSize=200`);
  expect(res.status()).toBe(200);
  return new Map(((await res.json()).items as Listed[]).map((i) => [i.sourceId, i]));
}

async function curation(api: APIRequestContext, id: number): Promise<{ trigger: string; remediation: string | null; version: number }> {
  const res = await api.get(`/api/incidents/${id}`);
  expect(res.status()).toBe(200);
  return (await res.json()).curation;
}

const bulkBar = (page: Page) => page.getByRole("region", { name: "Bulk edit" });

test("a bulk edit over a stale list is refused: nothing changes, it says who changed which incident, and a reload lets it apply", async ({ page, browser }) => {
  const prefix = uniqueName("E2EBULKC").replace(/[^A-Za-z0-9-]/g, "");
  importIncidents(prefix, 2);
  const [x, y] = [`${prefix}-1`, `${prefix}-2`];
  const before = await listed(page.request, prefix);

  // Admin loads the list (and keeps looking at it).
  await page.goto(`/incidents?q=${prefix}`);
  await expect(page.getByRole("link", { name: `${prefix} checkout slow 1` })).toBeVisible();

  // Meanwhile an editor, in another browser, saves X on its own page.
  const editorContext = await browser.newContext({ storageState: EDITOR_STATE, viewport: { width: 1400, height: 900 } });
  const other = await editorContext.newPage();
  await other.goto(`/incidents/${before.get(x)!.id}`);
  await other.getByLabel("Remediation").fill("config_revert");
  await other.getByRole("button", { name: "Save 1 change" }).click();
  await expect(other.getByTestId("save-message")).toContainText("Saved 1 change");
  await editorContext.close();

  // Admin, from the stale list, marks X and Y change-triggered.
  await page.getByLabel(`Select ${x}`).check();
  await page.getByLabel(`Select ${y}`).check();
  await bulkBar(page).getByLabel("Trigger").selectOption("change");
  await bulkBar(page).getByRole("button", { name: "Apply to 2" }).click();

  const conflict = page.getByTestId("bulk-conflict");
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText(`1 of the 2 selected incidents changed since you loaded the list (${x}; by ${EDITOR.email}). Nothing was saved.`);
  const row = conflict.locator(`li[data-incident-id="${before.get(x)!.id}"]`);
  await expect(row).toContainText(`changed by ${EDITOR.email} (you saw version 1, now 2)`);
  await expect(row).toContainText("Remediation: — → config_revert");
  await expect(page.getByRole("alert").filter({ has: conflict })).toBeVisible();
  await page.screenshot({ path: "/tmp/shots/bulk-edit-conflict.png", fullPage: true });

  // Nothing was written: X keeps the editor's change only, Y is untouched.
  expect(await curation(page.request, before.get(x)!.id)).toMatchObject({ trigger: "unknown", remediation: "config_revert", version: 2 });
  expect(await curation(page.request, before.get(y)!.id)).toMatchObject({ trigger: "unknown", version: 1 });

  // Focus is on the way out; reload (by keyboard) keeps the selection and the choice; applying again now succeeds.
  await expect(conflict.getByRole("button", { name: "Reload the list" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(conflict).toBeHidden();
  await expect(page.getByLabel(`Select ${x}`)).toBeChecked();
  await expect(bulkBar(page).getByLabel("Trigger")).toHaveValue("change");
  await bulkBar(page).getByRole("button", { name: "Apply to 2" }).click();
  await expect(page.getByTestId("bulk-result")).toContainText("2 incidents updated: trigger → change.");
  expect(await curation(page.request, before.get(x)!.id)).toMatchObject({ trigger: "change", remediation: "config_revert", version: 3 });
  expect(await curation(page.request, before.get(y)!.id)).toMatchObject({ trigger: "change", version: 2 });
});

test("PATCH /api/incidents: stale versions are a 409 listing the changed incidents; current ones apply", async ({ page }) => {
  const prefix = uniqueName("E2EBULKA").replace(/[^A-Za-z0-9-]/g, "");
  importIncidents(prefix, 2);
  const rows = [...(await listed(page.request, prefix)).values()];
  const versions = Object.fromEntries(rows.map((r) => [r.id, r.version]));
  const saved = await page.request.patch(`/api/incidents/${rows[0].id}`, { data: { remediation: "manual_rollback", version: 1 } });
  expect(saved.status()).toBe(200);

  const stale = await page.request.patch("/api/incidents", { data: { ids: rows.map((r) => r.id), trigger: "other", versions } });
  expect(stale.status()).toBe(409);
  const body = await stale.json();
  expect(body.conflicts).toEqual([expect.objectContaining({ incidentId: rows[0].id, sourceId: rows[0].sourceId, yourVersion: 1, currentVersion: 2, changedBy: [ADMIN.email] })]);
  expect(body.conflicts[0].changedSince[0]).toMatchObject({ field: "remediation", to: "manual_rollback" });
  for (const r of rows) expect((await curation(page.request, r.id)).trigger).toBe("unknown");

  const ok = await page.request.patch("/api/incidents", { data: { ids: rows.map((r) => r.id), trigger: "other", versions: { ...versions, [rows[0].id]: 2 } } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).updated).toBe(2);
});

test("after a bulk edit the list says what changed and which rows left the filter, with a link to them", async ({ page }) => {
  const prefix = uniqueName("E2EBULKOK").replace(/[^A-Za-z0-9-]/g, "");
  importIncidents(prefix, 3);
  const ids = await listed(page.request, prefix);
  await page.goto(`/incidents?q=${prefix}&trigger=unknown`);
  await expect(page.getByText("3 matching")).toBeVisible();

  // Keyboard only: tick two rows, choose the trigger, apply.
  await page.getByLabel(`Select ${prefix}-1`).focus();
  await page.keyboard.press("Space");
  await page.getByLabel(`Select ${prefix}-2`).focus();
  await page.keyboard.press("Space");
  await bulkBar(page).getByLabel("Trigger").focus();
  await page.keyboard.press("ArrowDown"); // Leave → Change-triggered
  await expect(bulkBar(page).getByLabel("Trigger")).toHaveValue("change");
  await bulkBar(page).getByRole("button", { name: "Apply to 2" }).focus();
  await page.keyboard.press("Enter");

  const result = page.getByTestId("bulk-result");
  await expect(result).toContainText("2 incidents updated: trigger → change. 2 no longer match the filter.");
  // Announced: the confirmation sits in a polite live region.
  await expect(page.getByRole("status").filter({ has: result })).toHaveAttribute("aria-live", "polite");
  // The two rows left the list; the third is still there.
  await expect(page.getByText("1 matching")).toBeVisible();
  await expect(page.getByLabel(`Select ${prefix}-1`)).toHaveCount(0);
  await expect(page.getByLabel(`Select ${prefix}-3`)).toBeVisible();
  await page.screenshot({ path: "/tmp/shots/bulk-edit-confirmation.png", fullPage: true });

  // The last row too: the list empties but the confirmation stays.
  await page.getByLabel(`Select ${prefix}-3`).check();
  await bulkBar(page).getByLabel("Trigger").selectOption("change");
  await bulkBar(page).getByRole("button", { name: "Apply to 1" }).click();
  await expect(result).toContainText("1 incident updated: trigger → change. 1 no longer matches the filter.");
  await expect(page.getByRole("heading", { name: "No incidents match these filters" })).toBeVisible();

  // The link (reached by keyboard) shows the rows that left, by id.
  const link = result.getByRole("link", { name: "Show the incident no longer in this list" });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/incidents\\?ids=${ids.get(`${prefix}-3`)!.id}$`));
  await expect(page.getByText("Showing the incident picked by id")).toBeVisible();
  // The confirmation belonged to the filtered list; the new list does not repeat it.
  await expect(result).toBeHidden();
  await expect(page.getByLabel(`Select ${prefix}-3`)).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(1);
  for (const sourceId of [`${prefix}-1`, `${prefix}-2`, `${prefix}-3`]) expect((await curation(page.request, ids.get(sourceId)!.id)).trigger).toBe("change");
});

test("JSON nested 10,000 levels in a custom field: 422 naming the limit through the import and the JSON API, nothing written", async ({ page }) => {
  const prefix = uniqueName("E2EDEEP").replace(/[^A-Za-z0-9-]/g, "");
  const deep = "[".repeat(10_000) + '"x"' + "]".repeat(10_000);
  const doc = `[{"id":"${prefix}-1","title":"${prefix} deep","severity":"SEV2","started_at":"2024-03-01T10:00:00Z","team":${deep}}]`;
  const imported = await page.request.post(`/api/import?format=canonical&source=${prefix}`, { data: doc, headers: { "content-type": "application/json" } });
  expect(imported.status()).toBe(422);
  expect((await imported.json()).message).toMatch(/^The file is nested deeper than 64 levels at byte \d+;/);
  expect((await listed(page.request, prefix)).size).toBe(0);

  importIncidents(prefix, 1);
  const [inc] = [...(await listed(page.request, prefix)).values()];
  const patched = await page.request.patch(`/api/incidents/${inc.id}`, {
    data: `{"remediation":"manual_rollback","customFields":${deep}}`,
    headers: { "content-type": "application/json" },
  });
  expect(patched.status()).toBe(422);
  const body = await patched.json();
  expect(body.message).toMatch(/^The body is nested deeper than 64 levels at byte \d+\.$/);
  expect(await curation(page.request, inc.id)).toMatchObject({ remediation: null, version: 1 });

  const bulk = await page.request.patch("/api/incidents", { data: `{"ids":[${inc.id}],"trigger":"change","versions":${deep}}`, headers: { "content-type": "application/json" } });
  expect(bulk.status()).toBe(422);
  expect((await bulk.json()).message).toContain("nested deeper than 64 levels");
  expect((await curation(page.request, inc.id)).trigger).toBe("unknown");
});
