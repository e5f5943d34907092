import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { createApiToken } from "@/db/queries/tokens";
import { GET } from "@/app/api/reports/[file]/route";
import { ValidationError } from "@/lib/api/errors";
import { quarterForInstant } from "@/lib/metric/calendar";
import { getSettings } from "@/db/queries/config";
import { listAudit } from "@/db/queries/audit";
import { appUrlStartLine, appUrlState, saveAppUrl } from "@/server/delivery/app-url";
import { sharedWorkerTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

const t = sharedWorkerTestDb();
const admin = { id: "u-admin", label: "admin@example.com" };
const saved = process.env.APP_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.APP_URL;
  else process.env.APP_URL = saved;
  saveAppUrl(t.db, "", admin);
});

/** GET /api/reports/<quarter>.<ext> as a token holder would, with a forged Host and X-Forwarded-Host. */
async function fetchReport(ext: "txt" | "pdf"): Promise<Response> {
  const { token } = createApiToken(t.db, { name: `t-${Math.random()}`, role: "viewer", createdBy: admin });
  const quarter = quarterForInstant(Date.now(), getSettings(t.db)).id;
  const req = new Request(`http://localhost:3000/api/reports/${quarter}.${ext}`, {
    headers: { authorization: `Bearer ${token}`, host: "evil.example.net", "x-forwarded-host": "proxy.example.org" },
  });
  return GET(req, { params: Promise.resolve({ file: `${quarter}.${ext}` }) });
}

function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-pdf-"));
  try {
    fs.writeFileSync(path.join(dir, "r.pdf"), pdf);
    // The raw file holds each link's URI annotation; pdftotext holds the printed report link.
    return execFileSync("/usr/bin/pdftotext", [path.join(dir, "r.pdf"), "-"]).toString() + pdf.toString("latin1");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("links written outside a page use the app's public URL", () => {
  test("the text summary links under APP_URL, whatever Host or X-Forwarded-Host say", async () => {
    addIncident(t.db, { startedAt: Date.now() - 5 * HOUR, resolvedAt: Date.now() - 3 * HOUR, trigger: "change", severity: "SEV1", sourceId: "INC-LINK" });
    process.env.APP_URL = "https://ds.example.com/app/";
    const res = await fetchReport("txt");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/\nhttps:\/\/ds\.example\.com\/app\/reports\/FY\d{4}-Q\d\?view=live\n$/);
    expect(text).not.toMatch(/localhost|evil\.example|proxy\.example/);
  });

  test("the PDF's report link and incident links use APP_URL", async () => {
    process.env.APP_URL = "https://ds.example.com";
    const res = await fetchReport("pdf");
    expect(res.status).toBe(200);
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toMatch(/https:\/\/ds\.example\.com\/reports\/FY\d{4}-Q\d\?view=live/);
    expect(text).toMatch(/\/URI \(https:\/\/ds\.example\.com\/incidents\/\d+\)/);
    expect(text).not.toMatch(/localhost|evil\.example|proxy\.example/);
  });

  test("without APP_URL the admin's setting is used; with neither, no link is written at all", async () => {
    delete process.env.APP_URL;
    expect(appUrlState(t.db)).toEqual({ url: null, source: null, setting: null });
    const none = await (await fetchReport("txt")).text();
    expect(none).not.toMatch(/https?:\/\//);
    expect(pdfText(Buffer.from(await (await fetchReport("pdf")).arrayBuffer()))).not.toMatch(/https?:\/\/(localhost|evil|proxy)/);
    expect(appUrlStartLine(appUrlState(t.db))).toMatch(/^Public URL not set: .*Set APP_URL/);

    expect(saveAppUrl(t.db, " https://reports.example.com/ ", admin)).toBe("https://reports.example.com");
    expect(appUrlState(t.db)).toEqual({ url: "https://reports.example.com", source: "setting", setting: "https://reports.example.com" });
    expect(await (await fetchReport("txt")).text()).toMatch(/\nhttps:\/\/reports\.example\.com\/reports\/FY\d{4}-Q\d\?view=live\n$/);
    expect(listAudit(t.db, { action: "delivery.settings" }).length).toBeGreaterThan(0);

    // The environment wins over the setting.
    process.env.APP_URL = "https://env.example.com";
    expect(appUrlState(t.db).url).toBe("https://env.example.com");
    expect(appUrlStartLine(appUrlState(t.db))).toBe("Public URL (links in summaries, PDFs and messages): https://env.example.com (APP_URL)");
  });

  test("a bad public URL is refused with a message naming the field and what is wrong, and nothing is stored", () => {
    for (const [value, message] of [
      ["ftp://files.example.com", /must start with https:\/\/ or http:\/\//],
      ["not a url", /is not a URL/],
      ["https://ds.example.com/?x=1", /must not carry a query/],
      ["https://user:pw@ds.example.com", /user name or password/],
    ] as const) {
      try {
        saveAppUrl(t.db, value, admin);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).issues).toEqual([{ field: "appUrl", message: expect.stringMatching(message) }]);
      }
      expect(appUrlState(t.db).setting).toBeNull();
    }
  });
});
