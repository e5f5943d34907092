import { describe, expect, test } from "vitest";
import { bulkEditMessage, describeBulkEdit } from "@/lib/incidents/bulk-summary";

describe("bulk edit confirmation", () => {
  test("names each field set, in the form's order, and an added project", () => {
    expect(describeBulkEdit({ analysisStatus: "final", trigger: "change", addProject: "canary", changeType: null })).toBe("trigger → change, change type → (none), analysis → final, project + canary");
  });

  test.each([
    [{ updated: 12, unchanged: 0, changes: "trigger → change", leftFilter: 5 }, "12 incidents updated: trigger → change. 5 no longer match the filter."],
    [{ updated: 1, unchanged: 2, changes: "analysis → final", leftFilter: 1 }, "1 incident updated: analysis → final. 2 already had these values. 1 no longer matches the filter."],
    [{ updated: 3, unchanged: 0, changes: "trigger → other", leftFilter: 0 }, "3 incidents updated: trigger → other."],
  ])("%o", (r, text) => {
    expect(bulkEditMessage(r)).toBe(text);
  });
});
