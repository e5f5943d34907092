import { describe, expect, test } from "vitest";
import { ImportFileError } from "@/lib/import/input";
import { parseImport } from "@/lib/import/parse";
import { MAX_JSON_DEPTH } from "@/lib/json/bounded";

const bytes = (s: string) => new TextEncoder().encode(s);
const nested = (depth: number) => "[".repeat(depth) + '"x"' + "]".repeat(depth);
const row = (custom: string) => `{"id":"D-1","title":"Deep","severity":"SEV2","started_at":"2024-02-10T10:00:00Z","team":${custom}}`;

describe("JSON imports are bounded in depth before parsing", () => {
  test.each([
    ["a JSON array", (c: string) => `[${row(c)}]`],
    ["NDJSON", (c: string) => `${row('"a"')}\n${row(c)}\n`],
    ["Statuspage JSON", (c: string) => `{"incidents":[{"id":"s1","name":"x","impact":"major","created_at":"2024-02-10T10:00:00Z","components":${c}}]}`],
  ])("%s with 10,000 levels in a field: a file error naming the limit and the byte", async (_name, doc) => {
    const err = await parseImport(bytes(doc(nested(10_000)))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportFileError);
    expect((err as Error).message).toMatch(new RegExp(`^The file is nested deeper than ${MAX_JSON_DEPTH} levels at byte \\d+;`));
  });

  test("a custom field nested just within the limit still imports", async () => {
    // The array and the row object are two levels, so the field may use the other 62.
    const res = await parseImport(bytes(`[${row(nested(MAX_JSON_DEPTH - 2))}]`));
    expect(res.errors).toEqual([]);
    expect(res.rows).toHaveLength(1);
    expect(res.rows[0].incident.customFields.team).toMatch(/^\[+"x"\]+$/);
  });
});
