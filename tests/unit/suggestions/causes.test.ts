import { describe, expect, test } from "vitest";
import { rankCauseSuspects, remediationCandidates } from "@/lib/suggestions/causes";
import type { DeployLike } from "@/lib/suggestions/deploys";

const H = 3_600_000;
const M = 60_000;
const START = Date.parse("2024-05-15T10:00:00Z");
let seq = 0;
const deploy = (over: Partial<DeployLike> & { finishedAt: number }): DeployLike => ({
  id: ++seq, externalId: null, service: "checkout", deploySystem: "argo", version: null, outcome: "success", isRollback: false, ...over,
});

describe("causing-change suspects", () => {
  const near = deploy({ finishedAt: START - 10 * M, version: "v2" });
  const far = deploy({ finishedAt: START - 20 * H });
  const failed = deploy({ finishedAt: START - 3 * H, outcome: "rolled_back" });
  const tooOld = deploy({ finishedAt: START - 25 * H });
  const other = deploy({ finishedAt: START - 5 * M, service: "search" });
  const after = deploy({ finishedAt: START + M });
  const rollback = deploy({ finishedAt: START + 30 * M, isRollback: true, service: "Checkout" });

  test("deploys of the incident's services in the window, an outcome the tool recorded first, then the nearest", () => {
    const ranked = rankCauseSuspects({ impactStart: START, impactEnd: START + H, services: ["CHECKOUT "] }, [near, far, failed, tooOld, other, after, rollback], 24);
    expect(ranked.map((s) => s.deploy.id)).toEqual([failed.id, near.id, far.id]);
    expect(ranked[1].minutesBefore).toBe(10);
    expect(ranked[1].evidence[0]).toBe("Finished 10 min before the impact started");
    expect(ranked[0].evidence).toContain("the deploy tool recorded it as rolled back");
    // The rollback after the impact undid the latest deploy before it, not the older ones.
    expect(ranked[1].evidence).toContain("checkout was rolled back after the impact started");
    expect(ranked[2].evidence.join()).not.toMatch(/rolled back after/);
  });

  test("the window is a setting; no services, no suspects", () => {
    expect(rankCauseSuspects({ impactStart: START, impactEnd: null, services: ["checkout"] }, [near, far], 1).map((s) => s.deploy.id)).toEqual([near.id]);
    expect(rankCauseSuspects({ impactStart: START, impactEnd: null, services: [] }, [near], 24)).toEqual([]);
  });

  test("remediation candidates: after the impact started, rollbacks first, up to the window after it ended", () => {
    const late = deploy({ finishedAt: START + 30 * H });
    const fix = deploy({ finishedAt: START + 55 * M, version: "v3" });
    const list = remediationCandidates({ impactStart: START, impactEnd: START + H, services: ["checkout"] }, [near, after, rollback, late, fix], 24, START + 48 * H);
    expect(list.map((c) => c.deploy.id)).toEqual([rollback.id, after.id, fix.id]);
    expect(list[0].evidence[0]).toBe("Rollback of Checkout 30 min after the impact started");
    expect(list[2].evidence).toContain("within 15 min of the impact ending");
  });
});
