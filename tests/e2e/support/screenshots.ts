/**
 * README screenshots (docs/screenshots/*.png) are written only when UPDATE_SCREENSHOTS=1,
 * so `npm test` leaves a clean tree; every run still saves them under the run's own folder
 * (E2E_TMP, kept on failure) for a look.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page, PageScreenshotOptions } from "@playwright/test";

export const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";

/** Screenshot `name`.png into the run folder, and into docs/screenshots when UPDATE_SCREENSHOTS=1. */
export async function readmeScreenshot(page: Page, name: string, options: Omit<PageScreenshotOptions, "path"> = {}): Promise<void> {
  const runDir = path.join(process.env.E2E_TMP || "test-results", "screenshots");
  fs.mkdirSync(runDir, { recursive: true });
  const shot = await page.screenshot({ ...options, path: path.join(runDir, `${name}.png`) });
  if (UPDATE_SCREENSHOTS) {
    fs.mkdirSync("docs/screenshots", { recursive: true });
    fs.writeFileSync(path.join("docs/screenshots", `${name}.png`), shot);
  }
}
