import "server-only";
import { ValidationError } from "@/lib/api/errors";
import { csvRecords } from "@/lib/import/csv";
import { jsonDepthProblem } from "@/lib/json/bounded";

export { PROJECT_FILE_MAX_BYTES } from "@/lib/api/body-limits";

/**
 * An uploaded projects file → loose records for importProjects. JSON: an array of
 * objects, or `{ "projects": [...] }`; CSV: a header row of field names (snake_case or
 * camelCase), lists within a cell separated by `;` or `,`. Anything else is a
 * ValidationError on `file`.
 */
export async function parseProjectFile(name: string, text: string): Promise<Record<string, unknown>[]> {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) throw new ValidationError("The file is empty.", [{ field: "file", message: "the file is empty" }]);
  const looksJson = /\.json$/i.test(name) || trimmed.startsWith("[") || trimmed.startsWith("{");
  if (looksJson) {
    const tooDeep = jsonDepthProblem(trimmed);
    if (tooDeep) throw new ValidationError(`The JSON is ${tooDeep}.`, [{ field: "file", message: tooDeep }]);
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new ValidationError("The JSON could not be read.", [{ field: "file", message: err instanceof Error ? err.message : "invalid JSON" }]);
    }
    const list = Array.isArray(data) ? data : data && typeof data === "object" && Array.isArray((data as { projects?: unknown }).projects) ? (data as { projects: unknown[] }).projects : null;
    if (!list) throw new ValidationError("The JSON holds no list of projects.", [{ field: "file", message: 'expected an array of projects or { "projects": [...] }' }]);
    return list as Record<string, unknown>[];
  }
  const records: string[][] = [];
  for await (const r of csvRecords(trimmed)) records.push(r);
  const [header, ...rows] = records;
  if (!header || rows.length === 0) throw new ValidationError("The CSV has no project rows.", [{ field: "file", message: "expected a header row and at least one project" }]);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ""])));
}
