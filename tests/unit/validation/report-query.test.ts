import { describe, expect, test } from "vitest";
import { reportPageQuery } from "@/lib/validation/report-query";

describe("reportPageQuery", () => {
  test("reads the same from a URL's query and from page searchParams", () => {
    const fromUrl = reportPageQuery(new URLSearchParams("version=2&view=published&other=x"));
    const fromPage = reportPageQuery({ version: "2", view: "published", other: "x" });
    expect(fromUrl.success && fromUrl.data).toEqual({ version: 2, view: "published" });
    expect(fromPage.success && fromPage.data).toEqual({ version: 2, view: "published" });
  });

  test("a repeated parameter counts as absent, in both forms", () => {
    const fromUrl = reportPageQuery(new URLSearchParams("version=1&version=999"));
    const fromPage = reportPageQuery({ version: ["1", "999"] });
    expect(fromUrl.success && fromUrl.data).toEqual({});
    expect(fromPage.success && fromPage.data).toEqual({});
  });

  test.each(["version=0", "version=1.5", "version=abc", "view=draft"])("refuses %s", (q) => {
    expect(reportPageQuery(new URLSearchParams(q)).success).toBe(false);
  });
});
