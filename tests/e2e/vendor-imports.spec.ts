/**
 * Each tool's real output, uploaded on /import the way a person would: the format is
 * detected, the preview is clean, the import lands, and what is in the database (read
 * back through `cli export`) carries the source's id, title, severity, start, end,
 * services, URL and impact window. Each batch is undone when its test ends, so the demo
 * program's figures stay as other specs expect. Fixtures and the vendor documents they
 * follow: tests/fixtures/import/vendors/README.md.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { mainDbUrl, runCli } from "./support/auth";

const FIXTURES = path.join(__dirname, "../fixtures/import");
const shots = process.env.E2E_TMP || "test-results";

interface Exported {
  source: string;
  sourceId: string;
  title: string;
  severity: string;
  startedAt: string;
  resolvedAt: string | null;
  url: string | null;
  sourceServices?: string[];
  services?: string[];
  impactStart?: string | null;
  impactEnd?: string | null;
  importBatchId: number | null;
}

interface Case {
  file: string;
  mime: string;
  /** Words of the detected format's label. */
  label: RegExp;
  rows: number;
  timezone?: string;
  /** What a user would check on one of the imported incidents. */
  check: { sourceId: string; source: string; title: string; severity: string; startedAt: string; resolvedAt: string | null; services: string[]; url: string | null; impactStart?: string; impactEnd?: string };
}

const CASES: Case[] = [
  {
    file: "vendors/pagerduty-rest-incidents.json",
    mime: "application/json",
    label: /PagerDuty/,
    rows: 3,
    check: {
      sourceId: "Q1V8T3MC0XKQ2H",
      source: "pagerduty",
      title: "Login latency p99 above 2s",
      severity: "high",
      startedAt: "2024-05-12T09:10:00.000Z",
      // Resolved without resolved_at: its last status change.
      resolvedAt: "2024-05-12T09:31:45.000Z",
      services: ["Auth Gateway"],
      url: "https://acme.pagerduty.com/incidents/Q1V8T3MC0XKQ2H",
    },
  },
  {
    file: "vendors/pagerduty-analytics-incidents.json",
    mime: "application/json",
    label: /PagerDuty/,
    rows: 2,
    check: {
      sourceId: "PYC0H08",
      source: "pagerduty",
      title: "Card payments declined for EU issuers",
      severity: "SEV-1",
      startedAt: "2024-05-31T14:05:00.000Z",
      resolvedAt: "2024-05-31T14:41:00.000Z",
      services: ["Payment Router"],
      url: null,
    },
  },
  {
    file: "pagerduty-incidents.csv",
    mime: "text/csv",
    label: /PagerDuty/,
    rows: 4,
    check: {
      sourceId: "Q0RIJJZL24RC6W",
      source: "pagerduty",
      title: "[FIRING:1] CheckoutAPIHighErrorRate checkout-api (5xx > 5%)",
      severity: "P1",
      startedAt: "2024-05-11T22:26:04.000Z",
      resolvedAt: "2024-05-11T23:02:51.000Z",
      services: ["checkout-api"],
      url: "https://acme.pagerduty.com/incidents/Q0RIJJZL24RC6W",
    },
  },
  {
    file: "vendors/incidentio-api-incidents.json",
    mime: "application/json",
    label: /incident\.io/,
    rows: 2,
    check: {
      sourceId: "01HXA7Q9R3K2M5N8P0S4T6V8W1",
      source: "incident.io",
      title: "Payments failing for EU cards",
      severity: "Critical",
      startedAt: "2024-05-11T15:30:12.418Z",
      resolvedAt: "2024-05-11T16:10:00.000Z",
      services: ["Payment Router", "Checkout API"],
      url: "https://app.incident.io/acme/incidents/311",
      impactStart: "2024-05-11T15:24:00.000Z",
    },
  },
  {
    file: "incidentio-incidents.csv",
    mime: "text/csv",
    label: /incident\.io/,
    rows: 3,
    check: {
      sourceId: "01HXB2C4D6E8F0G2H4J6K8M0N2",
      source: "incident.io",
      title: "Slow dashboard loads",
      severity: "Minor",
      startedAt: "2024-05-12T08:00:00.000Z",
      resolvedAt: "2024-05-12T08:45:00.000Z",
      services: ["grafana"],
      url: "https://app.incident.io/acme/incidents/312",
    },
  },
  {
    file: "vendors/jira-cloud-issues.csv",
    mime: "text/csv",
    label: /Jira/,
    rows: 2,
    timezone: "America/Los_Angeles",
    check: {
      sourceId: "OPS-1421",
      source: "jira",
      title: "Checkout 500s after release 2024.05.2",
      severity: "Highest",
      // Created 11/May/24 3:26 PM in Los Angeles (PDT); the Start date column (1 May) is not the start.
      startedAt: "2024-05-11T22:26:00.000Z",
      resolvedAt: "2024-05-11T23:02:00.000Z",
      services: ["checkout-api", "payment-router"],
      url: null,
      impactStart: "2024-05-11T22:20:00.000Z",
      impactEnd: "2024-05-11T23:00:00.000Z",
    },
  },
  {
    file: "vendors/jira-search-issues.json",
    mime: "application/json",
    label: /Jira/,
    rows: 2,
    check: {
      sourceId: "OPS-1422",
      source: "jira",
      title: "Login latency above 2s",
      severity: "Sev 3",
      startedAt: "2024-05-12T09:10:00.000Z",
      resolvedAt: null,
      services: ["auth-gateway"],
      url: "https://acme.atlassian.net/browse/OPS-1422",
    },
  },
  {
    file: "vendors/opsgenie-incidents.json",
    mime: "application/json",
    label: /Opsgenie/,
    rows: 3,
    check: {
      sourceId: "70413a06-38d6-4c85-92b8-5ebc900d42e2",
      source: "opsgenie",
      title: "Checkout unavailable in EU",
      severity: "P1",
      startedAt: "2024-05-11T15:26:04.120Z",
      resolvedAt: "2024-05-11T16:02:00.000Z",
      services: ["9d7fc5b8-3bd4-4ad4-9f7e-2a1c5e8b7d10"],
      url: null,
      impactStart: "2024-05-11T15:20:00.000Z",
      impactEnd: "2024-05-11T16:02:00.000Z",
    },
  },
];

async function choose(page: Page, file: string, mime: string, timezone?: string): Promise<void> {
  await page.goto("/import");
  await expect(page.getByRole("heading", { name: "Import incidents" })).toBeVisible();
  if (timezone) {
    await page.getByText("Options", { exact: true }).click();
    await page.getByLabel("Time zone for times without an offset").fill(timezone);
  }
  await page.getByLabel("File to import").setInputFiles({ name: path.basename(file), mimeType: mime, buffer: fs.readFileSync(path.join(FIXTURES, file)) });
}

const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);

test.describe("vendor exports on /import", () => {
  // Some fixtures share ids (the PagerDuty CSV and API, incident.io's CSV and API): each batch is undone when its test ends.
  const batches: number[] = [];
  test.afterEach(() => {
    for (const id of batches.splice(0).reverse()) runCli(mainDbUrl(), ["batches", "undo", String(id)]);
  });

  for (const c of CASES) {
    test(`${c.file}: detected, previewed clean, imported with its fields`, async ({ page }) => {
      await choose(page, c.file, c.mime, c.timezone);
      await expect(page.getByTestId("detected-format")).toContainText(c.label);
      const summary = page.getByTestId("preview-summary");
      await expect(summary).toContainText(`${c.rows} rows`);
      await expect(summary).toContainText("0 with problems");
      await expect(summary).toContainText(`source ${c.check.source}`);
      await expect(page.getByTestId("preview-row-error")).toHaveCount(0);
      await page.screenshot({ path: `${shots}/vendor-${path.basename(c.file)}-preview.png`, fullPage: true });

      await page.getByRole("button", { name: `Import ${c.rows} incident(s)` }).click();
      const result = page.getByTestId("import-result");
      await expect(result).toContainText("0 rejected");
      const batchId = Number(/batch (\d+)/.exec((await result.textContent()) ?? "")?.[1]);
      expect(batchId).toBeGreaterThan(0);
      batches.push(batchId);

      const exported = JSON.parse(runCli(mainDbUrl(), ["export", "incidents", "--format", "json"])) as Exported[];
      const inc = exported.find((i) => i.source === c.check.source && i.sourceId === c.check.sourceId);
      expect(inc, `${c.check.source}/${c.check.sourceId} in the database`).toBeDefined();
      expect(inc!.importBatchId).toBe(batchId);
      expect(inc!.title).toBe(c.check.title);
      expect(inc!.severity).toBe(c.check.severity);
      expect(iso(inc!.startedAt)).toBe(c.check.startedAt);
      expect(iso(inc!.resolvedAt)).toBe(c.check.resolvedAt);
      expect(inc!.sourceServices ?? inc!.services).toEqual(c.check.services);
      expect(inc!.url ?? null).toBe(c.check.url);
      if (c.check.impactStart) expect(iso(inc!.impactStart)).toBe(c.check.impactStart);
      if (c.check.impactEnd) expect(iso(inc!.impactEnd)).toBe(c.check.impactEnd);
    });
  }

  test("a Jira export in Spanish is refused with an error that names the problem, and nothing is imported", async ({ page }) => {
    await choose(page, "vendors/jira-cloud-issues-es.csv", "text/csv", "Europe/Madrid");
    const alert = page.getByRole("alert").filter({ hasText: "Jira export" });
    await expect(alert).toContainText("another language");
    await expect(alert).toContainText("Resumen");
    await expect(page.getByTestId("preview-summary")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Import \d+ incident/ })).toHaveCount(0);
    await page.screenshot({ path: `${shots}/vendor-jira-es-refused.png`, fullPage: true });
  });
});
