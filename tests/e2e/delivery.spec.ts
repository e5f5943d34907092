/**
 * Settings → Delivery in Chromium, as an admin would: set the public URL, add a Slack channel
 * pointing at a local receiver (nothing leaves the machine), send a test, add a weekly digest
 * schedule and send it now; the receiver gets the digest with links under the public URL.
 */
import { expect, test } from "@playwright/test";
import { startFakeReceiver, type FakeReceiver } from "../support/fake-receivers/http";
import { readmeScreenshot } from "./support/screenshots";

test.describe.configure({ mode: "serial" });

let slack: FakeReceiver;
test.beforeAll(async () => {
  slack = await startFakeReceiver("/services/T000/B000/e2e");
});
test.afterAll(async () => {
  await slack.close();
});

type SlackBody = { text: string; blocks: { type: string; text?: { text: string }; elements?: { url?: string }[] }[] };

test("an admin sets the public URL, adds a Slack channel, sends a test, and a digest schedule's message arrives", async ({ page }) => {
  await page.goto("/settings/delivery");
  await expect(page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Delivery" })).toHaveAttribute("aria-current", "page");

  await page.getByRole("textbox", { name: "Public URL" }).fill("https://ds.e2e.example/");
  await page.getByRole("button", { name: "Save public URL" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Links now start with https://ds.e2e.example." })).toBeVisible();
  await expect(page.getByTestId("app-url")).toContainText("https://ds.e2e.example");

  // A bad webhook URL is refused with the field named; nothing is added.
  const add = page.getByRole("form", { name: "Add a channel" });
  await add.getByLabel("Kind").selectOption("slack");
  await add.getByLabel("Name").fill("e2e-slack");
  await add.getByLabel("Incoming webhook URL").fill("http://hooks.example.com/not-https");
  await add.getByRole("button", { name: "Add channel" }).click();
  await expect(add.getByRole("alert").filter({ hasText: "must use https (http only on 127.0.0.1 or localhost)" })).toBeVisible();
  await expect(page.getByTestId("channels-table")).toHaveCount(0);

  await add.getByLabel("Incoming webhook URL").fill(slack.url);
  await add.getByRole("button", { name: "Add channel" }).click();
  const row = page.getByTestId("channels-table").getByRole("row", { name: /e2e-slack/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText(`webhook at 127.0.0.1`);
  await expect(page.locator("body")).not.toContainText("/services/T000/B000/e2e");

  await row.getByRole("button", { name: "Send test" }).click();
  await expect(row.getByRole("status")).toContainText("Test message queued");
  await expect.poll(() => slack.received.length, { timeout: 30_000 }).toBe(1);
  expect((slack.received[0].json as SlackBody).text).toBe("Deploy Safety: test message");
  await page.reload();
  await expect(page.getByTestId("delivery-log")).toContainText("Slack accepted it (200 ok)");
  await expect(page.getByTestId("channels-table").getByRole("row", { name: /e2e-slack/ })).toContainText("OK");

  const schedule = page.getByRole("form", { name: "Add a schedule" });
  await schedule.getByLabel("Name").fill("E2E weekly digest");
  await schedule.getByLabel("Sends").selectOption("digest");
  await schedule.getByLabel("Day").selectOption({ label: "Monday" });
  await schedule.getByLabel("Hour (0–23)").fill("9");
  await schedule.getByLabel("Time zone (IANA)").fill("Europe/London");
  await schedule.getByLabel("e2e-slack").check();
  await schedule.getByRole("button", { name: "Add schedule" }).click();
  await expect(schedule.getByRole("status")).toContainText('Schedule "E2E weekly digest" saved; next digest');
  const card = page.locator("[data-testid^=schedule-]").filter({ hasText: "E2E weekly digest" });
  await expect(card).toContainText("Weekly digest, Monday at 09:00 Europe/London");

  await card.getByRole("button", { name: "Send now" }).click();
  await expect(card.getByRole("status")).toContainText("A digest was queued for 1 channel.");
  await expect.poll(() => slack.received.length, { timeout: 30_000 }).toBe(2);
  const digest = slack.received[1].json as SlackBody;
  expect(digest.text).toMatch(/^Deploy Safety weekly digest: FY\d{4}-Q\d$/);
  expect(digest.blocks.find((b) => b.type === "actions")?.elements?.[0].url).toBe("https://ds.e2e.example/");
  expect(JSON.stringify(digest.blocks)).toContain("Untriaged queue");

  await page.reload();
  await expect(page.locator("[data-testid^=schedule-]").filter({ hasText: "E2E weekly digest" })).toContainText("e2e-slack: sent (Slack accepted it (200 ok))");
  await readmeScreenshot(page, "settings-delivery", { fullPage: true });

  // Leave the shared database as other suites expect it: no public URL, schedule or channel.
  await page.locator("[data-testid^=schedule-]").filter({ hasText: "E2E weekly digest" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.locator("[data-testid^=schedule-]").filter({ hasText: "E2E weekly digest" })).toHaveCount(0);
  await page.getByRole("textbox", { name: "Public URL" }).fill("");
  await page.getByRole("button", { name: "Save public URL" }).click();
  await expect(page.getByTestId("app-url")).toContainText("not set");
  await page.getByTestId("channels-table").getByRole("row", { name: /e2e-slack/ }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("channels-table")).toHaveCount(0);
});
