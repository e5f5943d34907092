import { describe, expect, test } from "vitest";
import { parseDeployText } from "@/lib/import/deploys";
import { looksLikeJson, readCsvObjects, readJsonList, uploadText, UploadReadError } from "@/lib/import/upload";

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof UploadReadError) return { problem: err.problem, detail: err.detail };
    throw err;
  }
  throw new Error("expected a refusal");
};

describe("the one upload reader", () => {
  test("a BOM and outer space go; nothing left is 'empty'", () => {
    expect(uploadText("\uFEFF  [1]\n")).toBe("[1]");
    expect(refusal(() => uploadText("\uFEFF \n ")).problem).toBe("empty");
    expect(looksLikeJson("  {")).toBe(true);
    expect(looksLikeJson("id,title")).toBe(false);
  });

  test("a JSON list: the array, its named member, one value when allowed, else 'no_list'", () => {
    expect(readJsonList("[1,2]", "deploys")).toEqual([1, 2]);
    expect(readJsonList('{"deploys":[{"a":1}]}', "deploys")).toEqual([{ a: 1 }]);
    expect(readJsonList('{"a":1}', "deploys", { single: true })).toEqual([{ a: 1 }]);
    expect(refusal(() => readJsonList('{"a":1}', "projects"))).toEqual({ problem: "no_list", detail: 'expected an array or { "projects": [...] }' });
    expect(refusal(() => readJsonList("[1,", "x")).problem).toBe("bad_json");
    expect(refusal(() => readJsonList("[".repeat(100) + "]".repeat(100), "x")).problem).toBe("too_deep");
  });

  test("CSV: header-keyed rows, trimmed on request, short rows padded, blank lines skipped", () => {
    expect(readCsvObjects(' a , b \n1, x \n\n2\n')).toEqual([
      { a: "1", b: " x " },
      { a: "2", b: "" },
    ]);
    expect(readCsvObjects("a,b\n1, x \n", { trim: true })).toEqual([{ a: "1", b: "x" }]);
    expect(readCsvObjects("a;b\n1;2\n")).toEqual([{ a: "1", b: "2" }]);
  });

  test("CSV: exactWidth refuses a row wider or narrower than the header, naming it", () => {
    expect(refusal(() => readCsvObjects("a,b\n1,2\n1,2,3\n", { exactWidth: true }))).toEqual({ problem: "bad_csv", detail: "row 2 has 3 cells; the header has 2" });
    expect(refusal(() => readCsvObjects('a,b\n"1,2\n', {})).problem).toBe("bad_csv");
  });
});

describe("deploy bodies through it keep their messages", () => {
  test.each([
    ["", "the body is empty: send a JSON array or object, or CSV with a header row"],
    ["[1,", "not valid JSON: "],
    ["time,service\n2025-01-01T00:00:00Z,api,extra\n", "not valid CSV: row 1 has 3 cells; the header has 2"],
  ])("%j", (body, message) => {
    expect(() => parseDeployText(body)).toThrow(message);
  });
  test("CSV cells are trimmed and keyed by header", () => {
    expect(parseDeployText("time , service\n 2025-01-01T00:00:00Z , api \n")).toEqual([{ time: "2025-01-01T00:00:00Z", service: "api" }]);
  });
});
