/**
 * Settings → Sources as an admin sets one up: a PagerDuty source pointed at a fake PagerDuty
 * (tests/support/fake-vendors/pagerduty.ts, on 127.0.0.1, started here), a refused form
 * first (no credential), then Test connection, Sync now, the status it leaves, and the
 * incidents on the incidents page. The credential is never sent back to the page.
 */
import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { pagerdutyIncident, startFakePagerDuty, type FakePagerDuty } from "../support/fake-vendors/pagerduty";
import { uniqueName } from "./support/auth";

const SHOTS = process.env.E2E_TMP || "test-results";
let pd: FakePagerDuty;
let tag: string;

test.beforeAll(async () => {
  pd = await startFakePagerDuty({ token: "e2e-pagerduty-rest-key-4711" });
  tag = uniqueName("srcs").replace(/[^A-Za-z0-9]/g, "").slice(0, 14).toUpperCase();
  const now = Date.now();
  for (let i = 1; i <= 3; i++) pd.incidents.push(pagerdutyIncident(i, now - i * 86_400_000, { id: `${tag}${i}`, title: `Live ${tag} checkout 502s ${i}` }));
});
test.afterAll(async () => {
  await pd?.close();
});

test("an admin adds a PagerDuty source, tests it, syncs it, and sees its incidents", async ({ page }) => {
  const name = `pd-${tag.toLowerCase()}`;
  await page.goto("/settings/sources");
  await expect(page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Sources" })).toHaveAttribute("aria-current", "page");
  const add = page.getByRole("form", { name: "Add a source" });
  await expect(add.getByLabel("Base URL")).toHaveAttribute("placeholder", "https://api.pagerduty.com");
  await expect(add.getByLabel("Sync every (minutes)")).toHaveValue("15");

  // Bad input first: no credential. Refused, named, nothing saved.
  await add.getByLabel("Name").fill(name);
  await add.getByLabel("Base URL").fill(pd.url);
  await add.getByRole("button", { name: "Add source" }).click();
  await expect(add.getByRole("alert").filter({ hasText: "PagerDuty needs an API key or token" })).toBeVisible();
  await expect(page.getByTestId(`source-${name}`)).toHaveCount(0);

  await add.getByLabel("API key or token").fill(pd.token);
  await add.getByRole("button", { name: "Add source" }).click();
  await expect(add.getByRole("status")).toContainText(`Added ${name}.`);
  const card = page.getByTestId(`source-${name}`);
  await expect(card).toContainText("set (write-only)");
  await expect(card.getByTestId("last-run")).toHaveText("never");
  expect(await page.content()).not.toContain(pd.token);

  await card.getByRole("button", { name: "Test connection" }).click();
  await expect(card.getByRole("status")).toHaveText("Connected to PagerDuty: incidents can be read.");

  await card.getByRole("button", { name: "Sync now" }).click();
  await expect(card.getByRole("status")).toHaveText("Synced: 3 new, 0 updated, 0 unchanged, 0 rejected.");
  await expect(card.getByTestId("last-run")).toContainText("succeeded");
  await expect(card.getByTestId("changed")).toContainText("3 new (import batch");
  expect(pd.requests.length).toBeGreaterThan(1);
  expect(pd.requests.every((r) => r.headers.authorization === `Token token=${pd.token}`)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/sources-settings.png`, fullPage: true });

  await page.goto(`/incidents?q=${encodeURIComponent(`Live ${tag}`)}`);
  for (let i = 1; i <= 3; i++) await expect(page.getByText(`Live ${tag} checkout 502s ${i}`, { exact: true })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/sources-incidents.png`, fullPage: true });

  // A key that stops working: the status says so in plain words.
  const good = pd.token;
  pd.token = "rotated-key";
  await page.goto("/settings/sources");
  await card.getByRole("button", { name: "Sync now" }).click();
  await expect(card.getByRole("alert").first()).toContainText("PagerDuty refused the credential (401): check the API key or token");
  await expect(card.getByTestId("last-error")).toHaveText("PagerDuty refused the credential (401): check the API key or token");
  expect(good).not.toBe(pd.token);

  // Webhooks: set the signing secret (write-only), then PagerDuty v3 deliveries at /api/webhooks/<name>.
  const secret = `whk-${tag}-0123456789`;
  await card.getByText(`Edit ${name}`).click();
  const edit = page.getByRole("form", { name: `Edit ${name}` });
  await edit.getByLabel("Webhook signing secret").fill(secret);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByRole("status")).toHaveText(`Saved ${name}.`);
  expect(await page.content()).not.toContain(secret);
  const event = JSON.stringify({
    event: {
      id: `ev-${tag}`,
      event_type: "incident.triggered",
      resource_type: "incident",
      occurred_at: new Date().toISOString(),
      data: { id: `${tag}W`, type: "incident", number: 99, status: "triggered", created_at: new Date().toISOString(), title: `Live ${tag} from a webhook`, html_url: `https://acme.pagerduty.com/incidents/${tag}W`, service: { id: "PSVC001", type: "service_reference", summary: "Checkout" }, urgency: "high", priority: null },
    },
  });
  const sig = (key: string) => `v1=${crypto.createHmac("sha256", key).update(event).digest("hex")}`;
  const forged = await page.request.post(`/api/webhooks/${name}`, { data: event, headers: { "content-type": "application/json", "x-pagerduty-signature": sig("guess") } });
  expect(forged.status()).toBe(401);
  const signed = await page.request.post(`/api/webhooks/${name}`, { data: event, headers: { "content-type": "application/json", "x-pagerduty-signature": sig(secret) } });
  expect(signed.status()).toBe(200);
  expect(await signed.json()).toMatchObject({ status: "accepted", created: 1 });
  const replay = await page.request.post(`/api/webhooks/${name}`, { data: event, headers: { "content-type": "application/json", "x-pagerduty-signature": sig(secret) } });
  expect(await replay.json()).toMatchObject({ status: "duplicate" });
  await page.goto("/settings/sources");
  await expect(card.getByTestId("webhooks")).toContainText("incident.triggered (accepted)");
  await page.goto(`/incidents?q=${encodeURIComponent(`Live ${tag} from a webhook`)}`);
  await expect(page.getByText(`Live ${tag} from a webhook`, { exact: true })).toBeVisible();
});
