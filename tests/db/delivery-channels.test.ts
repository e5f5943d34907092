import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { attemptsFor, claimOutbox, getChannel, listOutbox } from "@/db/queries/delivery";
import { deliveryChannels, deliveryOutbox } from "@/db/schema";
import { ValidationError } from "@/lib/api/errors";
import type { DeliveryMessage } from "@/lib/delivery/message";
import { saveAppUrl } from "@/server/delivery/app-url";
import { saveChannel, listChannelViews } from "@/server/delivery/channels";
import { queueMessage, queueTest } from "@/server/delivery/queue";
import { backoffMs, MAX_ATTEMPTS, runSenderPass } from "@/server/delivery/sender";
import { startFakeReceiver, type FakeReceiver } from "../support/fake-receivers/http";
import { startFakeSmtp, type FakeSmtp } from "../support/fake-receivers/smtp";
import { sharedWorkerTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

const t = sharedWorkerTestDb();
const admin = { id: "u-admin", label: "admin@example.com" };
const T0 = Date.parse("2026-05-04T08:00:00Z");
let clock = T0;
const now = () => clock;
let slack: FakeReceiver;
let teams: FakeReceiver;
let smtp: FakeSmtp;
const dbUrl = () => `file:${t.file}`;
const pass = (extra: Parameters<typeof runSenderPass>[1] = {}) => runSenderPass(t.db, { now, timeoutMs: 400, databaseUrl: dbUrl(), ...extra });

beforeAll(async () => {
  [slack, teams, smtp] = await Promise.all([startFakeReceiver("/services/T1/B1/x"), startFakeReceiver("/workflows/teams"), startFakeSmtp({ user: "mailer", pass: "smtp-pass-1" })]);
});
afterAll(async () => {
  await Promise.all([slack.close(), teams.close(), smtp.close()]);
});
beforeEach(() => {
  t.db.delete(deliveryOutbox).run();
  t.db.delete(deliveryChannels).run();
  for (const r of [slack, teams]) {
    r.received.length = 0;
    r.script = [];
    r.then = { status: 200, body: "ok" };
  }
  smtp.mails.length = 0;
  smtp.refuse = [];
  clock = T0;
  saveAppUrl(t.db, "https://ds.example.com", admin);
});

const slackChannel = () => saveChannel(t.db, { kind: "slack", name: "sre-slack", secret: slack.url }, admin, { databaseUrl: dbUrl(), now: T0 });
const teamsChannel = () => saveChannel(t.db, { kind: "teams", name: "leads-teams", secret: teams.url }, admin, { databaseUrl: dbUrl(), now: T0 });
const emailChannel = () =>
  saveChannel(
    t.db,
    { kind: "email", name: "leadership-mail", secret: "smtp-pass-1", host: "127.0.0.1", port: String(smtp.port), security: "none", user: "mailer", from: "Deploy Safety <ds@example.com>", to: "cto@example.com, vp@example.com" },
    admin,
    { databaseUrl: dbUrl(), now: T0 },
  );

const message = (over: Partial<DeliveryMessage> = {}): DeliveryMessage => ({
  kind: "digest",
  subject: "Deploy Safety weekly digest: FY2026-Q2",
  headline: "12.0 h so far against a 40.0 h budget <on track> & fine",
  facts: [
    { label: "So far", value: "12.0 h" },
    { label: "Forecast", value: "30.0 h" },
  ],
  sections: [{ title: "Newly counted", lines: [{ text: "INC-7 Checkout down: 3.0 h", url: "https://ds.example.com/incidents/7" }] }],
  link: { label: "Open the dashboard", url: "https://ds.example.com/" },
  ...over,
});

describe("Slack and Teams through local receivers", () => {
  test("a send test reaches Slack as blocks and is logged as sent, with Slack's answer", async () => {
    const ch = slackChannel();
    queueTest(t.db, ch.id, admin, T0);
    expect(slack.received).toHaveLength(0); // queueing never sends
    expect(await pass()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(slack.received).toHaveLength(1);
    const body = slack.received[0].json as { text: string; blocks: { type: string; elements?: { url?: string }[] }[] };
    expect(body.text).toBe("Deploy Safety: test message");
    expect(body.blocks.map((b) => b.type)).toEqual(["header", "section", "actions"]);
    expect(body.blocks[2].elements?.[0].url).toBe("https://ds.example.com/settings/delivery");
    const [row] = listOutbox(t.db);
    expect(row).toMatchObject({ status: "sent", attempts: 1, sentAt: T0 });
    expect(attemptsFor(t.db, [row.id]).get(row.id)).toEqual([expect.objectContaining({ ok: true, code: 200, detail: "Slack accepted it (200 ok)" })]);
    expect(getChannel(t.db, ch.id)).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: T0 });
  });

  test("a digest's blocks carry facts, linked lines and escaped text", async () => {
    const ch = slackChannel();
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "d1", now: T0 });
    await pass();
    const blocks = (slack.received[0].json as { blocks: Record<string, unknown>[] }).blocks;
    expect(JSON.stringify(blocks)).toContain("12.0 h so far against a 40.0 h budget &lt;on track&gt; &amp; fine");
    expect(blocks[2]).toEqual({ type: "section", fields: [{ type: "mrkdwn", text: "*So far*\n12.0 h" }, { type: "mrkdwn", text: "*Forecast*\n30.0 h" }] });
    expect(JSON.stringify(blocks)).toContain("<https://ds.example.com/incidents/7|INC-7 Checkout down: 3.0 h>");
  });

  test("429 with Retry-After, then 503, then success: retried with back-off, three attempts logged, sent once", async () => {
    const ch = slackChannel();
    slack.script = [{ status: 429, body: "rate_limited", headers: { "retry-after": "120" } }, { status: 503, body: "busy" }];
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "d2", now: T0 });
    expect(await pass()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [row] = listOutbox(t.db);
    expect(row).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: T0 + 120_000 });
    clock = T0 + 119_000;
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due yet
    clock = T0 + 120_000;
    expect(await pass()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    [row] = listOutbox(t.db);
    expect(row.nextAttemptAt).toBe(clock + backoffMs(2)); // 60 s after the second failure
    expect(getChannel(t.db, ch.id)!.consecutiveFailures).toBe(2);
    clock += backoffMs(2);
    expect(await pass()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(slack.received).toHaveLength(3);
    const log = attemptsFor(t.db, [row.id]).get(row.id)!;
    expect(log.map((a) => [a.ok, a.code])).toEqual([
      [false, 429],
      [false, 503],
      [true, 200],
    ]);
    expect(log[0].detail).toBe("Slack is rate-limiting (429): rate_limited");
    expect(getChannel(t.db, ch.id)!.consecutiveFailures).toBe(0);
  });

  test("Teams gets an Adaptive Card; a receiver that never answers times out and is retried", async () => {
    const ch = teamsChannel();
    teams.script = [{ hang: true }];
    teams.then = { status: 202, body: "" };
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "d3", now: T0 });
    expect(await pass()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(listOutbox(t.db)[0].lastError).toBe("Teams did not answer within 0.4 s");
    clock += backoffMs(1);
    expect(await pass()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const card = teams.received[1].json as { type: string; attachments: { contentType: string; content: { type: string; body: { type: string }[]; actions: { url: string }[] } }[] };
    expect(card.type).toBe("message");
    expect(card.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.attachments[0].content.type).toBe("AdaptiveCard");
    expect(card.attachments[0].content.body.map((b) => b.type)).toContain("FactSet");
    expect(card.attachments[0].content.actions[0].url).toBe("https://ds.example.com/");
  });

  test("a revoked webhook (404) fails for good with a message saying what to do; the channel shows as failing", async () => {
    const ch = teamsChannel();
    teams.then = { status: 404, body: "Not Found" };
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "d4", now: T0 });
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const [row] = listOutbox(t.db);
    expect(row.status).toBe("failed");
    expect(row.lastError).toMatch(/^Teams refused it \(404 Not Found\): the webhook URL is wrong, revoked/);
    expect(listChannelViews(t.db)[0]).toMatchObject({ consecutiveFailures: 1, lastError: row.lastError });
  });

  test("a receiver that keeps failing is given up on after the last attempt", async () => {
    const ch = slackChannel();
    slack.then = { status: 500, body: "" };
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "d5", now: T0 });
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await pass();
      clock += 3_600_000;
    }
    const [row] = listOutbox(t.db);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(row.lastError).toMatch(/gave up after 8 attempts$/);
    expect(slack.received).toHaveLength(MAX_ATTEMPTS);
  });
});

describe("the outbox never loses or doubles a message", () => {
  test("the same occasion queued twice (a restart, a second process) is one message", () => {
    const ch = slackChannel();
    expect(queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "same", now: T0 })).toBe(1);
    expect(queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "same", now: T0 + 5 })).toBe(0);
    expect(listOutbox(t.db)).toHaveLength(1);
  });

  test("two senders at once: each message goes out once", async () => {
    const ch = slackChannel();
    for (let i = 0; i < 5; i++) queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message({ subject: `m${i}` }), dedupeKey: `m${i}`, now: T0 });
    const [a, b] = await Promise.all([pass({ owner: "process-a" }), pass({ owner: "process-b" })]);
    expect(a.sent + b.sent).toBe(5);
    expect(slack.received.map((r) => (r.json as { text: string }).text).sort()).toEqual(["m0", "m1", "m2", "m3", "m4"]);
  });

  test("a sender that died after claiming: the message waits for its claim to expire, then goes out once", async () => {
    const ch = slackChannel();
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "crash", now: T0 });
    const [row] = listOutbox(t.db);
    expect(claimOutbox(t.db, row.id, "dead-process", T0, T0 + 60_000)).not.toBeNull();
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(slack.received).toHaveLength(0);
    clock = T0 + 60_000;
    expect(await pass()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    clock += 3_600_000;
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(slack.received).toHaveLength(1);
  });
});

describe("email over SMTP", () => {
  test("headers, both bodies and the report PDF arrive at a local SMTP server", async () => {
    const started = Date.now() - 30 * 86_400_000;
    addIncident(t.db, { startedAt: started, resolvedAt: started + 2 * HOUR, trigger: "change", severity: "SEV1", sourceId: "INC-MAIL" });
    const quarter = (await import("@/lib/metric/calendar")).quarterForInstant(Date.now(), (await import("@/db/queries/config")).getSettings(t.db)).id;
    const ch = emailChannel();
    queueMessage(t.db, { channelIds: [ch.id], kind: "report", message: message({ kind: "report", subject: `Deploy Safety report ${quarter}`, attachReport: { quarter, version: null } }), dedupeKey: "r1", now: T0 });
    expect(await pass({ timeoutMs: 20_000 })).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(smtp.envelopes[0]).toEqual(["cto@example.com", "vp@example.com"]);
    expect(mail.subject).toBe(`Deploy Safety report ${quarter}`);
    expect(mail.from?.value).toEqual([{ address: "ds@example.com", name: "Deploy Safety" }]);
    expect(mail.messageId).toMatch(/^<outbox-\d+\.r1-channel-\d+@deploy-safety>$/);
    expect(mail.text).toContain("So far: 12.0 h");
    expect(mail.text).toContain("- INC-7 Checkout down: 3.0 h <https://ds.example.com/incidents/7>");
    expect(mail.html).toContain('<a href="https://ds.example.com/incidents/7">INC-7 Checkout down: 3.0 h</a>');
    expect(mail.html).toContain("&lt;on track&gt; &amp; fine");
    expect(mail.attachments).toHaveLength(1);
    const pdf = mail.attachments[0];
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.filename).toBe(`deploy-safety-${quarter}-live.pdf`);
    expect(pdf.content.subarray(0, 5).toString()).toBe("%PDF-");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-mail-"));
    fs.writeFileSync(path.join(dir, "a.pdf"), pdf.content);
    const text = execFileSync("/usr/bin/pdftotext", [path.join(dir, "a.pdf"), "-"]).toString();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(text).toContain(quarter);
    expect(text).toContain(`https://ds.example.com/reports/${quarter}?view=live`);
  });

  test("451 is retried; 550 is final; a wrong password is final with a message saying so", async () => {
    const ch = emailChannel();
    smtp.refuse = [{ code: 451, message: "try later" }];
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "e1", now: T0 });
    expect(await pass()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    clock += backoffMs(1);
    expect(await pass()).toEqual({ sent: 1, retrying: 0, failed: 0 });

    smtp.refuse = [{ code: 550, message: "no such user" }];
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "e2", now: clock });
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(listOutbox(t.db)[0].lastError).toMatch(/^the SMTP server refused the message \(550/);

    saveChannel(t.db, { kind: "email", name: "leadership-mail", secret: "wrong", host: "127.0.0.1", port: String(smtp.port), security: "none", user: "mailer", from: "ds@example.com", to: "cto@example.com" }, admin, { id: ch.id, databaseUrl: dbUrl() });
    queueMessage(t.db, { channelIds: [ch.id], kind: "digest", message: message(), dedupeKey: "e3", now: clock });
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(listOutbox(t.db)[0].lastError).toMatch(/^the SMTP server refused the user name or password .*fix them under Settings → Delivery$/);
  });
});

describe("channel configuration", () => {
  test("secrets are sealed at rest and never shown; a blank secret on edit keeps the stored one", () => {
    const ch = slackChannel();
    const row = getChannel(t.db, ch.id)!;
    expect(row.secret).toMatch(/^v1\./);
    expect(row.secret).not.toContain("127.0.0.1");
    expect(JSON.stringify(listChannelViews(t.db))).not.toContain(slack.url);
    expect(listChannelViews(t.db)[0]).toMatchObject({ hasSecret: true, config: { host: new URL(slack.url).host } });
    saveChannel(t.db, { kind: "slack", name: "renamed", secret: "" }, admin, { id: ch.id, databaseUrl: dbUrl() });
    expect(getChannel(t.db, ch.id)).toMatchObject({ name: "renamed", secret: row.secret });
  });

  test.each([
    [{ kind: "slack", name: "", secret: "" }, { name: [/is required/], secret: [/is required: paste the incoming webhook/] }],
    [{ kind: "slack", name: "x", secret: "http://hooks.example.com/a" }, { secret: [/must use https/] }],
    [{ kind: "teams", name: "x", secret: "not a url" }, { secret: [/is not a URL/] }],
    [{ kind: "fax", name: "x", secret: "" }, { kind: [/choose Slack, Teams, email or an outgoing webhook/] }],
    [
      { kind: "email", name: "m", secret: "", host: "", port: "99999", security: "tls", user: "", from: "nobody", to: "a@example.com, nope" },
      { host: [/is required/], port: [/from 1 to 65535/], from: [/not an email/], "to.1": [/not an email/] },
    ],
  ])("bad configuration %# is refused naming each field, and nothing is written", (input, expected) => {
    let err: unknown;
    try {
      saveChannel(t.db, input, admin, { databaseUrl: dbUrl() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const byField: Record<string, string[]> = {};
    for (const i of (err as ValidationError).issues) (byField[i.field] ??= []).push(i.message);
    expect(Object.keys(byField).sort()).toEqual(Object.keys(expected).sort());
    for (const [field, patterns] of Object.entries(expected)) for (const p of patterns) expect(byField[field].join(" ")).toMatch(p);
    expect(listChannelViews(t.db)).toEqual([]);
  });
});
