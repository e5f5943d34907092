import { describe, expect, test } from "vitest";
import { describeScope, matchesScope, type ProjectScope } from "@/lib/projects/scope";

const rollbacks: ProjectScope = { services: [], deploySystems: ["spinnaker", "argocd"], changeTypes: ["code_deploy"] };

describe("matchesScope", () => {
  test.each([
    [{ services: ["a"], deploySystem: "spinnaker", changeType: "code_deploy" }, true],
    [{ services: ["a"], deploySystem: " ArgoCD ", changeType: "CODE_DEPLOY" }, true],
    [{ services: ["a"], deploySystem: "spinnaker", changeType: "config" }, false], // AND: both dimensions must hold
    [{ services: ["a"], deploySystem: "flagship", changeType: "code_deploy" }, false],
    [{ services: ["a"], deploySystem: null, changeType: "code_deploy" }, false], // unknown is not guessed
    [{ services: ["a"], changeType: "code_deploy" }, false],
  ])("deploy systems AND change types: %o → %s", (incident, expected) => {
    expect(matchesScope(incident, rollbacks)).toBe(expected);
  });

  test("services match when any one is shared", () => {
    const scope: ProjectScope = { services: ["search"], deploySystems: [], changeTypes: [] };
    expect(matchesScope({ services: ["webapp-backend", "Search"] }, scope)).toBe(true);
    expect(matchesScope({ services: ["webapp-backend"] }, scope)).toBe(false);
    expect(matchesScope({ services: [] }, scope)).toBe(false);
  });

  test("an empty scope matches nothing", () => {
    expect(matchesScope({ services: ["a"], deploySystem: "x", changeType: "y" }, { services: [], deploySystems: [], changeTypes: [] })).toBe(false);
  });

  test("describeScope spells out the AND", () => {
    expect(describeScope(rollbacks)).toBe("deploy systems spinnaker, argocd AND change types code_deploy");
  });
});
