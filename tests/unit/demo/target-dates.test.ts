import { expect, test } from "vitest";
import { generateDemoData } from "@/scripts/demo/generate";

// The demo's target history must not be dated in the future, wherever in a quarter it is loaded:
// early (next quarter's target would be due in ~2.5 months), late (due in days), on the last day.
test.each(["2026-10-02T09:00:00Z", "2026-12-01T14:22:00Z", "2026-12-31T23:00:00Z", "2027-01-01T00:00:00Z"])("no target change after asOf = %s", (iso) => {
  const asOf = Date.parse(iso);
  const { targets } = generateDemoData(asOf);
  expect(targets.length).toBeGreaterThan(5);
  const future = targets.filter((t) => t.createdAt > asOf);
  expect(future).toEqual([]);
  // Still in the order they were set.
  expect(targets.map((t) => t.createdAt)).toEqual([...targets.map((t) => t.createdAt)].sort((a, b) => a - b));
});
