/**
 * "Why it counts" agrees with the figures: an incident with a time outside the bounds on
 * time is left out of every figure (lib/metric/time-bounds.ts), so the panel says so.
 */
import { describe, expect, test } from "vitest";
import { explainIncident } from "@/lib/incidents/explain";
import { evaluate } from "@/lib/metric/evaluate";
import { partitionByTimeBounds, type TimeBounds } from "@/lib/metric/time-bounds";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type EngineIncident } from "@/lib/metric/types";
import { inc, T } from "../metric/helpers";

const AS_OF = T("2024-11-15T00:00:00Z");
const BOUNDS: TimeBounds = { min: T("1990-01-01T00:00:00Z"), max: AS_OF + 24 * 3_600_000, minLabel: "TIME_MIN", maxLabel: "24 hours after now" };

/** SEV1, change-triggered, final, 2024-02-01 00:00–03:00 UTC. */
const incident = (over: Partial<EngineIncident> = {}) => inc("2024-02-01T00:00:00Z", 3, { id: "1", ...over });

const ctx = { settings: DEFAULT_SETTINGS, policy: DEFAULT_POLICY, asOf: AS_OF, timeBounds: BOUNDS };

describe("explainIncident and the bounds on time", () => {
  test("an incident within bounds counts, with its hours", () => {
    const e = explainIncident(incident(), ctx);
    expect(e.excluded).toBeNull();
    expect(e.counted).toBe(true);
    expect(e.sentence).toMatch(/it counts/);
    expect(e.quarters).toEqual([{ quarter: "FY2024-Q1", hours: 3 }]);
  });

  test.each([
    ["started before TIME_MIN", { startedAt: T("1985-03-01T00:00:00Z"), resolvedAt: T("1985-03-01T02:00:00Z") }, "started_at", /before 1990-01-01T00:00:00.000Z/],
    ["resolved in 9999", { resolvedAt: T("9999-12-31T00:00:00Z") }, "resolved_at", /after .* the latest time accepted/],
    ["mitigated before TIME_MIN", { mitigatedAt: T("1980-01-01T00:00:00Z") }, "mitigated_at", /mitigated_at 1980-01-01T00:00:00.000Z is before/],
  ])("%s: left out, and the sentence says which time and why", (_name, over, field, why) => {
    const inc = incident(over);
    const e = explainIncident(inc, ctx);
    expect(e.counted).toBe(false);
    expect(e.excluded?.field).toBe(field);
    expect(e.sentence).toMatch(/^Left out of every figure because a time is out of bounds: /);
    expect(e.sentence).not.toMatch(/it counts/);
    expect(e.sentence).toMatch(why);
    expect(e.quarters).toEqual([]);
    expect(e.ifChangeTriggered).toBeNull();
    // The figures agree: the same bounds leave it out of the engine's input.
    expect(partitionByTimeBounds([inc], BOUNDS).excluded.map((x) => x.field)).toEqual([field]);
  });

  test("an untriaged incident out of bounds offers no 'if change-triggered' figures", () => {
    const e = explainIncident(incident({ trigger: "unknown", startedAt: T("1985-03-01T00:00:00Z"), resolvedAt: T("1985-03-01T02:00:00Z") }), ctx);
    expect(e.counted).toBe(false);
    expect(e.ifChangeTriggered).toBeNull();
  });

  test("without bounds the policy's verdict stands (the engine alone would count it)", () => {
    const inc = incident({ startedAt: T("1985-03-01T00:00:00Z"), resolvedAt: T("1985-03-01T02:00:00Z") });
    const e = explainIncident(inc, { ...ctx, timeBounds: undefined });
    expect(e.excluded).toBeNull();
    expect(e.counted).toBe(true);
    const r = evaluate({ settings: DEFAULT_SETTINGS, policy: DEFAULT_POLICY, targets: {}, asOf: AS_OF, range: { from: "FY1985-Q1", to: "FY1985-Q1" }, incidents: [inc] });
    expect(r.quarters[0].hours).toBe(2);
  });
});
