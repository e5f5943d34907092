import { describe, expect, test } from "vitest";
import { csvCell, toCsv } from "@/lib/export/csv";

describe("formula neutralising", () => {
  test.each([
    ["=HYPERLINK(\"http://x\")", `"'=HYPERLINK(""http://x"")"`],
    ["+1+2", "'+1+2"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    // A cell that begins with white space is quoted as well, so the space survives.
    ["\tcmd", `"'\tcmd"`],
    ["\rcmd", `"'\rcmd"`],
    ["\ncmd", `"'\ncmd"`],
    ["\u0000x", "'\u0000x"],
    ["\u001bx", "'\u001bx"],
    ["\uFF1DSUM(A1)", "'\uFF1DSUM(A1)"],
    ["plain", "plain"],
    ["a=b", "a=b"],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});

describe("csvCell", () => {
  test("quotes commas, quotes and newlines", () => {
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });
  test("a leading or trailing space is quoted", () => {
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell("padded ")).toBe('"padded "');
  });
  test("neutralises before quoting", () => {
    expect(csvCell('=1,"x"')).toBe(`"'=1,""x"""`);
  });
  test("numbers stay numbers, negatives included; null is empty", () => {
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(csvCell(0)).toBe("0");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(true)).toBe("true");
  });
  test("lists join with ; and are neutralised as a whole", () => {
    expect(csvCell(["a", "b"])).toBe("a;b");
    expect(csvCell(["=x", "b"])).toBe("'=x;b");
  });
  test("objects become JSON", () => {
    expect(csvCell({ team: "a,b" })).toBe('"{""team"":""a,b""}"');
  });
});

test("toCsv writes a header and one line per row", () => {
  const csv = toCsv(
    [
      { header: "n", value: (r: { n: number; s: string }) => r.n },
      { header: "s", value: (r: { n: number; s: string }) => r.s },
    ],
    [
      { n: 1, s: "@a" },
      { n: 2, s: "b" },
    ],
  );
  expect(csv).toBe("n,s\n1,'@a\n2,b\n");
});

test("toCsv ends lines with CRLF when asked, and with a BOM in spreadsheet mode", () => {
  const cols = [{ header: "s", value: (r: { s: string }) => r.s }];
  expect(toCsv(cols, [{ s: "a" }], { lineEnd: "\r\n" })).toBe("s\r\na\r\n");
  expect(toCsv(cols, [{ s: "a" }], { spreadsheet: { timezone: "UTC" } })).toBe("\uFEFFs\r\na\r\n");
  expect(toCsv(cols, [])).toBe("s\n");
});
