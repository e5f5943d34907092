import { describe, expect, test } from "vitest";
import { parseProject, projectInputSchema } from "@/lib/validation/project";

function fields(record: Record<string, unknown>): string[] {
  const r = parseProject(record);
  return r.success ? [] : r.error.issues.map((i) => i.path.join(".")).sort();
}

describe("project validation", () => {
  test("cross-field rules are reported alongside missing fields", () => {
    expect(fields({ slug: "No Good", lagMinMonths: 5, lagMaxMonths: 1, status: "delivered" })).toEqual(["deliveredOn", "lagMaxMonths", "name", "slug"]);
  });

  test("loose text input: lists, numbers, blanks, snake_case and status spelling", () => {
    const r = parseProject({ slug: "a-b", name: " A ", scope_services: "search; Search, api", lag_min_months: "0", lag_max_months: " 0 ", expected_effect_hours: "", status: "In progress", owner_team: "" });
    expect(r.success && r.data).toEqual({
      slug: "a-b",
      name: "A",
      ownerTeam: null,
      description: null,
      status: "in_progress",
      deliveredOn: null,
      scopeServices: ["Search", "api"],
      scopeDeploySystems: [],
      scopeChangeTypes: [],
      lagMinMonths: 0,
      lagMaxMonths: 0,
      expectedEffectHours: null,
    });
  });

  test.each([
    [{ lagMaxMonths: 37 }, "lagMaxMonths"],
    [{ lagMinMonths: 1.5 }, "lagMinMonths"],
    [{ lagMinMonths: "three" }, "lagMinMonths"],
    [{ expectedEffectHours: -0.1 }, "expectedEffectHours"],
    [{ deliveredOn: "15/01/2024" }, "deliveredOn"],
    [{ status: "done" }, "status"],
    [{ slug: "-leading" }, "slug"],
    [{ slug: "double--hyphen" }, "slug"],
  ])("%o is refused on %s", (patch, field) => {
    expect(fields({ slug: "ok", name: "OK", ...patch })).toEqual([field]);
  });

  test("a non-object is refused without throwing", () => {
    expect(projectInputSchema.safeParse(null).success).toBe(false);
    expect(projectInputSchema.safeParse("x").success).toBe(false);
  });
});
