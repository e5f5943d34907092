import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listOutbox, getSchedule } from "@/db/queries/delivery";
import { ValidationError } from "@/lib/api/errors";
import { saveAppUrl } from "@/server/delivery/app-url";
import { saveChannel } from "@/server/delivery/channels";
import { runSchedulerTick } from "@/server/delivery/scheduler";
import { saveSchedule, schedulesWithHistory } from "@/server/delivery/schedules";
import { runSenderPass } from "@/server/delivery/sender";
import { publishReport } from "@/server/report-publish";
import { startFakeReceiver, type FakeReceiver } from "../support/fake-receivers/http";
import { startFakeSmtp, type FakeSmtp } from "../support/fake-receivers/smtp";
import { sharedWorkerTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

const t = sharedWorkerTestDb();
const lead = { id: "u-lead", label: "lead@example.com" };
const DAY = 86_400_000;
// Monday 2026-05-04, 08:00 UTC = 09:00 in London: inside FY2026-Q2 (April–June).
const MONDAY_9_LONDON = Date.parse("2026-05-04T08:00:00Z");
let clock = MONDAY_9_LONDON - 2 * DAY;
let slack: FakeReceiver;
let smtp: FakeSmtp;
let slackId = 0;
let emailId = 0;
const send = () => runSenderPass(t.db, { now: () => clock, timeoutMs: 20_000, databaseUrl: `file:${t.file}` });
type Blocks = { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[] };

beforeAll(async () => {
  [slack, smtp] = await Promise.all([startFakeReceiver(), startFakeSmtp()]);
  saveAppUrl(t.db, "https://ds.example.com", lead);
  slackId = saveChannel(t.db, { kind: "slack", name: "leads", secret: slack.url }, lead).id;
  emailId = saveChannel(t.db, { kind: "email", name: "cto", secret: "", host: "127.0.0.1", port: String(smtp.port), security: "none", from: "ds@example.com", to: "cto@example.com" }, lead).id;
  // FY2026-Q1: a counted incident, so its report has a figure. FY2026-Q2: one counted before the first digest week, one within it, one untriaged.
  addIncident(t.db, { startedAt: Date.parse("2026-02-10T10:00:00Z"), trigger: "change", severity: "SEV1", sourceId: "INC-Q1", title: "Old outage" });
  addIncident(t.db, { startedAt: Date.parse("2026-04-10T10:00:00Z"), resolvedAt: Date.parse("2026-04-10T12:00:00Z"), trigger: "change", severity: "SEV1", sourceId: "INC-APR", title: "April deploy" });
  addIncident(t.db, { startedAt: MONDAY_9_LONDON - 3 * DAY, resolvedAt: MONDAY_9_LONDON - 3 * DAY + 3 * HOUR, trigger: "change", severity: "SEV1", sourceId: "INC-NEW", title: "Checkout deploy broke carts" });
  addIncident(t.db, { startedAt: Date.parse("2026-04-20T10:00:00Z"), trigger: "unknown", severity: "SEV1", sourceId: "INC-OPEN", title: "Unexplained latency" });
});
afterAll(async () => {
  await Promise.all([slack.close(), smtp.close()]);
});

describe("schedules on an injected clock", () => {
  test("bad schedules are refused naming each field; nothing is written", () => {
    let err: unknown;
    try {
      saveSchedule(t.db, { name: "", kind: "hourly", channelIds: [], weekday: "8", hour: "24", timezone: "Mars/Olympus" }, lead, { now: clock });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(Object.fromEntries((err as ValidationError).issues.map((i) => [i.field, i.message]))).toEqual({
      name: "is required",
      kind: "choose the weekly digest or the quarterly report",
      channelIds: "choose at least one channel",
      weekday: "must be a day from Monday to Sunday",
      hour: "must be an hour from 0 to 23",
      timezone: "is not a time zone (an IANA name such as Europe/London or UTC)",
    });
    expect(() => saveSchedule(t.db, { name: "x", kind: "digest", channelIds: ["999"], weekday: "1", hour: "9", timezone: "UTC" }, lead)).toThrow(ValidationError);
    expect(schedulesWithHistory(t.db)).toEqual([]);
  });

  test("a Monday 09:00 London digest fires at that instant, once, with the quarter against budget and forecast, new incidents and the untriaged queue", async () => {
    const s = saveSchedule(t.db, { name: "Weekly", kind: "digest", channelIds: [String(slackId), String(emailId)], weekday: "1", hour: "9", timezone: "Europe/London" }, lead, { now: clock });
    expect(s.nextRunAt).toBe(MONDAY_9_LONDON);
    expect(runSchedulerTick(t.db, MONDAY_9_LONDON - 1)).toBe(0);
    clock = MONDAY_9_LONDON;
    expect(runSchedulerTick(t.db, clock)).toBe(2);
    // A second process (or a restart) ticking at the same moment queues nothing more.
    expect(runSchedulerTick(t.db, clock)).toBe(0);
    expect(getSchedule(t.db, s.id)!.nextRunAt).toBe(MONDAY_9_LONDON + 7 * DAY);
    expect(await send()).toEqual({ sent: 2, retrying: 0, failed: 0 });

    const body = slack.received[0].json as Blocks;
    expect(body.text).toBe("Deploy Safety weekly digest: FY2026-Q2");
    const all = JSON.stringify(body.blocks);
    expect(all).toMatch(/FY2026-Q2 so far: 5\.0 h of customer impact from changes, 37% into the quarter; no target is set\./);
    expect(body.blocks.find((b) => b.fields)!.fields!.map((f) => f.text)).toEqual(["*So far*\n5.0 h", "*Budget so far*\nno target", expect.stringMatching(/^\*Forecast for the quarter\*\n13\.\d h$/), "*Target*\nnone set", expect.stringMatching(/^\*Up to, with untriaged\*/)]);
    // Newly counted: only the incident of the last week, linked under APP_URL.
    expect(all).toMatch(/<https:\/\/ds\.example\.com\/incidents\/\d+\|INC-NEW Checkout deploy broke carts: 3\.0 h>/);
    expect(all).not.toContain("INC-APR");
    expect(all).toMatch(/1 incident waiting for triage/);
    expect(all).toMatch(/Oldest: INC-OPEN Unexplained latency, started .*\(13 days ago\)/);
    expect(smtp.mails[0].text).toContain("INC-NEW Checkout deploy broke carts: 3.0 h <https://ds.example.com/incidents/");
    expect(smtp.mails[0].attachments).toHaveLength(0);

    // A week later: the next digest, "newly counted" now since the last one.
    clock += 7 * DAY;
    expect(runSchedulerTick(t.db, clock)).toBe(2);
    await send();
    expect(slack.received).toHaveLength(2);
    expect(JSON.stringify((slack.received[1].json as Blocks).blocks)).not.toContain("INC-NEW");
    const [{ history }] = schedulesWithHistory(t.db);
    expect(history.map((h) => [h.channelName, h.status, h.attemptLog.length])).toEqual([
      ["cto", "sent", 1],
      ["leads", "sent", 1],
      ["cto", "sent", 1],
      ["leads", "sent", 1],
    ]);
    expect(history[1].attemptLog[0].detail).toBe("Slack accepted it (200 ok)");
  });

  test("a server down for three weeks sends one digest, not three", () => {
    const before = listOutbox(t.db, { limit: 100 }).length;
    clock += 21 * DAY + HOUR;
    expect(runSchedulerTick(t.db, clock)).toBe(2);
    expect(runSchedulerTick(t.db, clock + HOUR)).toBe(0);
    expect(listOutbox(t.db, { limit: 100 }).length).toBe(before + 2);
  });

  test("the quarterly report goes out when published, once, with the PDF attached to email", async () => {
    const s = saveSchedule(t.db, { name: "Reports", kind: "report", channelIds: [String(emailId), String(slackId)], weekday: "1", hour: "9", timezone: "UTC" }, lead, { now: clock });
    await send();
    smtp.mails.length = 0;
    slack.received.length = 0;
    expect(runSchedulerTick(t.db, clock + 1)).toBe(0);
    clock += HOUR;
    publishReport(t.db, "FY2026-Q1", { actor: lead, now: clock, asOf: clock });
    clock += 1000;
    expect(runSchedulerTick(t.db, clock)).toBe(2);
    expect(runSchedulerTick(t.db, clock + 1000)).toBe(0);
    expect(await send()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const mail = smtp.mails[0];
    expect(mail.subject).toBe("Deploy Safety report FY2026-Q1 (version 1)");
    expect(mail.text).toContain("Open the FY2026-Q1 report: https://ds.example.com/reports/FY2026-Q1?version=1");
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([["deploy-safety-FY2026-Q1-v1.pdf", "application/pdf"]]);
    expect(mail.attachments[0].content.subarray(0, 5).toString()).toBe("%PDF-");
    const slackBody = slack.received[0].json as { blocks: { type: string; elements?: { url?: string }[] }[] };
    expect(slackBody.blocks.find((b) => b.type === "actions")!.elements![0].url).toBe("https://ds.example.com/reports/FY2026-Q1?version=1");
    expect(schedulesWithHistory(t.db).find((x) => x.schedule.id === s.id)!.history).toHaveLength(2);
  });
});
