/**
 * One bad date never breaks every figure for everyone.
 *
 * Two paths: through the import API a row of year 0 is refused (422 naming row, column and
 * value) and nothing is written; written straight into SQLite (as an old database or a hand
 * edit would leave it), rows of year 0 and one resolving in 9999 leave the dashboard, the
 * metrics API, the quarters export, reports and projects answering, and the completeness
 * panel names them with the reason.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { mainDbUrl, runCli, uniqueName } from "./support/auth";

const shots = process.env.E2E_TMP || "test-results";

function dbFile(): string {
  const url = mainDbUrl();
  const file = url.startsWith("file:") ? url.slice("file:".length) : url;
  return path.resolve(file);
}

/** Rows as SQL leaves them, bypassing every check the app makes; returns their ids. */
function insertRaw(rows: { sourceId: string; title: string; startedAt: number; resolvedAt: number | null }[]): number[] {
  const db = new Database(dbFile());
  try {
    db.pragma("busy_timeout = 5000");
    const now = Date.now();
    const inc = db.prepare(
      `INSERT INTO incidents (source, source_id, title, severity, started_at, resolved_at, source_hash, created_at, updated_at)
       VALUES ('e2e-bad-dates', ?, ?, 'SEV1', ?, ?, 'h', ?, ?)`,
    );
    const cur = db.prepare(`INSERT INTO incident_curation (incident_id, trigger, analysis_status, updated_at) VALUES (?, 'change', 'final', ?)`);
    return db.transaction(() =>
      rows.map((r) => {
        const id = Number(inc.run(r.sourceId, r.title, r.startedAt, r.resolvedAt, now, now).lastInsertRowid);
        cur.run(id, now);
        return id;
      }),
    )();
  } finally {
    db.close();
  }
}

function deleteRows(ids: number[]): void {
  if (!ids.length) return;
  const db = new Database(dbFile());
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(`DELETE FROM incidents WHERE id IN (${ids.map(() => "?").join(",")})`).run(...ids);
  } finally {
    db.close();
  }
}

function countSource(source: string): number {
  const db = new Database(dbFile(), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM incidents WHERE source = ?").get(source) as { n: number }).n;
  } finally {
    db.close();
  }
}

test.describe.configure({ mode: "serial" });

test("the import API refuses a row of year 0, naming row, column and value, and writes nothing", async ({ request }) => {
  const source = uniqueName("e2ebaddate").replace(/[^a-z0-9-]/gi, "");
  const body = `id,title,severity,started_at\nY0,x,SEV4,0000-01-01T00:00:00Z\nOK,fine,SEV4,2024-01-01T00:00:00Z\n`;
  const res = await request.post(`/api/import?format=canonical&source=${source}`, { data: body, headers: { "content-type": "text/csv" } });
  expect(res.status()).toBe(422);
  const json = (await res.json()) as { errors: { row: number; column: string; reason: string }[] };
  expect(json.errors).toEqual([
    expect.objectContaining({ row: 2, column: "started_at", reason: "started_at 0000-01-01T00:00:00.000Z is before 1990-01-01T00:00:00.000Z, the earliest time accepted (TIME_MIN)" }),
  ]);
  expect(countSource(source)).toBe(0);

  const late = await request.post(`/api/import?format=canonical&source=${source}`, {
    data: `id,title,severity,started_at,resolved_at\nY9,x,SEV1,2024-01-01T00:00:00Z,9999-12-31T00:00:00Z\n`,
    headers: { "content-type": "text/csv" },
  });
  expect(late.status()).toBe(422);
  expect(((await late.json()) as { errors: { reason: string }[] }).errors[0].reason).toMatch(/^resolved_at 9999-12-31T00:00:00.000Z is after .* \(24 hours after now, TIME_MAX_FUTURE_HOURS\)$/);
  expect(countSource(source)).toBe(0);
});

test.describe("rows that reached the database anyway", () => {
  const tag = uniqueName("BAD").replace(/[^A-Za-z0-9]/g, "");
  let ids: number[] = [];

  test.beforeAll(() => {
    ids = insertRaw([
      { sourceId: `${tag}-Y0`, title: `${tag} year zero`, startedAt: Date.parse("0000-01-01T00:00:00Z"), resolvedAt: null },
      { sourceId: `${tag}-Y9999`, title: `${tag} resolves in 9999`, startedAt: Date.parse("2024-03-01T00:00:00Z"), resolvedAt: Date.parse("9999-12-31T00:00:00Z") },
    ]);
  });
  let archiveBatch: number | null = null;
  test.afterAll(() => {
    deleteRows(ids);
    if (archiveBatch != null) runCli(mainDbUrl(), ["batches", "undo", String(archiveBatch)]);
  });

  test("the metrics API and the quarters export answer, with well-formed quarters only", async ({ request }) => {
    const res = await request.get("/api/metrics/quarters");
    expect(res.status()).toBe(200);
    const json = (await res.json()) as { quarters: { quarter: string; hours: number }[] };
    expect(json.quarters.length).toBeGreaterThan(0);
    for (const q of json.quarters) expect(q.quarter).toMatch(/^FY\d{4}-Q[1-4]$/);
    // Nothing from year 9999 reached the engine: no quarter holds thousands of hours.
    for (const q of json.quarters) expect(q.hours).toBeLessThan(2000);

    // Verdicts are paged in id order: start the page just before the first inserted row.
    const withVerdicts = await request.get(`/api/metrics/quarters?include=incidents&limit=100&cursor=${ids[0] - 1}`);
    expect(withVerdicts.status()).toBe(200);
    const verdicts = ((await withVerdicts.json()) as { incidents?: { id: string }[] }).incidents ?? [];
    for (const id of ids) expect(verdicts.some((v) => v.id === String(id))).toBe(false);

    const csv = await request.get("/api/export/quarters.csv");
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toMatch(/\nFY\d{4}-Q[1-4],/);
    expect(text).not.toContain("FY00");
  });

  test("the dashboard draws, and the completeness panel names both rows and why", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    await expect(page.getByText("Something went wrong")).toHaveCount(0);
    await expect(page.locator("svg.recharts-surface").first()).toBeVisible();

    const excluded = page.getByTestId("excluded-incidents");
    await excluded.scrollIntoViewIfNeeded();
    await expect(excluded).toContainText("2 incidents are left out of every figure");
    const zero = excluded.getByTestId("excluded-incident").filter({ hasText: `${tag} year zero` });
    await expect(zero).toContainText("started_at 0000-01-01T00:00:00.000Z is before 1990-01-01T00:00:00.000Z");
    const forever = excluded.getByTestId("excluded-incident").filter({ hasText: `${tag} resolves in 9999` });
    await expect(forever).toContainText("resolved_at 9999-12-31T00:00:00.000Z is after");
    await expect(zero.getByRole("link")).toHaveAttribute("href", `/incidents/${ids[0]}`);
    await page.getByTestId("completeness").screenshot({ path: `${shots}/bad-dates-completeness.png` });
  });

  test("the panel's link opens the incident's page, which loads and says it is left out and why", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("excluded-incidents").getByRole("link", { name: `${tag} year zero` }).click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${ids[0]}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`${tag} year zero`);
    // "Why it counts" agrees with the figures: a SEV1 tagged change would count, but its time is out of bounds.
    await expect(page.getByTestId("why-sentence")).toHaveText(/^Left out of every figure because a time is out of bounds: started_at 0000-01-01T00:00:00.000Z is before 1990-01-01T00:00:00.000Z/);
    await expect(page.locator(".badge", { hasText: /^Counts$/ })).toHaveCount(0);
    await page.screenshot({ path: `${shots}/bad-dates-incident.png`, fullPage: true });
  });

  test("with the real Statuspage archive imported as well, the dashboard still draws and names only the bad rows", async ({ page, request }) => {
    const archive = fs.readFileSync(path.resolve("../shared/data/github-status-incidents.json"));
    const res = await request.post(`/api/import?format=statuspage&source=${tag.toLowerCase()}-archive&skipInvalid=1`, { data: archive, headers: { "content-type": "application/json" } });
    expect(res.status()).toBe(200);
    // The three incidents that resolve before they start are the only rows refused; no archive time is out of bounds.
    const summary = (await res.json()) as { batchId: number; created: number; rejected: number };
    expect(summary).toMatchObject({ created: 1279, rejected: 3 });
    // The specs after this one read the demo program's figures and exports: take the archive out again.
    archiveBatch = summary.batchId;
    const metrics = await request.get("/api/metrics/quarters");
    expect(metrics.status()).toBe(200);
    await page.goto("/");
    await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
    await expect(page.getByTestId("excluded-incidents")).toContainText("2 incidents are left out of every figure");
    await page.screenshot({ path: `${shots}/bad-dates-dashboard-archive.png`, fullPage: true });
  });

  test("reports and projects answer", async ({ page }) => {
    for (const url of ["/reports", "/projects"]) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
      await expect(page.getByText("Something went wrong")).toHaveCount(0);
    }
  });
});
