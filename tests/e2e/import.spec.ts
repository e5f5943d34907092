/**
 * Import in the browser: upload a CSV with a bad row, see the error in the
 * preview, fix the file, import it, then find the incidents in the batch history,
 * the database (cli export) and the incidents list.
 */
import { expect, test } from "@playwright/test";
import { mainDbUrl, runCli, uniqueName } from "./support/auth";

function csv(prefix: string, resolvedFirst: string): Buffer {
  return Buffer.from(
    [
      "id,title,severity,started_at,resolved_at,services",
      `${prefix}-1,${prefix} checkout errors,SEV2,2024-03-01T10:00:00Z,${resolvedFirst},checkout`,
      `${prefix}-2,${prefix} login slow,SEV3,2024-03-02T08:00:00Z,2024-03-02T08:40:00Z,auth`,
      "",
    ].join("\n"),
  );
}

test("upload, see a row error, fix the file, import, find the incidents", async ({ page }) => {
  const prefix = uniqueName("E2EIMP").replace(/[^A-Za-z0-9-]/g, "");
  await page.goto("/import");
  await expect(page.getByRole("heading", { name: "Import incidents" })).toBeVisible();

  const fileInput = page.getByLabel("File to import");
  // Resolved an hour before it started: refused, with the reason next to the row.
  await fileInput.setInputFiles({ name: "incidents.csv", mimeType: "text/csv", buffer: csv(prefix, "2024-03-01T09:00:00Z") });
  await expect(page.getByTestId("detected-format")).toContainText("Canonical");
  const badRow = page.getByTestId("preview-row-error");
  await expect(badRow).toHaveCount(1);
  await expect(badRow).toContainText(`${prefix}-1`);
  await expect(badRow).toContainText("resolved_at");
  await expect(badRow).toContainText("is before started_at");
  await expect(page.getByTestId("preview-summary")).toContainText("1 with problems");
  await expect(page.getByRole("button", { name: /^Import \d+ incident/ })).toBeDisabled();
  await page.screenshot({ path: `${process.env.E2E_TMP || "test-results"}/import-preview-error.png`, fullPage: true });

  // The fixed file previews clean and imports.
  await fileInput.setInputFiles({ name: "incidents-fixed.csv", mimeType: "text/csv", buffer: csv(prefix, "2024-03-01T11:30:00Z") });
  await expect(page.getByTestId("preview-row-error")).toHaveCount(0);
  await expect(page.getByTestId("preview-summary")).toContainText("0 with problems");
  await expect(page.getByTestId("preview-summary")).toContainText("would create 2");
  await page.getByRole("button", { name: "Import 2 incident(s)" }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("2 created");
  const batchId = Number(/batch (\d+)/.exec((await result.textContent()) ?? "")?.[1]);
  expect(batchId).toBeGreaterThan(0);

  // Batch history shows it with its counts and an undo.
  const row = page.getByTestId(`batch-${batchId}`);
  await expect(row).toContainText("incidents-fixed.csv");
  await expect(row.getByRole("cell").nth(5)).toHaveText("2");
  await expect(row.getByRole("button", { name: "Undo" })).toBeVisible();
  await page.screenshot({ path: `${process.env.E2E_TMP || "test-results"}/import-done.png`, fullPage: true });

  // In the database.
  const exported = JSON.parse(runCli(mainDbUrl(), ["export", "incidents", "--format", "json"])) as { sourceId: string; title: string; importBatchId: number }[];
  const mine = exported.filter((i) => i.sourceId.startsWith(prefix)).sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  expect(mine.map((i) => i.sourceId)).toEqual([`${prefix}-1`, `${prefix}-2`]);
  expect(mine.every((i) => i.importBatchId === batchId)).toBe(true);

  // And in the incidents list, where that page exists.
  const list = await page.goto(`/incidents?q=${encodeURIComponent(prefix)}`);
  if (list && list.status() === 200) {
    await expect(page.getByText(`${prefix} checkout errors`).first()).toBeVisible();
  }
});

test("undo asks for confirmation, then removes the batch's incidents", async ({ page }) => {
  const prefix = uniqueName("E2EUNDO").replace(/[^A-Za-z0-9-]/g, "");
  await page.goto("/import");
  await page.getByLabel("File to import").setInputFiles({ name: "undo-me.csv", mimeType: "text/csv", buffer: csv(prefix, "2024-03-01T11:30:00Z") });
  await page.getByRole("button", { name: "Import 2 incident(s)" }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("2 created");
  const batchId = Number(/batch (\d+)/.exec((await result.textContent()) ?? "")?.[1]);

  const row = page.getByTestId(`batch-${batchId}`);
  await row.getByRole("button", { name: "Undo" }).click();
  await row.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByRole("button", { name: "Undo" })).toBeVisible();
  await row.getByRole("button", { name: "Undo" }).click();
  await row.getByRole("button", { name: "Yes, undo" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Batch ${batchId} undone` })).toBeVisible();
  await expect(row).toContainText("undone");

  const exported = JSON.parse(runCli(mainDbUrl(), ["export", "incidents", "--format", "json"])) as { sourceId: string }[];
  expect(exported.filter((i) => i.sourceId.startsWith(prefix))).toEqual([]);
});
