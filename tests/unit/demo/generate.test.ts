import { describe, expect, test } from "vitest";
import { generateDemoData } from "@/scripts/demo/generate";

const asOf = Date.parse("2026-11-26T12:00:00Z");
const DAY = 86_400_000;

describe("demo program", () => {
  const data = generateDemoData(asOf);

  test("is deterministic for a given asOf", () => {
    expect(generateDemoData(asOf)).toEqual(data);
    expect(generateDemoData(asOf, 7).incidents).not.toEqual(data.incidents);
  });

  test("spans about 2.5 years with several hundred incidents, none in the future", () => {
    const starts = data.incidents.map((i) => i.startedAt);
    expect(data.incidents.length).toBeGreaterThan(300);
    expect(data.incidents.length).toBeLessThan(1000);
    expect((asOf - Math.min(...starts)) / (365 * DAY)).toBeGreaterThan(2.4);
    expect(Math.max(...starts)).toBeLessThan(asOf);
  });

  test("most triaged incidents are change-triggered, near the 73% the program found", () => {
    const triaged = data.incidents.filter((i) => i.trigger !== "unknown");
    const share = triaged.filter((i) => i.trigger === "change").length / triaged.length;
    expect(share).toBeGreaterThan(0.65);
    expect(share).toBeLessThan(0.8);
  });

  test("recent incidents are still untriaged or awaiting analysis; old ones mostly final", () => {
    const recent = data.incidents.filter((i) => asOf - i.startedAt < 30 * DAY);
    const old = data.incidents.filter((i) => asOf - i.startedAt > 365 * DAY);
    expect(recent.filter((i) => i.trigger === "unknown").length).toBeGreaterThan(recent.length / 2);
    expect(recent.some((i) => i.analysisStatus === "pending")).toBe(true);
    expect(old.filter((i) => i.analysisStatus === "final").length / old.length).toBeGreaterThan(0.95);
  });

  test("an untriaged incident names no change, deploy system or remediation; the ongoing one has no end yet", () => {
    const untriaged = data.incidents.filter((i) => i.trigger === "unknown");
    expect(untriaged.length).toBeGreaterThan(0);
    for (const i of untriaged) expect([i.changeType, i.deploySystem, i.remediation, i.fleetExposurePct]).toEqual([null, null, null, null]);
    // Within three days of the newest incident's start, it is the one still open.
    const newest = data.incidents.at(-1)!;
    const open = generateDemoData(newest.startedAt + DAY).incidents.at(-1)!;
    expect([open.resolvedAt, open.impactEnd, open.mitigatedAt, open.trigger, open.changeType, open.status]).toEqual([null, null, null, "unknown", null, "investigating"]);
  });

  test("every window is well formed and severities are SEV1-SEV4", () => {
    for (const i of data.incidents) {
      expect(["SEV1", "SEV2", "SEV3", "SEV4"]).toContain(i.severity);
      if (i.resolvedAt !== null) expect(i.resolvedAt).toBeGreaterThan(i.startedAt);
      if (i.impactStart !== null && i.impactEnd !== null) expect(i.impactEnd).toBeGreaterThan(i.impactStart);
      if (i.fleetExposurePct !== null) expect(i.fleetExposurePct).toBeLessThanOrEqual(100);
    }
  });

  test("automatic rollbacks shorten code-deploy incidents once its lag has passed", () => {
    const rollbacks = data.projects.find((p) => p.slug === "automatic-rollbacks")!;
    const delivered = Date.parse(`${rollbacks.deliveredOn}T00:00:00Z`);
    const codeDeploy = data.incidents.filter((i) => i.changeType === "code_deploy" && i.resolvedAt !== null);
    const minutes = (list: typeof codeDeploy) => list.reduce((s, i) => s + (i.resolvedAt! - i.startedAt) / 60_000, 0) / list.length;
    const before = codeDeploy.filter((i) => i.startedAt < delivered);
    const after = codeDeploy.filter((i) => i.startedAt > delivered + 190 * DAY);
    expect(before.length).toBeGreaterThan(20);
    expect(after.length).toBeGreaterThan(10);
    expect(minutes(after)).toBeLessThan(minutes(before) / 2);
  });

  test("has projects that worked, one that did not, and targets lowered over time with a note", () => {
    expect(data.projects.map((p) => p.status)).toEqual(expect.arrayContaining(["delivered", "curtailed", "in_progress", "planned"]));
    const lowered = data.targets.filter((t, i) => data.targets.slice(0, i).some((o) => o.quarter === t.quarter && o.hours > t.hours));
    expect(lowered.length).toBeGreaterThan(0);
    expect(lowered[0].note).toMatch(/lowered/i);
    expect(data.targets[data.targets.length - 1].hours).toBeLessThan(data.targets[0].hours);
  });
});
