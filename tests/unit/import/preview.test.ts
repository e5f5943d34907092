import { expect, test } from "vitest";
import { parseImport } from "@/lib/import/parse";
import { buildPreview } from "@/lib/import/preview";

/** 150 valid rows with two bad ones far down the file (rows 120 and 140). */
function file(): Buffer {
  const lines = ["id,title,severity,started_at,resolved_at"];
  for (let i = 1; i <= 150; i++) {
    const bad = i === 120 || i === 140;
    lines.push(`INC-${i},Incident ${i},SEV2,${bad ? "not a date" : "2024-02-01T10:00:00Z"},2024-02-01T11:00:00Z`);
  }
  return Buffer.from(lines.join("\n") + "\n", "utf8");
}

test("rows with errors come first in the preview, then valid rows, each in file order", async () => {
  const parsed = await parseImport(file());
  expect(parsed.errors.length).toBeGreaterThan(0);
  const preview = buildPreview(parsed, parsed.errors, 100);
  expect(preview.rows).toHaveLength(100);
  const firstTwo = preview.rows.slice(0, 2);
  expect(firstTwo.every((r) => r.errors.length > 0)).toBe(true);
  expect(firstTwo.map((r) => r.sourceId)).toEqual(["INC-120", "INC-140"]);
  const rest = preview.rows.slice(2);
  expect(rest.every((r) => r.errors.length === 0)).toBe(true);
  expect(rest.map((r) => r.row)).toEqual([...rest.map((r) => r.row)].sort((a, b) => a - b));
});

test("with more bad rows than fit, the listed ones keep all their errors", async () => {
  const parsed = await parseImport(file());
  const preview = buildPreview(parsed, parsed.errors, 1);
  expect(preview.rows).toHaveLength(1);
  expect(preview.rows[0].sourceId).toBe("INC-120");
  expect(preview.rows[0].errors.length).toBe(parsed.errors.filter((e) => e.row === preview.rows[0].row).length);
});
