import { describe, expect, test } from "vitest";
import {
  compileRule,
  DEFAULT_SUGGESTION_RULES,
  deploySuggestions,
  resolveRules,
  suggest,
  suggestionRulesSchema,
  textSuggestions,
  type DeployLike,
  type SuggestionRule,
} from "@/lib/suggestions";

const MIN = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0);

function deploy(id: number, minutesBefore: number, over: Partial<DeployLike> = {}): DeployLike {
  return { id, externalId: `D${id}`, finishedAt: T0 - minutesBefore * MIN, service: "checkout", deploySystem: "spinnaker", version: `v1.${id}`, outcome: "success", isRollback: false, ...over };
}

describe("text rules", () => {
  const rules = DEFAULT_SUGGESTION_RULES;

  test.each([
    ["Checkout errors after deploy", null, "change", "deploy"],
    ["Login failures", "We rolled back the release and errors recovered.", "change", "rolled back"],
    ["Search slow", "The change was reverted at 10:05.", "change", "reverted"],
    ["Config push broke messaging", null, "change", "Config push"],
    ["Payments degraded", "Turning on a feature flag for payments exposed a bug", "change", "feature flag"],
    ["Upstream cloud provider outage degraded search", null, "other", "Upstream cloud provider outage"],
  ])("%s / %s → %s with evidence %s", (title, description, trigger, evidence) => {
    const found = textSuggestions(title, description, rules);
    const hit = found.find((f) => f.trigger === trigger);
    expect(hit, JSON.stringify(found)).toBeDefined();
    expect(hit!.evidence.toLowerCase()).toBe(evidence.toLowerCase());
  });

  test("no rule matches plain text", () => {
    expect(textSuggestions("Users saw a blank page", "Cause under investigation.", rules)).toEqual([]);
  });

  test("phrases match whole words only, case-insensitively", () => {
    const rule: SuggestionRule = { label: "Revert", match: "phrase", pattern: "revert", trigger: "change", changeType: null, enabled: true };
    expect(textSuggestions("REVERT of #123", null, [rule])).toHaveLength(1);
    expect(textSuggestions("irreverting nonsense", null, [rule])).toHaveLength(0);
  });

  test("disabled rules are skipped; title wins over description for the evidence field", () => {
    const on: SuggestionRule = { label: "Deploy", match: "phrase", pattern: "deploy", trigger: "change", changeType: "code_deploy", enabled: true };
    const [s] = textSuggestions("deploy broke it", "the deploy was bad", [on]);
    expect(s.field).toBe("title");
    expect(textSuggestions("deploy broke it", null, [{ ...on, enabled: false }])).toEqual([]);
  });

  test("a phrase with regex characters is matched literally", () => {
    expect(compileRule({ match: "phrase", pattern: "a.b (c)" })!.test("x a.b (c) y")).toBe(true);
    expect(compileRule({ match: "phrase", pattern: "a.b" })!.test("axb")).toBe(false);
  });
});

describe("rule validation", () => {
  test("every error is reported: bad regex, empty label, short phrase, change type on other", () => {
    const r = suggestionRulesSchema.safeParse([
      { label: "", match: "regex", pattern: "(unclosed", trigger: "change", changeType: null, enabled: true },
      { label: "ok", match: "phrase", pattern: "ab", trigger: "other", changeType: "config", enabled: true },
      { label: "empty", match: "regex", pattern: "x*", trigger: "change", changeType: null, enabled: true },
    ]);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["0.label", "0.pattern", "1.pattern", "1.changeType", "2.pattern"]));
  });

  test("defaults validate, and resolveRules falls back to them for empty or broken stored values", () => {
    expect(suggestionRulesSchema.safeParse(DEFAULT_SUGGESTION_RULES).success).toBe(true);
    expect(resolveRules([])).toHaveLength(DEFAULT_SUGGESTION_RULES.length);
    expect(resolveRules([{ nonsense: true }])).toHaveLength(DEFAULT_SUGGESTION_RULES.length);
    const custom = [{ label: "X", match: "phrase", pattern: "xyz", trigger: "change", changeType: null, enabled: true }];
    expect(resolveRules(custom)).toEqual(custom);
  });
});

describe("deploy matching", () => {
  test("a deploy to an affected service inside the window is suggested, nearest first", () => {
    const found = deploySuggestions({ services: ["Checkout"], impactStart: T0 }, [deploy(1, 50), deploy(2, 5), deploy(3, 61), deploy(4, -1)], 60);
    expect(found.map((f) => f.deploy.id)).toEqual([2, 1]);
    expect(found[0].minutesBefore).toBe(5);
    expect(found[0].evidence).toContain("checkout v1.2 via spinnaker (D2) finished 5 min before");
  });

  test("window edges are inclusive; other services and rollbacks are ignored", () => {
    const ds = [deploy(1, 60), deploy(2, 0), deploy(3, 10, { service: "search" }), deploy(4, 10, { isRollback: true })];
    expect(deploySuggestions({ services: ["checkout"], impactStart: T0 }, ds, 60).map((f) => f.deploy.id)).toEqual([2, 1]);
    expect(deploySuggestions({ services: [], impactStart: T0 }, ds, 60)).toEqual([]);
  });

  test("the window is configurable", () => {
    expect(deploySuggestions({ services: ["checkout"], impactStart: T0 }, [deploy(1, 50)], 30)).toEqual([]);
    expect(deploySuggestions({ services: ["checkout"], impactStart: T0 }, [deploy(1, 50)], 90)).toHaveLength(1);
  });
});

describe("suggest", () => {
  const base = { title: "Errors on checkout", description: null, services: ["checkout"], impactStart: T0 };

  test("a deploy in the window suggests change-triggered with its deploy system and id", () => {
    const s = suggest(base, { rules: DEFAULT_SUGGESTION_RULES, deploys: [deploy(7, 12)], windowMinutes: 60 });
    expect(s).toMatchObject({ trigger: "change", deploySystem: "spinnaker", deployId: 7, changeType: "code_deploy" });
  });

  test("no deploy and no rule → no suggestion", () => {
    const s = suggest(base, { rules: DEFAULT_SUGGESTION_RULES, deploys: [deploy(7, 120)], windowMinutes: 60 });
    expect(s.trigger).toBeNull();
    expect(s.deploys).toEqual([]);
  });

  test("text rules give the change type; a tie between change and other suggests nothing", () => {
    const cfg = suggest({ ...base, title: "Config change throttled checkout" }, { rules: DEFAULT_SUGGESTION_RULES, deploys: [], windowMinutes: 60 });
    expect(cfg).toMatchObject({ trigger: "change", changeType: "config", deployId: null });
    const tie = suggest({ ...base, title: "DDoS during deploy" }, { rules: DEFAULT_SUGGESTION_RULES, deploys: [], windowMinutes: 60 });
    expect(tie.trigger).toBeNull();
    expect(tie.text).toHaveLength(2);
  });
});
