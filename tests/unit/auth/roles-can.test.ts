import { describe, expect, test } from "vitest";
import { ACTION_ROLES, can } from "@/lib/auth/can";
import { hasRole, ROLES, type Role } from "@/lib/auth/roles";
import { csvCell, auditToCsv } from "@/lib/auth/audit-export";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { safeNextPath } from "@/lib/auth/next-path";
import { parseAuditQuery, toAuditFilters } from "@/lib/auth/audit-filters";

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

describe("audit CSV", () => {
  test.each([
    ["=SUM(A1)", "'=SUM(A1)"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ['a "b", c', '"a ""b"", c"'],
    ["plain", "plain"],
  ])("cell %j → %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  test("a row serialises JSON values and neutralises injected labels", () => {
    const csv = auditToCsv([
      { id: 1, at: Date.UTC(2025, 0, 2), actorId: null, actorLabel: "=HYPERLINK(\"x\")", action: "incident.update", entityType: "incident", entityId: "7", before: { a: 1 }, after: null, detail: null, ip: null },
    ]);
    const [header, line] = csv.trim().split("\r\n");
    expect(header).toBe("id,at,actor_id,actor,action,entity_type,entity_id,before,after,detail,ip");
    expect(line).toContain("2025-01-02T00:00:00.000Z");
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(`"{""a"":1}"`);
  });
});

describe("audit filters", () => {
  test("dates are whole UTC days, the end inclusive", () => {
    const q = parseAuditQuery({ from: "2025-01-01", to: "2025-01-31", action: "incident." });
    expect(q.success).toBe(true);
    const f = toAuditFilters(q.data!);
    expect(f.from).toBe(Date.UTC(2025, 0, 1));
    expect(f.to).toBe(Date.UTC(2025, 1, 1));
    expect(f.action).toBe("incident.");
  });
  test("every bad field is reported", () => {
    const q = parseAuditQuery({ from: "yesterday", to: "2025-13-45" });
    expect(q.success).toBe(false);
    expect([...new Set(q.error!.issues.map((i) => i.path[0]))].sort()).toEqual(["from", "to"]);
  });
});
