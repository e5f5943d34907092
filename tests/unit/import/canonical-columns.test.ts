import { expect, test } from "vitest";
import { CANONICAL_COLUMNS } from "@/lib/import/canonical-columns";
import { canonicalMapping } from "@/lib/import/sources/canonical";

/** IMPORT.md's table of the canonical format, plus `status` (what the source tool says). */
const SPEC_COLUMNS = [
  "id", "source", "title", "severity", "status", "started_at", "resolved_at", "impact_start", "impact_end", "detected_at", "mitigated_at",
  "trigger", "change_type", "deploy_system", "services", "affected_features", "customer_impact_pct", "fleet_exposure_pct", "remediation",
  "projects", "analysis_status", "override", "override_reason", "url", "description",
];

test("the columns derived from the field lists are the spec's, each once", () => {
  expect(new Set(CANONICAL_COLUMNS)).toEqual(new Set(SPEC_COLUMNS));
  expect(CANONICAL_COLUMNS).toHaveLength(SPEC_COLUMNS.length);
  expect(CANONICAL_COLUMNS.slice(0, 3)).toEqual(["id", "source", "title"]);
});

test("the canonical mapping reads every column as itself", () => {
  expect(Object.keys(canonicalMapping.fields)).toEqual([...CANONICAL_COLUMNS]);
});
