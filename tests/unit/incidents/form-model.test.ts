import { describe, expect, test } from "vitest";
import { changedFields, fromForm, toForm } from "@/app/incidents/[id]/form-model";
import type { CurationValues } from "@/lib/validation/curation";

const stored: CurationValues = {
  trigger: "change",
  changeType: "code_deploy",
  deploySystem: "spinnaker",
  services: ["webapp-backend", "search"],
  affectedFeatures: ["login"],
  customerImpactPct: 12.5,
  // Seconds and milliseconds, as imports and the API store them.
  impactStart: Date.parse("2025-03-09T09:59:42.250Z"),
  impactEnd: Date.parse("2025-03-09T11:07:13Z"),
  detectedAt: Date.parse("2025-03-09T10:03:05Z"),
  mitigatedAt: null,
  remediation: "manual_rollback",
  fleetExposurePct: 30,
  analysisStatus: "final",
  override: null,
  overrideReason: null,
  projects: ["automatic-rollbacks"],
  linkedDeployId: null,
};

describe("incident form model", () => {
  test.each(["UTC", "America/Los_Angeles", "Asia/Kolkata"])("an untouched form changes nothing, seconds included (%s)", (tz) => {
    const { values, errors } = fromForm(toForm(stored, tz), tz, stored);
    expect(errors).toEqual({});
    expect(values).toEqual(stored);
    expect(changedFields(stored, values)).toEqual([]);
  });

  test("an edited time is read as wall-clock time in the organisation's zone", () => {
    const tz = "America/Los_Angeles";
    const form = { ...toForm(stored, tz), mitigatedAt: "2025-03-09T03:30" };
    const { values } = fromForm(form, tz, stored);
    expect(values.mitigatedAt).toBe(Date.parse("2025-03-09T10:30:00Z"));
    expect(changedFields(stored, values)).toEqual(["mitigatedAt"]);
  });

  test("an unreadable time is an error and keeps the stored value", () => {
    const form = { ...toForm(stored, "UTC"), impactEnd: "yesterday" };
    const { values, errors } = fromForm(form, "UTC", stored);
    expect(errors.impactEnd).toBeDefined();
    expect(values.impactEnd).toBe(stored.impactEnd);
  });
});
