import { describe, expect, test } from "vitest";
import { auditChanges, formatAuditNumber, formatAuditValue } from "@/lib/audit/diff";

describe("audit values for reading", () => {
  test.each([
    [15.131684722222221, "15.132"],
    [44.9, "44.9"],
    [8, "8"],
    [-0.0004, "0"],
  ])("%d → %s", (n, s) => expect(formatAuditNumber(n)).toBe(s));

  test("lists, booleans, empties and epoch-ms times", () => {
    expect(formatAuditValue(["checkout", "login"])).toBe("checkout, login");
    expect(formatAuditValue([])).toBe("none");
    expect(formatAuditValue(true)).toBe("yes");
    expect(formatAuditValue(null)).toBe("—");
    expect(formatAuditValue(1767225600000, "reviewedAt")).toBe("2026-01-01 00:00:00 UTC");
    expect(formatAuditValue(1767225600000, "count")).toBe("1767225600000");
    expect(formatAuditValue([{ h: 1.23456 }])).toBe('{"h":1.235}');
  });
});

describe("auditChanges", () => {
  test("only the fields that differ, nested ones by dotted path, numbers rounded", () => {
    const before = { target: 15.131684722222221, note: "q3", policy: { mediumRule: { minDurationMinutes: 10, match: "any" } } };
    const after = { target: 8, note: "q3", policy: { mediumRule: { minDurationMinutes: 20, match: "any" } } };
    expect(auditChanges(before, after)).toEqual([
      { field: "target", before: "15.132", after: "8" },
      { field: "policy.mediumRule.minDurationMinutes", before: "10", after: "20" },
    ]);
  });

  test("a creation lists every field with nothing before; a removal the reverse", () => {
    expect(auditChanges(null, { email: "a@example.com", role: "admin" })).toEqual([
      { field: "email", before: null, after: "a@example.com" },
      { field: "role", before: null, after: "admin" },
    ]);
    expect(auditChanges({ name: "x" }, null)).toEqual([{ field: "name", before: "x", after: null }]);
  });

  test("fields present on one side only, and scalar values", () => {
    expect(auditChanges({ a: 1, gone: "x" }, { a: 1, added: ["p"] })).toEqual([
      { field: "added", before: null, after: "p" },
      { field: "gone", before: "x", after: null },
    ]);
    expect(auditChanges("viewer", "lead")).toEqual([{ field: "", before: "viewer", after: "lead" }]);
    expect(auditChanges({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
