import { describe, expect, test } from "vitest";
import { auditToCsv, type AuditExportRow } from "@/lib/audit/export";
import { parseAuditQuery, toAuditFilters } from "@/lib/audit/filters";

const ROW: AuditExportRow = { id: 1, at: Date.UTC(2025, 0, 2), actorId: null, actorLabel: "x", action: "incident.update", entityType: "incident", entityId: "7", before: null, after: null, detail: null, ip: null };

describe("audit CSV", () => {
  test.each([
    ["=SUM(A1)", "'=SUM(A1)"],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tx", `"'\tx"`],
    ['a "b"', '"a ""b"""'],
    [" padded", '" padded"'],
    ["plain", "plain"],
  ])("cell %j → %j", (input, expected) => {
    expect(auditToCsv([{ ...ROW, actorLabel: input }]).split("\r\n")[1].split(",")[3]).toBe(expected);
  });

  test("a row serialises JSON values and neutralises injected labels", () => {
    const csv = auditToCsv([
      { ...ROW, actorLabel: "=HYPERLINK(\"x\")", before: { a: 1 }, detail: ["a", "b"] },
    ]);
    const [header, line] = csv.trim().split("\r\n");
    expect(header).toBe("id,at,actor_id,actor,action,entity_type,entity_id,before,after,detail,ip");
    expect(line).toContain("2025-01-02T00:00:00.000Z");
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(`"{""a"":1}"`);
    expect(line).toContain(`"[""a"",""b""]"`);
    expect(csv.endsWith("\r\n")).toBe(true);
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
