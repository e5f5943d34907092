/**
 * Any other CSV, as a person maps it: a study-style table of LLM-service incidents whose
 * services are one-hot 0/1 columns. The editor guesses the columns (and says so), the flag
 * columns give services named by their headers, a severity the policy doesn't know is
 * mapped at the preview (a new policy version), the mapping is saved as a preset with its
 * source name and time zone and re-used (page and CLI, no duplicates), and the archive is
 * imported as already analysed. Then the same at phone size.
 */
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { mainDbUrl, runCli, uniqueName } from "./support/auth";

const SHOTS = process.env.E2E_TMP || "test-results";

/** The LLM status table; `sev` is a severity no policy maps yet (unique per run). */
function llmCsv(prefix: string, sev: string, extraRow = false): Buffer {
  const rows = [
    "incident_id,title,impact,created,resolved,API,ChatGPT,Sora,Playground,url",
    `${prefix}-1,${prefix} elevated errors on ChatGPT,major,2024-03-04T09:15:00Z,2024-03-04T10:00:00Z,0,1,0,0,https://status.example.com/${prefix}-1`,
    `${prefix}-2,${prefix} latency for API and Playground,${sev},2024-03-05T14:00:00Z,2024-03-05T14:20:00Z,1,0,0,1,https://status.example.com/${prefix}-2`,
    `${prefix}-3,${prefix} Sora degraded,${sev},2024-03-06T08:00:00Z,2024-03-06T11:30:00Z,0,0,1,0,https://status.example.com/${prefix}-3`,
  ];
  if (extraRow) rows.push(`${prefix}-4,${prefix} partial outage,major,2024-03-07T20:00:00Z,2024-03-07T21:10:00Z,1,1,0,1,https://status.example.com/${prefix}-4`);
  return Buffer.from(rows.join("\n") + "\n");
}

type Exported = { sourceId: string; source: string; sourceServices: string[]; analysisStatus: string; trigger: string };
function exported(prefix: string): Exported[] {
  const all = JSON.parse(runCli(mainDbUrl(), ["export", "incidents", "--format", "json"])) as Exported[];
  return all.filter((i) => i.sourceId.startsWith(`${prefix}-`)).sort((a, b) => a.sourceId.localeCompare(b.sourceId));
}

async function openOptions(page: Page) {
  const options = page.locator("details", { has: page.getByText("Options", { exact: true }) }).first();
  if (!(await options.getAttribute("open"))) await page.getByText("Options", { exact: true }).click();
}

test("flag columns, a severity mapped at preview, a preset saved and re-used, an 'already analysed' import", async ({ page }) => {
  const prefix = uniqueName("LLM").replace(/[^A-Za-z0-9-]/g, "");
  const sev = `Tier-${prefix.slice(-6)}`;
  const source = `llm-${prefix.toLowerCase()}`;
  const presetName = `LLM status ${prefix}`;

  await page.goto("/import");
  await openOptions(page);
  await page.getByLabel("Source name").fill(source);
  await page.getByLabel("Time zone for times without an offset").fill("UTC");
  await page.getByLabel("File to import").setInputFiles({ name: "llm-status.csv", mimeType: "text/csv", buffer: llmCsv(prefix, sev) });

  // The editor guessed the columns, and says which are guesses.
  const editor = page.getByTestId("mapping-editor");
  await expect(editor.getByRole("heading", { name: "Map the columns" })).toBeVisible();
  await expect(editor.getByLabel("incident_id")).toHaveValue("id");
  await expect(editor.getByLabel("created")).toHaveValue("started_at");
  await expect(editor.getByLabel("impact")).toHaveValue("severity");
  await expect(editor.getByRole("combobox", { name: "API", exact: true })).toHaveValue("flag:services");
  await expect(editor.getByTestId("guess-incident_id")).toBeVisible();
  await expect(editor.getByTestId("guess-ChatGPT")).toBeVisible();
  // The flag headers are the values services will get, each can be renamed or ignored.
  const services = editor.getByTestId("list-values-services");
  await expect(services).toContainText("Playground");
  await expect(services).not.toContainText(/^0$|^1$/);
  await page.screenshot({ path: `${SHOTS}/import-mapping-editor.png`, fullPage: true });

  await editor.getByLabel("Save as preset").fill(presetName);
  await editor.getByRole("button", { name: "Save preset" }).click();
  await expect(editor.getByRole("status").filter({ hasText: "Saved preset" })).toContainText(`source "${source}", time zone UTC`);

  await editor.getByRole("button", { name: "Preview with this mapping" }).click();
  await expect(page.getByTestId("preview-summary")).toContainText("3 rows");
  await expect(page.getByTestId("preview-summary")).toContainText("would create 3");
  const row2 = page.getByTestId("preview-row").filter({ hasText: `${prefix}-2` });
  await expect(row2).toContainText("API, Playground");

  // The severity the policy doesn't know: listed with its count, mapped here as a new policy version.
  const unmapped = page.getByTestId("unmapped-severities");
  await expect(unmapped).toContainText(sev);
  await expect(unmapped.getByRole("row", { name: new RegExp(sev) })).toContainText("2");
  await page.screenshot({ path: `${SHOTS}/import-mapping-preview.png`, fullPage: true });
  await unmapped.getByLabel(sev).selectOption("high");
  await unmapped.getByRole("button", { name: /Save as policy version \d+/ }).click();
  await expect(page.getByTestId("severity-message")).toContainText(`${sev} → high`);
  await expect(page.getByTestId("unmapped-severities")).toHaveCount(0);
  const policy = JSON.parse(runCli(mainDbUrl(), ["policy", "show"])) as { note: string; policy: { severityClasses: Record<string, string> } };
  expect(policy.policy.severityClasses[sev]).toBe("high");
  expect(policy.note).toContain("llm-status.csv");

  // Already analysed, not change-triggered: only for the incidents this import creates.
  await page.getByLabel("Already analysed (analysis complete)").check();
  await page.getByLabel("Triage as").selectOption("other");
  await page.getByRole("button", { name: "Import 3 incident(s)" }).click();
  await expect(page.getByTestId("import-result")).toContainText("3 created");
  await expect(page.getByTestId("import-result")).toContainText("analysis complete, not change-triggered");

  let mine = exported(prefix);
  expect(mine.map((i) => [i.sourceId, i.source, i.sourceServices, i.analysisStatus, i.trigger])).toEqual([
    [`${prefix}-1`, source, ["ChatGPT"], "final", "other"],
    [`${prefix}-2`, source, ["API", "Playground"], "final", "other"],
    [`${prefix}-3`, source, ["Sora"], "final", "other"],
  ]);

  // Re-used on the page: picking the preset fills its source and time zone; a newer file adds one, leaves three.
  await page.goto("/import");
  await openOptions(page);
  await page.getByLabel("Mapping preset").selectOption(presetName);
  await expect(page.getByLabel("Source name")).toHaveValue(source);
  await expect(page.getByLabel("Time zone for times without an offset")).toHaveValue("UTC");
  await page.getByLabel("File to import").setInputFiles({ name: "llm-status-newer.csv", mimeType: "text/csv", buffer: llmCsv(prefix, sev, true) });
  await expect(page.getByTestId("preview-summary")).toContainText("would create 1, update 0, leave 3 unchanged");
  await expect(page.getByTestId("preview-summary")).toContainText(source);
  await page.getByRole("button", { name: "Import 4 incident(s)" }).click();
  await expect(page.getByTestId("import-result")).toContainText("1 created");
  mine = exported(prefix);
  expect(mine).toHaveLength(4);
  // Not marked this time: the new one waits for analysis; the earlier three keep their marks.
  expect(mine.map((i) => i.analysisStatus)).toEqual(["final", "final", "final", "pending"]);

  // And from the command line, under the preset's source: no duplicates under "csv".
  const cli = runCli(mainDbUrl(), ["presets", "list"]);
  expect(cli).toContain(`${presetName}\tsource=${source}\ttimezone=UTC`);
  const file = `${SHOTS}/${prefix}.csv`;
  fs.writeFileSync(file, llmCsv(prefix, sev, true));
  const summary = JSON.parse(runCli(mainDbUrl(), ["import", file, "--preset", presetName]).trim().split("\n").at(-1)!);
  expect(summary).toMatchObject({ source, created: 0, unchanged: 4 });
  expect(exported(prefix)).toHaveLength(4);
});

test("marking every incident a filter matches as analysed, then undoing it", async ({ page }) => {
  const prefix = uniqueName("MARK").replace(/[^A-Za-z0-9-]/g, "");
  await page.goto("/import");
  await page.getByLabel("File to import").setInputFiles({
    name: "archive.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(["id,title,severity,started_at,resolved_at", `${prefix}-1,${prefix} one,SEV2,2022-03-01T10:00:00Z,2022-03-01T11:00:00Z`, `${prefix}-2,${prefix} two,SEV3,2022-04-01T10:00:00Z,2022-04-01T10:30:00Z`, ""].join("\n")),
  });
  await page.getByRole("button", { name: "Import 2 incident(s)" }).click();
  await expect(page.getByTestId("import-result")).toContainText("2 created");

  await page.goto(`/incidents?q=${prefix}`);
  const mark = page.getByTestId("mark-filtered");
  await mark.getByText(/Mark all 2 incidents matching/).click();
  await mark.getByLabel("Triage as").selectOption("other");
  await mark.getByRole("button", { name: "Mark 2…" }).click();
  await mark.getByRole("button", { name: "Yes, mark 2" }).click();
  await expect(mark.getByTestId("mark-result")).toContainText("Marked 2 of 2 matching incidents as analysis complete, not change-triggered");
  expect(exported(prefix).map((i) => [i.analysisStatus, i.trigger])).toEqual([
    ["final", "other"],
    ["final", "other"],
  ]);
  await mark.getByRole("button", { name: "Undo" }).click();
  await expect(mark.getByTestId("mark-result")).toContainText("Undone: 2 incidents restored");
  expect(exported(prefix).map((i) => [i.analysisStatus, i.trigger])).toEqual([
    ["pending", "unknown"],
    ["pending", "unknown"],
  ]);
});

test.describe("at phone size", () => {
  test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: false, hasTouch: true });

  test("the editor and the preview fit a 390 px screen; tables scroll in their own box", async ({ page }) => {
    const prefix = uniqueName("LLMP").replace(/[^A-Za-z0-9-]/g, "");
    const sev = `Tier-${prefix.slice(-6)}`;
    await page.goto("/import");
    await page.getByLabel("File to import").setInputFiles({ name: "llm-phone.csv", mimeType: "text/csv", buffer: llmCsv(prefix, sev) });
    const editor = page.getByTestId("mapping-editor");
    await expect(editor.getByRole("combobox", { name: "API", exact: true })).toHaveValue("flag:services");
    const width = async () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await width()).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/import-mapping-editor-phone.png`, fullPage: true });
    await editor.getByRole("button", { name: "Preview with this mapping" }).click();
    await expect(page.getByTestId("unmapped-severities")).toContainText(sev);
    await expect(page.getByLabel("Already analysed (analysis complete)")).toBeVisible();
    expect(await width()).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/import-mapping-preview-phone.png`, fullPage: true });
  });
});
