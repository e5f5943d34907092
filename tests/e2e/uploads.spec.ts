/**
 * Uploads are read whole or refused with 413 naming the limit, never cut short (issue 14):
 * bodies exactly at and one byte over each limit, through the paths a browser and a script
 * take (the /import page's file input, the projects import form, POST /api/import and
 * /api/deploys), with and without a Content-Length. The main server runs with the lowered
 * limits of E2E_UPLOAD_LIMITS (playwright.config.ts), both above the 10 MB at which Next
 * cuts the bodies the proxy sees, so every body accepted here would have been cut before.
 */
import http from "node:http";
import { expect, test, type APIResponse } from "@playwright/test";
import { E2E_UPLOAD_LIMITS } from "../../playwright.config";
import { createTokenViaCli, mainDbUrl, runCli, uniqueName } from "./support/auth";

const { IMPORT_MAX_BYTES, DEPLOYS_MAX_BYTES } = E2E_UPLOAD_LIMITS;
const PROXY_CUT = 10 * 1024 * 1024;

const CSV_HEADER = "id,title,severity,started_at,resolved_at,trigger,services,description\n";
const WORDS = "the checkout service answered slowly after a config push to the payments cluster and was rolled back ".repeat(30);

/** A canonical CSV of exactly `size` bytes, one incident per ~3.3 KB row; the last row's description takes up the slack. */
function canonicalCsv(prefix: string, size: number): { body: Buffer; rows: number } {
  const row = (i: number, description: string) => {
    const start = new Date(Date.UTC(2016, 0, 1) + i * 3_600_000);
    const end = new Date(start.getTime() + 20 * 60_000);
    return `${prefix}-${i},${prefix} incident ${i},SEV3,${start.toISOString()},${end.toISOString()},other,${prefix.toLowerCase()}-svc,${description}\n`;
  };
  const lines = [CSV_HEADER];
  let used = Buffer.byteLength(CSV_HEADER);
  const last = (i: number) => row(i, "");
  for (let i = 1; ; i++) {
    const line = row(i, WORDS);
    if (used + line.length + Buffer.byteLength(last(i + 1)) > size) {
      lines.push(row(i, "x".repeat(size - used - Buffer.byteLength(last(i)))));
      const body = Buffer.from(lines.join(""));
      expect(body.byteLength).toBe(size);
      return { body, rows: i };
    }
    lines.push(line);
    used += line.length;
  }
}

/** A JSON array of deploy events of exactly `size` bytes, indented so that a cut anywhere loses events or breaks the JSON. */
function deploysJson(prefix: string, count: number, size: number): Buffer {
  const items = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ time: new Date(Date.UTC(2016, 0, 1) + i * 60_000).toISOString(), service: `${prefix}-svc`, deploy_system: "argocd", version: `v${i}`, external_id: `${prefix}-${i}` }),
  );
  const bare = 2 + items.join(",").length;
  const pad = size - bare;
  const each = Math.floor(pad / count);
  const body = Buffer.from(`[${items.map((it, i) => " ".repeat(i === 0 ? pad - each * (count - 1) : each) + it).join(",")}]`);
  expect(body.byteLength).toBe(size);
  return body;
}

function withExtraByte(body: Buffer): Buffer {
  return Buffer.concat([body, Buffer.from("\n")]);
}

async function expect413(res: APIResponse, limitText: string) {
  expect(res.status(), await res.text()).toBe(413);
  const json = (await res.json()) as { error: string; message: string };
  expect(json.error).toBe("payload_too_large");
  expect(json.message).toContain(limitText);
}

/** POSTs `total` bytes with no Content-Length (chunked), the way a streaming client does, and reads the answer. */
function postChunked(baseURL: string, path: string, token: string, total: number): Promise<{ status: number; body: { error?: string; message?: string } }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseURL);
    const req = http.request(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "text/csv", "transfer-encoding": "chunked" } });
    const chunk = Buffer.alloc(256 * 1024, "a,b,c\n");
    let sent = 0;
    let answered = false;
    const pump = () => {
      while (!answered && sent < total) {
        const n = Math.min(chunk.byteLength, total - sent);
        sent += n;
        if (!req.write(n === chunk.byteLength ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString("utf8") || "{}") });
      });
    });
    req.on("error", (err) => (answered ? undefined : reject(err)));
    pump();
  });
}

function undoBatch(batchId: number) {
  runCli(mainDbUrl(), ["batches", "undo", String(batchId)]);
}

test.describe.configure({ timeout: 180_000 });

test("POST /api/import: a canonical CSV over 10 MB, exactly at the limit, arrives whole; one byte more is a 413 naming the limit", async ({ request }) => {
  const prefix = uniqueName("UPAPI").replace(/[^A-Za-z0-9-]/g, "");
  const { body, rows } = canonicalCsv(prefix, IMPORT_MAX_BYTES);
  expect(body.byteLength).toBeGreaterThan(12 * 1024 * 1024);

  const over = await request.post(`/api/import?format=canonical&source=${prefix}`, { data: withExtraByte(body), headers: { "content-type": "text/csv" } });
  await expect413(over, "the import limit is 13 MB");

  const res = await request.post(`/api/import?format=canonical&source=${prefix}&fileName=big.csv`, { data: body, headers: { "content-type": "text/csv" }, timeout: 150_000 });
  expect(res.status(), await res.text()).toBe(200);
  const summary = (await res.json()) as { batchId: number; total: number; created: number; rejected: number };
  expect(summary).toMatchObject({ total: rows, created: rows, rejected: 0 });
  // Every row landed, the last one (past the 10 MB mark) included.
  const listed = (await (await request.get(`/api/incidents?service=${prefix.toLowerCase()}-svc`)).json()) as { total: number };
  expect(listed.total).toBe(rows);
  const lastTitle = `${prefix} incident ${rows}`;
  const found = (await (await request.get(`/api/incidents?q=${encodeURIComponent(lastTitle)}`)).json()) as { items: { title: string }[] };
  expect(found.items.map((i) => i.title)).toContain(lastTitle);
  undoBatch(summary.batchId);
});

test("POST /api/import and /api/deploys without a Content-Length: past the limit is a 413 naming it, not a cut body", async ({ baseURL }) => {
  const token = createTokenViaCli(mainDbUrl(), uniqueName("uploads-chunked"), "editor");
  const imp = await postChunked(baseURL!, "/api/import?format=canonical&source=chunked", token, IMPORT_MAX_BYTES + 1);
  expect(imp.status).toBe(413);
  expect(imp.body).toMatchObject({ error: "payload_too_large" });
  expect(imp.body.message).toContain("import limit of 13 MB");

  const dep = await postChunked(baseURL!, "/api/deploys", token, DEPLOYS_MAX_BYTES + 1);
  expect(dep.status).toBe(413);
  expect(dep.body.message).toContain("deploy events limit of 11 MB");

  // An API address with a % in it passes through the proxy, which would cut the body at 10 MB: refused instead.
  const encoded = await postChunked(baseURL!, "/api/impor%74?format=canonical&source=chunked", token, PROXY_CUT + 1);
  expect(encoded.status).toBe(413);
  expect(encoded.body.message).toContain("without percent-encoding");

  // Well under the limit but past the 10 MB proxy cut, chunked: read whole (the CSV is refused for its content, which needs every byte).
  const under = await postChunked(baseURL!, "/api/import?format=canonical&source=chunked&dryRun=1", token, PROXY_CUT + 1024 * 1024);
  expect(under.status).not.toBe(413);
  expect(under.status).toBe(422);
});

test("POST /api/deploys: exactly at the limit every event arrives; one byte more is a 413 naming the limit", async ({ request }) => {
  const prefix = uniqueName("UPDEP").replace(/[^A-Za-z0-9-]/g, "");
  const count = 500;
  const body = deploysJson(prefix, count, DEPLOYS_MAX_BYTES);
  expect(body.byteLength).toBeGreaterThan(PROXY_CUT);

  await expect413(await request.post("/api/deploys", { data: withExtraByte(body), headers: { "content-type": "application/json" } }), "the deploy events limit is 11 MB");

  const res = await request.post("/api/deploys", { data: body, headers: { "content-type": "application/json" } });
  expect(res.status(), await res.text()).toBe(201);
  expect(await res.json()).toMatchObject({ created: count });
  const listed = (await (await request.get(`/api/deploys?service=${prefix}-svc&limit=1000`)).json()) as { total: number };
  expect(listed.total).toBe(count);
});

test("the /import page: a file one byte over the limit shows the 413's message; a file at the limit previews and imports every row", async ({ page }) => {
  const prefix = uniqueName("UPUI").replace(/[^A-Za-z0-9-]/g, "");
  const { body, rows } = canonicalCsv(prefix, IMPORT_MAX_BYTES);
  await page.goto("/import");
  await expect(page.getByRole("heading", { name: "Import incidents" })).toBeVisible();
  const fileInput = page.getByLabel("File to import");

  await fileInput.setInputFiles({ name: "too-big.csv", mimeType: "text/csv", buffer: withExtraByte(body) });
  const alert = page.getByRole("alert").filter({ hasText: "import limit" });
  await expect(alert).toContainText(`The file is ${IMPORT_MAX_BYTES + 1} bytes; the import limit is 13 MB (${IMPORT_MAX_BYTES} bytes).`, { timeout: 60_000 });
  await page.screenshot({ path: `${process.env.E2E_TMP || "test-results"}/uploads-too-big.png`, fullPage: true });

  await fileInput.setInputFiles({ name: "at-limit.csv", mimeType: "text/csv", buffer: body });
  const summary = page.getByTestId("preview-summary");
  await expect(summary).toContainText(`${rows} rows`, { timeout: 90_000 });
  await expect(summary).toContainText("0 with problems");
  await expect(summary).toContainText(`would create ${rows}`);
  await page.getByRole("button", { name: `Import ${rows} incident(s)` }).click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText(`${rows} created`, { timeout: 90_000 });
  undoBatch(Number(/batch (\d+)/.exec((await result.textContent()) ?? "")?.[1]));
});

test("the projects import form: a file over 1 MB is refused with the limit before upload; a file of exactly 1 MB is read to its last row", async ({ page }) => {
  const LIMIT = 1024 * 1024;
  const prefix = uniqueName("upproj").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  // The last project alone is invalid: its error can only be reported if the whole file arrived.
  const last = { slug: `${prefix}-last`, name: "Last", status: "someday", description: "" };
  const projects: { slug: string; name: string; description: string }[] = [];
  const size = () => Buffer.byteLength(JSON.stringify([...projects, last]));
  while (size() < LIMIT - 3500) projects.push({ slug: `${prefix}-${projects.length}`, name: `Upload test ${projects.length}`, description: "d".repeat(3000) });
  last.description = "x".repeat(LIMIT - size()); // under the 4000-character limit of a description
  const atLimit = Buffer.from(JSON.stringify([...projects, last]));
  expect(atLimit.byteLength).toBe(LIMIT);

  await page.goto("/projects");
  const form = page.getByRole("form", { name: "Import projects" });
  const input = form.getByLabel("CSV or JSON file");

  await input.setInputFiles({ name: "too-big.json", mimeType: "application/json", buffer: withExtraByte(atLimit) });
  await form.getByRole("button", { name: "Import projects" }).click();
  await expect(form.getByRole("alert")).toContainText("The file is larger than 1024 KB");

  await input.setInputFiles({ name: "at-limit.json", mimeType: "application/json", buffer: atLimit });
  await form.getByRole("button", { name: "Import projects" }).click();
  await expect(form.getByTestId("import-errors")).toContainText("status must be one of", { timeout: 30_000 });
  await expect(form.getByTestId("import-errors")).toContainText(`row ${projects.length + 1}.status`);
  await expect(form.getByTestId("import-errors").locator("li")).toHaveCount(1);
  // All or nothing: none of the valid projects was written.
  await page.goto("/projects");
  await expect(page.getByText("Upload test 0", { exact: true })).toHaveCount(0);
});
