import { describe, expect, test } from "vitest";
import { compilePolicy } from "@/lib/metric/classify";
import { DEFAULT_SEVERITY_CLASSES } from "@/lib/metric/severity-vocabulary";
import { DEFAULT_POLICY } from "@/lib/metric/types";
import { policySchema } from "@/lib/validation/metric";

const classify = compilePolicy(DEFAULT_POLICY).severityClass;

describe("the default policy classifies the common tools' severities", () => {
  test.each([
    // SEV forms: SEV1, SEV-1, Sev 1, S1 (and lower case, padding)
    ...["SEV0", "SEV1", "SEV-1", "Sev 1", "sev1", "S1", " s1 ", "SEV2", "SEV-2", "Sev 2", "S2"].map((s) => [s, "high"] as const),
    ...["SEV3", "SEV-3", "Sev 3", "S3"].map((s) => [s, "medium"] as const),
    ...["SEV4", "SEV-4", "Sev 4", "S4", "SEV5", "SEV-5", "Sev 5", "S5"].map((s) => [s, "low"] as const),
    // PagerDuty priorities and urgency; Opsgenie's P1–P5
    ["P1", "high"],
    ["P2", "high"],
    ["P3", "medium"],
    ["P4", "low"],
    ["P5", "low"],
    ["high", "high"],
    ["low", "low"],
    // Jira's default priorities
    ["Highest", "high"],
    ["High", "high"],
    ["Medium", "medium"],
    ["Low", "low"],
    ["Lowest", "low"],
    // incident.io's default severities, Statuspage impacts
    ["Critical", "high"],
    ["Major", "high"],
    ["Minor", "medium"],
    ["none", "low"],
  ] as const)("%s → %s", (severity, cls) => {
    expect(classify(severity)).toBe(cls);
  });

  test("anything else stays unmapped (and so never counts silently)", () => {
    for (const s of ["SEV9", "S9", "P6", "urgent", "Sev1x", ""]) expect(classify(s)).toBe("unmapped");
  });

  test("METRIC.md's default keys keep their classes", () => {
    const spec = { SEV1: "high", SEV2: "high", P1: "high", P2: "high", critical: "high", major: "high", SEV3: "medium", P3: "medium", minor: "medium", SEV4: "low", SEV5: "low", P4: "low", P5: "low", none: "low" };
    for (const [k, cls] of Object.entries(spec)) expect(DEFAULT_POLICY.severityClasses[k]).toBe(cls);
  });

  test("the default is a valid policy: no two keys that match alike disagree", () => {
    expect(policySchema.safeParse(DEFAULT_POLICY).success).toBe(true);
    const seen = new Map<string, string>();
    for (const [k, cls] of Object.entries(DEFAULT_SEVERITY_CLASSES)) {
      const norm = k.trim().toLowerCase();
      expect(seen.get(norm) ?? cls).toBe(cls);
      seen.set(norm, cls);
    }
  });

  test("a saved policy is not widened by the vocabulary: its own keys only", () => {
    const saved = compilePolicy({ ...DEFAULT_POLICY, severityClasses: { SEV1: "high" } });
    expect(saved.severityClass("SEV1")).toBe("high");
    expect(saved.severityClass("SEV-1")).toBe("unmapped");
    expect(saved.severityClass("High")).toBe("unmapped");
  });
});
