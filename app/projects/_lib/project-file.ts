import "server-only";
import { ValidationError } from "@/lib/api/errors";
import { looksLikeJson, readCsvObjects, readJsonList, uploadText, UploadReadError, type UploadProblem } from "@/lib/import/upload";

export { PROJECT_FILE_MAX_BYTES } from "@/lib/api/body-limits";

const REFUSALS: Record<UploadProblem, (detail: string) => ValidationError> = {
  empty: () => new ValidationError("The file is empty.", [{ field: "file", message: "the file is empty" }]),
  too_deep: (d) => new ValidationError(`The JSON is ${d}.`, [{ field: "file", message: d }]),
  bad_json: (d) => new ValidationError("The JSON could not be read.", [{ field: "file", message: d }]),
  no_list: () => new ValidationError("The JSON holds no list of projects.", [{ field: "file", message: 'expected an array of projects or { "projects": [...] }' }]),
  bad_csv: (d) => new ValidationError(`The CSV could not be read: ${d}.`, [{ field: "file", message: d }]),
};

/**
 * An uploaded projects file → loose records for importProjects. JSON: an array of
 * objects, or `{ "projects": [...] }`; CSV: a header row of field names (snake_case or
 * camelCase), lists within a cell separated by `;` or `,`. Anything else is a
 * ValidationError on `file`.
 */
export async function parseProjectFile(name: string, text: string): Promise<Record<string, unknown>[]> {
  let rows: Record<string, unknown>[];
  try {
    const trimmed = uploadText(text);
    if (/\.json$/i.test(name) || looksLikeJson(trimmed)) return readJsonList(trimmed, "projects") as Record<string, unknown>[];
    rows = readCsvObjects(trimmed);
  } catch (err) {
    if (err instanceof UploadReadError) throw REFUSALS[err.problem](err.detail);
    throw err;
  }
  if (rows.length === 0) throw new ValidationError("The CSV has no project rows.", [{ field: "file", message: "expected a header row and at least one project" }]);
  return rows;
}
