import { expect, test } from "vitest";
import { reasonLabel, REASON_LABELS, statusLabel } from "@/lib/metric/labels";

test("every reason has its own wording; a stored reason the table lacks reads as it is", () => {
  const labels = Object.values(REASON_LABELS);
  expect(new Set(labels).size).toBe(labels.length);
  expect(reasonLabel("untriaged")).toBe("Not yet triaged");
  expect(reasonLabel("some_future_reason")).toBe("some_future_reason");
  expect(statusLabel("in_progress")).toBe("In progress");
  expect(statusLabel("archived")).toBe("archived");
});
