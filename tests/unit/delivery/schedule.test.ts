import { describe, expect, test } from "vitest";
import { nextWeeklyOccurrence } from "@/lib/delivery/schedule";
import { toEmail, toSlackPayload, toTeamsPayload, type DeliveryMessage } from "@/lib/delivery/message";
import { appLink, appUrlProblem, normalizeAppUrl } from "@/lib/delivery/app-url";
import { env, EnvError } from "@/lib/env";

const iso = (ms: number) => new Date(ms).toISOString();

describe("nextWeeklyOccurrence", () => {
  test.each([
    // Monday 2026-05-04 08:00 UTC = 09:00 in London (BST): the 09:00 Monday slot is now, so the next is a week on.
    ["2026-05-04T08:00:00Z", 1, 9, "Europe/London", "2026-05-11T08:00:00.000Z"],
    ["2026-05-04T07:59:59Z", 1, 9, "Europe/London", "2026-05-04T08:00:00.000Z"],
    // Sunday evening UTC is already Monday in Tokyo.
    ["2026-05-03T20:00:00Z", 1, 9, "Asia/Tokyo", "2026-05-04T00:00:00.000Z"],
    ["2026-05-04T00:00:00Z", 7, 23, "UTC", "2026-05-10T23:00:00.000Z"],
    // New York's clocks skip 02:00–03:00 on Sunday 2026-03-08: a 02:00 slot fires at 03:00 EDT.
    ["2026-03-07T12:00:00Z", 7, 2, "America/New_York", "2026-03-08T07:00:00.000Z"],
    // Across the autumn change in Berlin: 09:00 local is 08:00 UTC after it.
    ["2026-10-20T12:00:00Z", 1, 9, "Europe/Berlin", "2026-10-26T08:00:00.000Z"],
  ])("after %s, weekday %i at %i:00 in %s → %s", (after, weekday, hour, tz, expected) => {
    expect(iso(nextWeeklyOccurrence(Date.parse(after), weekday, hour, tz))).toBe(expected);
  });
});

describe("app URL helpers", () => {
  test("normalises and joins without double slashes; no base, no link", () => {
    expect(normalizeAppUrl("https://ds.example.com/base/")).toBe("https://ds.example.com/base");
    expect(appLink("https://ds.example.com/base", "/incidents/3")).toBe("https://ds.example.com/base/incidents/3");
    expect(appLink(null, "/incidents/3")).toBeNull();
    expect(appUrlProblem("javascript:alert(1)")).toMatch(/must start with https/);
  });
  test("APP_URL is read once, normalised, and a bad value names the variable and what is wrong", () => {
    expect(env("APP_URL", { APP_URL: " https://ds.example.com/sub/ " })).toBe("https://ds.example.com/sub");
    expect(env("APP_URL", {})).toBeUndefined();
    expect(() => env("APP_URL", { APP_URL: "ds.example.com" })).toThrow(EnvError);
    expect(() => env("APP_URL", { APP_URL: "ds.example.com" })).toThrow('APP_URL "ds.example.com" is not a URL');
    expect(() => env("APP_URL", { APP_URL: "https://ds.example.com/#x" })).toThrow('APP_URL "https://ds.example.com/#x" must not carry a query (?) or fragment (#)');
  });
});

describe("message layouts", () => {
  const m: DeliveryMessage = {
    kind: "digest",
    subject: "S <b>",
    headline: "H & <i>",
    facts: [{ label: "So far", value: "1.0 h" }],
    sections: [{ title: "Empty", lines: [] }],
    link: null,
    note: "no links",
  };
  test("HTML is escaped, plain text is not; an empty section says so", () => {
    const e = toEmail(m);
    expect(e.html).toContain("S &lt;b&gt;");
    expect(e.html).toContain("H &amp; &lt;i&gt;");
    expect(e.html).not.toContain("<i>");
    expect(e.text).toBe("H & <i>\n\nSo far: 1.0 h\n\nEmpty:\n- none\n\nno links\n");
  });
  test("Slack has no button without a link; Teams no actions", () => {
    expect(toSlackPayload(m).blocks.map((b) => (b as { type: string }).type)).toEqual(["header", "section", "section", "divider", "section", "context"]);
    const card = (toTeamsPayload(m).attachments as { content: Record<string, unknown> }[])[0].content;
    expect(card.actions).toBeUndefined();
  });
});
