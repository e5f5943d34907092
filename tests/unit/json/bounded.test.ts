import { describe, expect, test } from "vitest";
import { PayloadTooLargeError, ValidationError } from "@/lib/api/errors";
import { MAX_JSON_BODY_BYTES, readJsonBody } from "@/lib/api/json-body";
import { jsonDepthExceededAt, jsonDepthProblem, MAX_JSON_DEPTH, parseBoundedJson } from "@/lib/json/bounded";

const nested = (depth: number, inner = "1") => "[".repeat(depth) + inner + "]".repeat(depth);

describe("jsonDepthExceededAt", () => {
  test.each([
    ["a scalar", "42", 1, -1],
    ["an empty array at the limit", "[]", 1, -1],
    ["one level over", "[[]]", 1, 1],
    ["objects and arrays both count", '{"a":[{"b":1}]}', 2, 6],
    ["brackets inside a string do not count", '["[[[[{{{{"]', 1, -1],
    ["an escaped quote does not end the string", '["\\"[[[[", 1]', 1, -1],
    ["an escaped backslash before the closing quote does end it", '["\\\\", [[1]]]', 2, 8],
    ["two escaped backslashes then a bracket in the string", '["\\\\\\\\[[", 1]', 1, -1],
    ["closers inside a string do not lower the depth", '[["]]]]"], [[1]]]', 2, 12],
    ["an unterminated string ends the scan", '["[[[[', 1, -1],
    ["NDJSON lines each start again", '{"a":{"b":1}}\n{"a":{"b":1}}\n', 2, -1],
    ["unicode before the bracket: index is in UTF-16 units", '["é", [[1]]]', 2, 7],
  ])("%s", (_name, text, max, expected) => {
    expect(jsonDepthExceededAt(text, max)).toBe(expected);
  });

  test("exactly at the default limit passes; one more is refused at the innermost bracket", () => {
    expect(jsonDepthExceededAt(nested(MAX_JSON_DEPTH))).toBe(-1);
    expect(jsonDepthExceededAt(nested(MAX_JSON_DEPTH + 1))).toBe(MAX_JSON_DEPTH);
  });

  test("10,000 levels is found without recursion and the message names the byte", () => {
    // The outer object is level 1, so the 64th bracket of the custom field crosses the limit.
    const text = `{"id":"X","custom":${nested(10_000)}}`;
    expect(jsonDepthProblem(text)).toBe(`nested deeper than ${MAX_JSON_DEPTH} levels at byte ${19 + MAX_JSON_DEPTH - 1}`);
  });

  test("the byte offset counts UTF-8 bytes, not characters", () => {
    // "é" is two bytes in UTF-8: the third bracket is at character 7, byte 8.
    expect(jsonDepthProblem('["é", [[1]]]', 2)).toBe("nested deeper than 2 levels at byte 8");
  });
});

describe("parseBoundedJson", () => {
  test("parses what is within bounds", () => {
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH, '"x"'))).toBeTruthy();
    expect(parseBoundedJson('{"a":"[[[["}')).toEqual({ a: "[[[[" });
  });

  test("too deep is a ValidationError (422) naming the limit and the byte", () => {
    const err = (() => {
      try {
        parseBoundedJson(nested(10_000), { what: "The body" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).status).toBe(422);
    expect((err as Error).message).toBe(`The body is nested deeper than ${MAX_JSON_DEPTH} levels at byte ${MAX_JSON_DEPTH}.`);
  });

  test("over maxBytes is a PayloadTooLargeError (413), measured in UTF-8 bytes", () => {
    expect(() => parseBoundedJson('"ééé"', { maxBytes: 7 })).toThrow(PayloadTooLargeError);
    expect(parseBoundedJson('"ééé"', { maxBytes: 8 })).toBe("ééé");
  });

  test("invalid JSON is a ValidationError with the parser's reason", () => {
    expect(() => parseBoundedJson("[1,")).toThrow(/not valid JSON/);
  });
});

describe("readJsonBody", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = {}) => new Request("http://x/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  const hint = "send a JSON object";
  const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

  test("reads a JSON object", async () => {
    expect(await readJsonBody(post('{"a":1}'), { hint })).toEqual({ a: 1 });
  });

  test("10,000 levels: 422 with the depth, the byte and what to send", async () => {
    const err = (await caught(readJsonBody(post(`{"customFields":${nested(10_000)}}`), { hint }))) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels at byte ${16 + MAX_JSON_DEPTH - 1}`);
    expect(err.issues.map((i) => i.message)).toContain(hint);
  });

  test("one byte over the limit is 413, whether or not Content-Length says so; at the limit is read", async () => {
    const at = `"${"x".repeat(MAX_JSON_BODY_BYTES - 2)}"`;
    expect(await readJsonBody(post(at), { hint })).toHaveLength(MAX_JSON_BODY_BYTES - 2);
    const over = at + " ";
    expect(await caught(readJsonBody(post(over), { hint }))).toBeInstanceOf(PayloadTooLargeError);
    // A stream with no Content-Length is cut off as it passes the limit.
    const stream = new Blob([over]).stream();
    const err = (await caught(readJsonBody(post(stream), { hint }))) as PayloadTooLargeError;
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.status).toBe(413);
    expect(err.message).toContain("1024 KB");
  });

  test("empty and non-UTF-8 bodies are 422", async () => {
    expect(((await caught(readJsonBody(post(""), { hint }))) as Error).message).toBe("The body is empty");
    expect(((await caught(readJsonBody(post(new Uint8Array([0x7b, 0xff, 0x7d])), { hint }))) as Error).message).toBe("The body is not UTF-8 text");
  });
});

describe("other JSON entry points use the scanner", () => {
  test("deploy events (POST /api/deploys, cli deploys import): 10,000 levels is a one-line reason", async () => {
    const { parseDeployText } = await import("@/lib/import/deploys");
    expect(() => parseDeployText(`[{"service":"api","meta":${nested(10_000)}}]`)).toThrow(`the JSON is nested deeper than ${MAX_JSON_DEPTH} levels at byte ${25 + MAX_JSON_DEPTH - 2}`);
  });

  test("a projects file and a CLI JSON file (evaluate, policy set) say the same", async () => {
    const { parseProjectFile } = await import("@/app/projects/_lib/project-file");
    await expect(parseProjectFile("p.json", `[{"slug":"a","x":${nested(10_000)}}]`)).rejects.toThrow(`The JSON is nested deeper than ${MAX_JSON_DEPTH} levels at byte `);
    const { readJsonFile } = await import("@/scripts/cli/evaluate");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ds-json-")), "deep.json");
    fs.writeFileSync(file, nested(10_000));
    expect(() => readJsonFile(file)).toThrow(`${file} is nested deeper than ${MAX_JSON_DEPTH} levels at byte ${MAX_JSON_DEPTH}`);
  });
});

describe("storedStringRecord", () => {
  test("keeps strings, prints scalars and shallow values, hides what is too deep, drops non-objects", async () => {
    const { storedStringRecord, TOO_DEEP_VALUE, valueDepth } = await import("@/lib/json/bounded");
    const deep = JSON.parse(nested(10_000));
    expect(valueDepth(deep)).toBe(MAX_JSON_DEPTH + 1);
    expect(valueDepth({ a: [1] })).toBe(2);
    expect(storedStringRecord({ a: "x", n: 3, b: true, z: null, o: { k: [1] }, d: deep })).toEqual({ a: "x", n: "3", b: "true", z: "", o: '{"k":[1]}', d: TOO_DEEP_VALUE });
    expect(storedStringRecord([1, 2])).toEqual({});
    expect(storedStringRecord("text")).toEqual({});
  });
});
