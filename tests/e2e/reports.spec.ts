/**
 * Reports: a lead publishes a quarter's report, downloads its PDF (checked as text with
 * pdftotext and as pixels with pdftoppm), the quarters export agrees with the metrics
 * API, a formula-like imported title comes out neutralised, and a tag changed after
 * publishing leaves the published numbers alone and shows a restatement.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { mainDbUrl, runCli, uniqueName } from "./support/auth";

const SHOTS = "/tmp/shots";
fs.mkdirSync(SHOTS, { recursive: true });

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "ds-e2e-report-"));
}

/** Pixels of page 1 (via pdftoppm's PPM output) close to one of `colors`. */
function countColoredPixels(pdf: string, colors: [number, number, number][]): { count: number; width: number; height: number } {
  const base = path.join(path.dirname(pdf), "page");
  execFileSync("/usr/bin/pdftoppm", ["-r", "72", "-f", "1", "-l", "1", pdf, base]);
  const file = fs.readdirSync(path.dirname(pdf)).find((f) => f.startsWith("page") && f.endsWith(".ppm"))!;
  const buf = fs.readFileSync(path.join(path.dirname(pdf), file));
  // P6\n<w> <h>\n255\n<rgb...>
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 50).toString("latin1"))!;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const data = buf.subarray(header[0].length);
  let count = 0;
  for (let i = 0; i + 2 < data.length; i += 3) {
    if (colors.some(([r, g, b]) => Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12)) count++;
  }
  return { count, width, height };
}

async function getCsv(api: APIRequestContext, url: string): Promise<Record<string, string>[]> {
  const res = await api.get(url);
  expect(res.status(), await res.text().catch(() => "")).toBe(200);
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="deploy-safety-.+\.csv"$/);
  return parse(await res.text(), { columns: true, skip_empty_lines: true });
}

test("the quarters export agrees with GET /api/metrics/quarters figure for figure", async ({ request }) => {
  const asOf = new Date().toISOString();
  const api = await (await request.get(`/api/metrics/quarters?asOf=${encodeURIComponent(asOf)}`)).json();
  const rows = await getCsv(request, `/api/export/quarters.csv?asOf=${encodeURIComponent(asOf)}`);
  expect(rows.length).toBe(api.quarters.length);
  expect(rows.length).toBeGreaterThan(4);
  rows.forEach((row, i) => {
    const q = api.quarters[i];
    expect(row.quarter).toBe(q.quarter);
    expect(row.start).toBe(q.start);
    expect(row.end).toBe(q.end);
    // The CSV gives hours to 0.001 h; the JSON export below stays exact.
    expect(Number(row.hours)).toBeCloseTo(q.hours, 3);
    expect(Number(row.upper_bound_hours)).toBeCloseTo(q.upperBoundHours, 3);
    expect(row.target === "" ? null : Number(row.target)).toBe(q.target);
    expect(row.status).toBe(q.status);
    expect(Number(row.counted_incidents)).toBe(q.countedIncidents);
  });
  const json = await (await request.get(`/api/export/quarters.json?asOf=${encodeURIComponent(asOf)}`)).json();
  expect(json.quarters.map((q: { quarter: string; hours: number }) => [q.quarter, q.hours])).toEqual(
    api.quarters.map((q: { quarter: string; hours: number }) => [q.quarter, q.hours]),
  );
  const bad = await request.get("/api/export/quarters.csv?from=2024Q1&bogus=1");
  expect(bad.status()).toBe(422);
  expect((await bad.json()).issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(["from"]));
});

test("an imported title beginning with = comes out neutralised in the incidents CSV", async ({ request }) => {
  const prefix = uniqueName("E2EFX").replace(/[^A-Za-z0-9-]/g, "");
  const dir = tmpDir();
  const file = path.join(dir, "formula.csv");
  const title = `=HYPERLINK("http://evil.example/${prefix}","click")`;
  fs.writeFileSync(
    file,
    [
      "id,title,severity,started_at,resolved_at,trigger,services,analysis_status",
      `${prefix}-1,"${title.replace(/"/g, '""')}",SEV1,2024-02-10T10:00:00Z,2024-02-10T12:30:00Z,change,checkout,final`,
      "",
    ].join("\n"),
  );
  const out = runCli(mainDbUrl(), ["import", file, "--format", "canonical", "--source", prefix.toLowerCase()]);
  expect(JSON.parse(out.trim().split("\n").at(-1)!)).toMatchObject({ created: 1 });

  const res = await request.get(`/api/export/incidents.csv?q=${prefix}&quarter=FY2024-Q1`);
  expect(res.status()).toBe(200);
  const text = await res.text();
  expect(text).toContain(`"'=HYPERLINK(""http://evil.example/${prefix}"",""click"")"`);
  const rows: Record<string, string>[] = parse(text, { columns: true });
  expect(rows).toHaveLength(1);
  expect(rows[0].title).toBe(`'${title}`);
  expect(rows[0].sourceId).toBe(`${prefix}-1`);
  expect(rows[0].startedAt).toBe("2024-02-10T10:00:00.000Z");
  expect(rows[0].reason).toBe("high_severity");
  expect(Number(rows[0].contributionHours)).toBe(2.5);
  // JSON is data, not a spreadsheet: the title stays as imported.
  const json = await (await request.get(`/api/export/incidents.json?q=${prefix}&quarter=FY2024-Q1`)).json();
  expect(json.incidents[0].title).toBe(title);
  expect(json.incidents[0].contributionHours).toBe(2.5);
  const bad = await request.get("/api/export/incidents.csv?quarter=Q5&counted=maybe");
  expect(bad.status()).toBe(422);
  expect((await bad.json()).issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(["quarter", "counted"]));
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a lead publishes a report, downloads its PDF, and a later tag change shows as a restatement", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  await page.goto("/reports");
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/reports-list.png`, fullPage: true });
  // Newest first: row 0 is the quarter in progress, row 1 the last one that ended.
  const quarter = (await page.getByTestId("reports-table").locator("tbody tr").nth(1).locator("a").first().textContent())!.trim();
  expect(quarter).toMatch(/^FY\d{4}-Q[1-4]$/);

  await page.goto(`/reports/${quarter}?view=live`);
  await expect(page.getByRole("heading", { name: `${quarter} report` })).toBeVisible();
  await expect(page.getByTestId("report-chart")).toBeVisible();
  const narrative = `E2E notes for ${quarter}: rollbacks keep paying off.`;
  await page.getByLabel("Program lead's narrative").fill(narrative);
  await page.getByRole("button", { name: "Save narrative" }).click();
  await expect(page.getByText("Narrative saved.")).toBeVisible();

  // Publishing needs the confirmation box.
  const publish = page.getByRole("button", { name: `Publish ${quarter}` });
  await publish.click();
  await expect(page.getByText("tick the box to confirm")).toBeVisible();
  await page.getByLabel(/I have reviewed the figures/).check();
  await publish.click();
  await expect(page).toHaveURL(new RegExp(`/reports/${quarter}\\?version=\\d+$`));
  const version = Number(new URL(page.url()).searchParams.get("version"));
  await expect(page.getByTestId("report-mode")).toContainText(`Published version ${version}`);
  const hours = (await page.getByTestId("report-hours").textContent())!.trim();
  expect(hours).toMatch(/^[\d,]+\.\d h$/);
  await expect(page.getByText(narrative)).toBeVisible();
  await expect(page.getByTestId("restatement")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/report-published.png`, fullPage: true });

  // The PDF: quarter, figure, chart (axis labels as text, bars as coloured pixels), selectable text.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-pdf").click()]);
  expect(download.suggestedFilename()).toBe(`deploy-safety-${quarter}-v${version}.pdf`);
  const dir = tmpDir();
  const pdf = path.join(dir, "report.pdf");
  await download.saveAs(pdf);
  expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
  const text = execFileSync("/usr/bin/pdftotext", ["-layout", pdf, "-"]).toString();
  expect(text).toContain(quarter);
  expect(text).toContain(hours);
  expect(text).toContain(`Published version ${version}`);
  expect(text).toContain("Quarterly hours");
  expect(text).toContain(narrative);
  const q = /^FY(\d{4})-Q(\d)$/.exec(quarter)!;
  const prevQuarter = Number(q[2]) === 1 ? `FY${Number(q[1]) - 1}-Q4` : `FY${q[1]}-Q${Number(q[2]) - 1}`;
  expect(text).toContain(prevQuarter); // the chart's axis label for the quarter before
  execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "100", "-f", "1", "-l", "1", pdf, path.join(dir, "report")]);
  const png = fs.readdirSync(dir).find((f) => f.startsWith("report") && f.endsWith(".png"))!;
  expect(fs.statSync(path.join(dir, png)).size).toBeGreaterThan(20_000);
  fs.copyFileSync(path.join(dir, png), `${SHOTS}/report-pdf.png`);
  // Bars in the Okabe-Ito blue (earlier quarters) and vermillion (this quarter).
  const pixels = countColoredPixels(pdf, [
    [0x00, 0x72, 0xb2],
    [0xd5, 0x5e, 0x00],
  ]);
  expect(pixels.count).toBeGreaterThan(1500);

  // The text summary carries the same figure.
  const summary = await (await page.request.get(`/api/reports/${quarter}.txt?version=${version}`)).text();
  expect(summary).toContain(`Deploy Safety ${quarter}`);
  expect(summary).toContain(hours);

  // An engineer excludes the top contributor after publishing.
  const top = page.getByTestId("top-incidents").locator("tbody tr").first().locator("a");
  const topSourceId = (await top.textContent())!.trim();
  const incidentId = (await top.getAttribute("href"))!.split("/").at(-1)!;
  const patch = await page.request.patch(`/api/incidents/${incidentId}`, {
    data: { override: "exclude", overrideReason: "e2e: restatement check" },
    headers: { Origin: baseURL! },
  });
  expect(patch.status(), await patch.text()).toBe(200);

  await page.goto(`/reports/${quarter}?version=${version}`);
  await expect(page.getByTestId("report-hours")).toHaveText(hours);
  const note = page.getByTestId("restatement");
  await expect(note).toBeVisible();
  await expect(note).toContainText(`reported ${hours}`);
  await expect(note).toContainText(topSourceId);
  await page.screenshot({ path: `${SHOTS}/report-restated.png`, fullPage: true });
  // The plain quarter URL shows the latest published version; the live view has the new figure.
  await page.goto(`/reports/${quarter}`);
  await expect(page.getByTestId("report-mode")).toContainText(`Published version ${version}`);
  await page.getByRole("link", { name: "View live figures" }).click();
  await expect(page.getByTestId("report-mode")).toContainText("Live figures");
  await expect(page.getByTestId("report-hours")).not.toHaveText(hours);
  // The PDF of the published version keeps its figure and carries the restatement.
  const again = await page.request.get(`/api/reports/${quarter}.pdf?version=${version}`);
  fs.writeFileSync(path.join(dir, "again.pdf"), await again.body());
  const text2 = execFileSync("/usr/bin/pdftotext", ["-layout", path.join(dir, "again.pdf"), "-"]).toString();
  expect(text2).toContain(hours);
  expect(text2).toContain(`Restated: reported ${hours}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("unknown and malformed report addresses", async ({ page, request }) => {
  // A malformed or not-yet-started quarter is refused by the segment's layout, before the skeleton streams: a real 404.
  for (const path of ["/reports/FY2024-Q9", "/reports/FY2099-Q1"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "No such report" })).toBeVisible();
  }
  // A version never published, or a malformed query, is refused by the layout too (it reads the
  // query the proxy forwards): a real 404, not a 200 that streams the not-found page.
  for (const path of ["/reports/FY2024-Q1?version=999", "/reports/FY2024-Q1?version=abc", "/reports/FY2024-Q1?view=draft"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "No such report" })).toBeVisible();
    await expect(page.locator('meta[name="robots"][content*="noindex"]').first()).toBeAttached();
  }
  // The same quarter without the bad query is there.
  expect((await page.goto("/reports/FY2024-Q1?view=live"))?.status()).toBe(200);
  await page.goto("/reports/FY2024-Q1?version=999");
  await page.getByRole("link", { name: "All reports" }).click();
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  expect((await request.get("/api/reports/not-a-quarter.pdf")).status()).toBe(422);
  expect((await request.get("/api/reports/FY2024-Q1.pdf?version=999")).status()).toBe(404);
  expect((await request.get("/api/reports/FY2024-Q1.doc")).status()).toBe(404);
});
