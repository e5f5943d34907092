import { describe, expect, test } from "vitest";
import { parseScope, sourceSettingsSchema } from "@/lib/sources/kinds";
import { backoffDelay, classifyStatus, MAX_WAIT_MS, parseRetryAfter } from "@/lib/sources/retry";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("parseRetryAfter", () => {
  test.each([
    ["120", 120_000],
    ["0", 0],
    ["1.5", 1500],
    ["Sun, 01 Mar 2026 12:00:30 GMT", 30_000],
    ["Sun, 01 Mar 2026 11:00:00 GMT", 0],
    ["999999", MAX_WAIT_MS],
    ["soon", null],
    ["", null],
    [null, null],
  ])("%s → %s ms", (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });
});

test("backoff doubles per attempt within [half, full] of its ceiling, capped", () => {
  expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
  expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
  expect(backoffDelay(3, 1000, 60_000, () => 1)).toBe(4000);
  expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
});

test.each([
  [200, "ok"],
  [204, "ok"],
  [429, "rate_limited"],
  [408, "retry"],
  [500, "retry"],
  [503, "retry"],
  [400, "fatal"],
  [401, "fatal"],
  [404, "fatal"],
] as const)("status %d is %s", (status, kind) => {
  expect(classifyStatus(status)).toBe(kind);
});

describe("source settings", () => {
  test("PagerDuty scope: service and team ids", () => {
    expect(parseScope("pagerduty", "service:pabc123, team:PT9")).toEqual({ ok: true, scope: { text: "service:pabc123, team:PT9", services: ["PABC123"], teams: ["PT9"] } });
    expect(parseScope("pagerduty", "")).toEqual({ ok: true, scope: {} });
    expect(parseScope("pagerduty", "services:P1")).toEqual({ ok: false, message: '"services:P1" is not service:ID or team:ID (PagerDuty ids such as PIJ90N7)' });
  });
  test("other kinds keep the scope as text (JQL, a query)", () => {
    expect(parseScope("jira", "project = INC")).toEqual({ ok: true, scope: { text: "project = INC" } });
  });
  test("defaults: every 15 minutes, on; a base URL loses its trailing slash", () => {
    expect(sourceSettingsSchema.parse({ name: "pd", kind: "pagerduty", baseUrl: "https://api.pagerduty.com/" })).toEqual({ name: "pd", kind: "pagerduty", baseUrl: "https://api.pagerduty.com", scope: "", everyMinutes: 15, enabled: true });
  });
  test("every problem at once", () => {
    const r = sourceSettingsSchema.safeParse({ name: "-x", kind: "nagios", baseUrl: "javascript:alert(1)", everyMinutes: 1.5 });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join(".")).sort()).toEqual(["baseUrl", "everyMinutes", "kind", "name"]);
  });
});
