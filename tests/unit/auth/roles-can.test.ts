import { describe, expect, test } from "vitest";
import { ACTION_ROLES, can } from "@/lib/auth/can";
import { hasRole, ROLES, type Role } from "@/lib/auth/roles";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { safeNextPath } from "@/lib/auth/next-path";

describe("hasRole", () => {
  test.each(ROLES.flatMap((a) => ROLES.map((n) => [a, n] as [Role, Role])))("%s has %s iff it is at least as high", (actual, needed) => {
    expect(hasRole(actual, needed)).toBe(ROLES.indexOf(actual) >= ROLES.indexOf(needed));
  });
});

describe("can", () => {
  test.each([
    ["viewer", "export", true],
    ["viewer", "tag", false],
    ["editor", "tag", true],
    ["editor", "import", true],
    ["editor", "editPolicy", false],
    ["lead", "closeQuarter", true],
    ["lead", "publish", true],
    ["lead", "viewAudit", true],
    ["lead", "admin", false],
    ["admin", "manageTokens", true],
  ] as const)("%s can %s: %s", (role, action, expected) => {
    expect(can(role, action)).toBe(expected);
    expect(can[action](role)).toBe(expected);
  });

  test("signed out can do nothing", () => {
    for (const a of Object.keys(ACTION_ROLES) as (keyof typeof ACTION_ROLES)[]) {
      expect(can(null, a)).toBe(false);
      expect(can[a](undefined)).toBe(false);
    }
  });
});

describe("isSameOriginRequest", () => {
  const h = (o: Record<string, string>) => new Headers({ host: "localhost:3000", ...o });
  test.each([
    [{ origin: "http://localhost:3000" }, true],
    [{ origin: "http://localhost:3001" }, false],
    [{ origin: "https://evil.example" }, false],
    [{ origin: "null" }, false],
    [{ origin: "not a url" }, false],
    [{ "sec-fetch-site": "same-origin" }, true],
    [{ "sec-fetch-site": "cross-site" }, false],
    [{ "sec-fetch-site": "same-site" }, false],
    [{}, true],
  ])("%j → %s", (headers, expected) => {
    expect(isSameOriginRequest(h(headers))).toBe(expected);
  });
});

describe("safeNextPath", () => {
  test.each([
    ["/incidents?q=1", "/incidents?q=1"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example", "/"],
    ["javascript:alert(1)", "/"],
    [undefined, "/"],
    ["/sign-in?next=/x", "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});
