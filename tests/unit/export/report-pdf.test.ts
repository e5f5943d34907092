import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { renderReportPdf } from "@/lib/export/report-pdf";
import { sampleModel } from "./fixtures";

const hasPoppler = fs.existsSync("/usr/bin/pdftotext");

/** What poppler reads from the PDF: its text (layout kept) and its font table. */
function readPdf(pdf: Buffer): { text: string; fonts: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-pdf-"));
  try {
    const file = path.join(dir, "r.pdf");
    fs.writeFileSync(file, pdf);
    return {
      text: execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"]).toString(),
      fonts: execFileSync("/usr/bin/pdffonts", [file]).toString(),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("renders a PDF whose text holds the quarter, its figure, the chart labels and the restatement", async () => {
  const model = sampleModel("FY2024-Q3", "Rollbacks are paying off.");
  const pdf = await renderReportPdf(model, {
    published: { version: 1, publishedAt: "2024-11-01T00:00:00Z", publishedBy: "lead@example.com" },
    restatement: { reported: 3, now: 4, moved: [{ sourceId: "INC-9", title: "Late tag", before: 0, after: 1 }] },
    baseUrl: "https://ds.example.com",
  });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  if (!hasPoppler) return;
  const { text } = readPdf(pdf);
  expect(text).toContain("FY2024-Q3");
  expect(text).toContain("3.0 h");
  expect(text).toContain("Published version 1");
  expect(text).toContain("Restated: reported 3.0 h, now 4.0 h");
  expect(text).toContain("Rollbacks are paying off.");
  expect(text).toContain("INC-4");
  expect(text).toContain("Automatic rollbacks");
  // Chart axis labels: every quarter of the series.
  for (const q of ["FY2024-Q1", "FY2024-Q2"]) expect(text).toContain(q);
  expect(text).toContain("policy v3 · page 1 of");
});

test("text outside Windows-1252 (Polish, Greek, Cyrillic, arrows, minus) comes out as written", async () => {
  const narrative = "Zażółć gęślą jaźń · Ελληνικά · Отказ платежей · −12% ≤ 5 h → better";
  const model = sampleModel("FY2024-Q3", narrative);
  const pdf = await renderReportPdf(model, { restatement: { reported: 3, now: 4, moved: [{ sourceId: "INC-9", title: "Wdrożenie złej konfiguracji", before: 0, after: 1 }] } });
  if (!hasPoppler) return;
  const { text, fonts } = readPdf(pdf);
  expect(text).toContain(narrative);
  expect(text).toContain("INC-9 Wdrożenie złej konfiguracji: 0.0 h → 1.0 h");
  // The font is embedded (subset), not a built-in one a reader would substitute.
  expect(fonts).toMatch(/DejaVuSansCondensed\b/);
  expect(fonts).toMatch(/DejaVuSansCondensed-Bold/);
  expect(fonts).not.toMatch(/Helvetica/);
});
