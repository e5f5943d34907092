import { describe, expect, test } from "vitest";
import { classifyIncident, DEFAULT_POLICY, evaluate, type Policy } from "@/lib/metric";
import { H, inc, input, T } from "./helpers";

const policy = (over: Partial<Policy> = {}): Policy => ({ ...DEFAULT_POLICY, ...over });
const asOf = T("2025-06-01T00:00:00Z");

describe("counting rules", () => {
  test.each([
    ["duplicate beats include", { duplicateOf: "X", override: "include" as const }, "duplicate", false],
    ["exclude", { override: "exclude" as const }, "override_exclude", false],
    ["include beats trigger", { override: "include" as const, trigger: "other" as const, severity: "nope" }, "override_include", true],
    ["other", { trigger: "other" as const }, "not_change_triggered", false],
    ["unknown", { trigger: "unknown" as const }, "untriaged", false],
    ["high", {}, "high_severity", true],
    ["case-insensitive, trimmed", { severity: "  sev1 " }, "high_severity", true],
    ["Critical vs critical", { severity: "CRITICAL" }, "high_severity", true],
    ["low", { severity: "sev4" }, "low_severity", false],
    ["unmapped", { severity: "SEV9" }, "unmapped_severity", false],
    ["medium, long enough", { severity: "SEV3" }, "medium_selected", true],
  ])("%s", (_name, extra, reason, counted) => {
    expect(classifyIncident(inc("2024-02-01T00:00:00Z", 1, extra), DEFAULT_POLICY, asOf)).toEqual({ reason, counted });
  });

  test("requireChangeTriggered false ignores the trigger", () => {
    const p = policy({ requireChangeTriggered: false });
    expect(classifyIncident(inc("2024-02-01T00:00:00Z", 1, { trigger: "unknown" }), p, asOf).reason).toBe("high_severity");
    expect(classifyIncident(inc("2024-02-01T00:00:00Z", 1, { trigger: "other" }), p, asOf).reason).toBe("high_severity");
  });

  test.each([
    ["no conditions selects nothing (any)", { match: "any" as const }, {}, false],
    ["no conditions selects nothing (all)", { match: "all" as const }, {}, false],
    ["empty lists are no condition", { match: "all" as const, features: [], services: [] }, {}, false],
    ["duration ≥ N (exact)", { match: "any" as const, minDurationMinutes: 60 }, {}, true],
    ["duration below", { match: "any" as const, minDurationMinutes: 61 }, {}, false],
    ["pct null never holds", { match: "any" as const, minCustomerImpactPct: 0 }, {}, false],
    ["pct ≥ P", { match: "any" as const, minCustomerImpactPct: 5 }, { customerImpactPct: 5 }, true],
    ["features case-insensitive", { match: "any" as const, features: ["Login"] }, { affectedFeatures: ["LOGIN "] }, true],
    ["services", { match: "any" as const, services: ["db"] }, { services: ["api"] }, false],
    ["all needs every one", { match: "all" as const, minDurationMinutes: 10, services: ["db"] }, { services: ["api"] }, false],
    ["all holds", { match: "all" as const, minDurationMinutes: 10, services: ["db"] }, { services: ["DB"] }, true],
  ])("medium rule: %s", (_name, mediumRule, extra, selected) => {
    const r = classifyIncident(inc("2024-02-01T00:00:00Z", 1, { severity: "SEV3", ...extra }), policy({ mediumRule }), asOf);
    expect(r.reason).toBe(selected ? "medium_selected" : "medium_not_selected");
  });

  test("an ongoing incident's duration runs to asOf", () => {
    const i = inc("2024-02-01T00:00:00Z", null, { severity: "SEV3" });
    const p = policy({ mediumRule: { match: "any", minDurationMinutes: 30 } });
    expect(classifyIncident(i, p, T("2024-02-01T00:20:00Z")).reason).toBe("medium_not_selected");
    expect(classifyIncident(i, p, T("2024-02-01T00:30:00Z")).reason).toBe("medium_selected");
  });
});

describe("per-quarter figures", () => {
  test("half-open: ending exactly at a quarter start does not overlap it", () => {
    const r = evaluate(input([inc("2024-03-31T22:00:00Z", 2, { id: "A" })]));
    expect(r.quarters[0]).toMatchObject({ hours: 2, countedIncidentIds: ["A"] });
    expect(r.quarters[1]).toMatchObject({ hours: 0, countedIncidentIds: [] });
  });

  test("split across a DST-shifted boundary in New York", () => {
    const r = evaluate(
      input([inc("2024-04-01T02:00:00Z", 4, { id: "A" })], { settings: { fiscalYearStartMonth: 1, timezone: "America/New_York", fiscalYearLabel: "end", maturityDays: 30 } }),
    );
    expect(r.quarters[0].hours).toBeCloseTo(2, 9);
    expect(r.quarters[1].hours).toBeCloseTo(2, 9);
  });

  test("ongoing incidents are measured to asOf and keep the quarter provisional", () => {
    const asOf = T("2024-09-01T00:00:00Z");
    const r = evaluate(input([inc("2024-05-01T00:00:00Z", null, { id: "A" })], { asOf, range: { from: "FY2024-Q2", to: "FY2024-Q3" } }));
    expect(r.quarters[0].hours).toBeCloseTo((T("2024-07-01T00:00:00Z") - T("2024-05-01T00:00:00Z")) / H, 9);
    expect(r.quarters[1].hours).toBeCloseTo((asOf - T("2024-07-01T00:00:00Z")) / H, 9);
    expect(r.quarters.map((q) => q.status)).toEqual(["provisional", "in_progress"]);
  });

  test("duplicates never count and never raise the upper bound", () => {
    const r = evaluate(input([inc("2024-02-01T00:00:00Z", 1, { id: "A" }), inc("2024-02-01T00:00:00Z", 1, { id: "B", duplicateOf: "A", trigger: "unknown" })]));
    expect(r.quarters[0]).toMatchObject({ hours: 1, upperBoundHours: 1, countedIncidentIds: ["A"] });
    expect(r.incidents[1]).toEqual({ id: "B", counted: false, reason: "duplicate" });
  });

  test("union counts shared time once; upper bound includes untriaged", () => {
    const incidents = [inc("2024-02-01T00:00:00Z", 2, { id: "A" }), inc("2024-02-01T01:00:00Z", 2, { id: "B" }), inc("2024-02-02T00:00:00Z", 1, { id: "U", trigger: "unknown" })];
    const sum = evaluate(input(incidents));
    const union = evaluate(input(incidents, { policy: policy({ overlap: "union" }) }));
    expect(sum.quarters[0]).toMatchObject({ hours: 4, upperBoundHours: 5 });
    expect(union.quarters[0]).toMatchObject({ hours: 3, upperBoundHours: 4, status: "provisional" });
  });

  test("targets come from the map or null; status future/in_progress/final", () => {
    const r = evaluate(input([], { targets: { "FY2024-Q2": 7 }, asOf: T("2024-07-20T00:00:00Z"), range: { from: "FY2024-Q1", to: "FY2024-Q4" } }));
    expect(r.quarters.map((q) => q.target)).toEqual([null, 7, null, null]);
    expect(r.quarters.map((q) => q.status)).toEqual(["final", "provisional", "in_progress", "future"]);
  });
});
