/**
 * The triage queue, keyboard only: three incidents tagged change-triggered with "C",
 * then the quarter figures (API and dashboard) move by exactly what those incidents add.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN, signInContext } from "./support/auth";

// Our own signed-in state: the shared test-results/.auth file can be rewritten by a
// concurrent run of another suite against another server.
const STATE = path.join(os.tmpdir(), `ds-e2e-triage-${process.pid}.json`);
// request.newContext() inherits `use` options, so the file must exist before signing in.
fs.writeFileSync(STATE, JSON.stringify({ cookies: [], origins: [] }));
test.beforeAll(async ({ baseURL }) => {
  const ctx = await signInContext(baseURL!, ADMIN.email, ADMIN.password);
  await ctx.storageState({ path: STATE });
  await ctx.dispose();
});
test.use({ storageState: STATE });

interface Quarter {
  quarter: string;
  start: string;
  end: string;
  hours: number;
}

async function quarters(api: APIRequestContext, asOf: string): Promise<Quarter[]> {
  const res = await api.get(`/api/metrics/quarters?asOf=${encodeURIComponent(asOf)}`);
  expect(res.status()).toBe(200);
  return (await res.json()).quarters as Quarter[];
}

test("triage three incidents with the keyboard; the quarter figure moves by what they add", async ({ page }) => {
  await page.goto("/incidents/triage");
  await expect(page.getByRole("heading", { name: "Triage queue", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Keyboard shortcuts" })).toBeVisible();
  for (const key of ["C", "O", "S", "N"]) await expect(page.locator("kbd", { hasText: new RegExp(`^${key}$`) }).first()).toBeVisible();
  await page.screenshot({ path: "/tmp/shots/triage-queue.png", fullPage: true });

  // A fixed evaluation instant, so ongoing incidents do not grow between the two readings.
  const asOf = new Date().toISOString();
  const before = await quarters(page.request, asOf);
  const quarterList = before.map((q) => ({ ...q, startMs: Date.parse(q.start), endMs: Date.parse(q.end) }));

  const current = page.getByTestId("triage-current");
  const expected = new Map<string, number>();
  const triaged: { id: string; sourceId: string }[] = [];
  for (let n = 0; n < 3; n++) {
    const id = await current.getAttribute("data-incident-id");
    expect(id).toBeTruthy();
    const detail = await (await page.request.get(`/api/incidents/${id}`)).json();
    expect(detail.curation.trigger).toBe("unknown");
    // Candidates come first: each of these would count once change-triggered.
    expect(detail.evaluation.ifChangeTriggered?.counted).toBe(true);
    const start = Date.parse(detail.evaluation.start);
    const end = detail.evaluation.ongoing ? Date.parse(asOf) : Date.parse(detail.evaluation.end);
    for (const q of quarterList) {
      const overlap = Math.max(0, Math.min(end, q.endMs) - Math.max(start, q.startMs));
      if (overlap > 0) expected.set(q.quarter, (expected.get(q.quarter) ?? 0) + overlap / 3_600_000);
    }
    triaged.push({ id: id!, sourceId: detail.sourceId });

    await page.keyboard.press("c");
    await expect(page.getByTestId("triage-status")).toContainText(`${detail.sourceId}: change-triggered`);
    await expect(current).not.toHaveAttribute("data-incident-id", id!);
  }
  expect(expected.size).toBeGreaterThan(0);

  const after = await quarters(page.request, asOf);
  for (const q of after) {
    const was = before.find((b) => b.quarter === q.quarter)!.hours;
    expect(q.hours - was, `${q.quarter} moved by the triaged incidents' hours`).toBeCloseTo(expected.get(q.quarter) ?? 0, 6);
  }

  // Each incident now shows as change-triggered, with the triage decision in its history.
  for (const t of triaged) {
    const detail = await (await page.request.get(`/api/incidents/${t.id}`)).json();
    expect(detail.curation.trigger).toBe("change");
    expect(detail.history.at(-1)).toMatchObject({ action: "incident.triage", after: { trigger: "change" } });
  }
  await page.goto(`/incidents?trigger=change&q=${encodeURIComponent(triaged[0].sourceId)}`);
  await expect(page.locator("tbody tr").filter({ hasText: triaged[0].sourceId })).toContainText("Change");

  // The list: filters in the URL, selection opens the bulk editor.
  await page.goto("/incidents?trigger=change&sort=started");
  await expect(page.getByLabel("Trigger")).toHaveValue("change");
  await page.getByLabel(`Select ${triaged[0].sourceId}`).check();
  await expect(page.getByRole("region", { name: "Bulk edit" })).toContainText("1 selected");
  await page.screenshot({ path: "/tmp/shots/incident-list.png", fullPage: false });

  // The dashboard shows the new figure for each quarter that moved.
  await page.goto("/");
  await page.getByTestId("quarterly").getByRole("button", { name: "Table" }).click();
  const now = await quarters(page.request, new Date().toISOString());
  for (const quarter of expected.keys()) {
    const cell = page.locator(`[data-testid="quarterly-table"] tr[data-quarter="${quarter}"] td[data-hours]`);
    await expect(cell).toHaveCount(1);
    const shown = Number(await cell.getAttribute("data-hours"));
    const api = now.find((q) => q.quarter === quarter)!.hours;
    expect(shown).toBeCloseTo(api, 2);
    expect(shown).toBeCloseTo(after.find((q) => q.quarter === quarter)!.hours, 1);
  }
  await page.screenshot({ path: "/tmp/shots/triage-dashboard.png", fullPage: true });
});
