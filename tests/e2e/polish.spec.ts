/**
 * Small things a first week of use found: spreadsheet-friendly CSV exports with rounded
 * hours, an audit trail that reads as changes rather than raw JSON, one file control on
 * the import page.
 */
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, test } from "@playwright/test";

test("quarters CSV: hours to 0.001 h; excel=1 adds a BOM and local times; a bad excel value is refused", async ({ request }) => {
  const plain = await (await request.get("/api/export/quarters.csv")).text();
  const rows = parse(plain, { columns: true }) as Record<string, string>[];
  expect(rows.length).toBeGreaterThan(4);
  for (const r of rows) expect(r.hours).toMatch(/^\d+(\.\d{1,3})?$/);
  expect(rows[0].start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

  const res = await request.get("/api/export/quarters.csv?excel=1");
  expect(res.status()).toBe(200);
  const bytes = await res.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString("utf8").slice(1);
  expect(text).toContain("\r\n");
  const excel = parse(text, { columns: true }) as Record<string, string>[];
  const startKey = Object.keys(excel[0]).find((k) => k.startsWith("start ("));
  expect(startKey, "the start header names the time zone").toBeTruthy();
  // Quarters start at local midnight: in local time every start reads 00:00:00.
  for (const r of excel) expect(r[startKey!]).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
  expect(excel.map((r) => r.hours)).toEqual(rows.map((r) => r.hours));

  const bad = await request.get("/api/export/quarters.csv?excel=yes");
  expect(bad.status()).toBe(422);
  expect(JSON.stringify(await bad.json())).toContain("excel");
});

test("the incidents list exports its filtered rows as CSV, JSON or a spreadsheet CSV, as a person clicks them", async ({ page }) => {
  await page.goto("/incidents?trigger=change");
  const group = page.getByRole("group", { name: "Export the matching incidents" });
  await expect(group).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), group.getByRole("link", { name: /CSV for spreadsheets/ }).click()]);
  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)], "a UTF-8 byte-order mark for Excel").toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(bytes.toString("utf8").slice(1), { columns: true }) as Record<string, string>[];
  expect(rows.length).toBeGreaterThan(0);
  const trigger = Object.keys(rows[0]).find((k) => k === "trigger");
  expect(trigger, "the export carries the trigger column").toBeTruthy();
  for (const r of rows) expect(r.trigger).toBe("change");
  await expect(group.getByRole("link", { name: /^JSON/ })).toHaveAttribute("href", /\/api\/export\/incidents\.json\?.*trigger=change/);
});

test("the audit trail shows what changed, not raw JSON", async ({ page }) => {
  await page.goto("/audit?action=user.create");
  await expect(page.getByRole("columnheader", { name: /Change \(before → after\)/ })).toBeVisible();
  const changes = page.getByRole("list", { name: "Changed fields" }).first();
  await expect(changes).toBeVisible();
  // The newest account created by any earlier spec: whichever it is, its fields read as "field: value".
  await expect(changes).toContainText(/email: \S+@example\.com/);
  await expect(changes).toContainText(/role: (viewer|editor|lead|admin)/);
  await expect(page.locator("tbody")).not.toContainText('{"');
});

test("the import page has one way to choose a file", async ({ page }) => {
  await page.goto("/import");
  await expect(page.getByLabel("File to import")).toHaveCount(1);
  await expect(page.getByText("choose one", { exact: true })).toHaveCount(0);
  await expect(page.locator("label", { hasText: "Choose a file" })).toBeVisible();
  // The native input is there for the keyboard and screen readers but not drawn as a second button.
  const box = await page.getByLabel("File to import").boundingBox();
  expect(box!.width).toBeLessThanOrEqual(1);
});
