import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getCurrentPolicy, savePolicyVersion, setTarget } from "@/db/queries/config";
import { updateCuration } from "@/db/queries/curation";
import { attemptsFor, getChannel, listOutbox } from "@/db/queries/delivery";
import { ValidationError } from "@/lib/api/errors";
import { signatureHeader, verifySignature, type EventEnvelope } from "@/lib/delivery/webhooks";
import { saveAppUrl } from "@/server/delivery/app-url";
import { saveChannel } from "@/server/delivery/channels";
import { collectEvents } from "@/server/delivery/events";
import { queueTest, retryMessage } from "@/server/delivery/queue";
import { backoffMs, runSenderPass } from "@/server/delivery/sender";
import { publishReport } from "@/server/report-publish";
import { startFakeReceiver, type FakeReceiver } from "../support/fake-receivers/http";
import { sharedWorkerTestDb } from "../support/db";
import { addIncident } from "./incidents-helpers";

const t = sharedWorkerTestDb();
const admin = { id: "u-admin", label: "admin@example.com" };
const T0 = Date.parse("2026-05-04T08:00:00Z");
let clock = T0;
let hook: FakeReceiver;
let secret = "";
let channelId = 0;
const send = () => runSenderPass(t.db, { now: () => clock, timeoutMs: 2000, databaseUrl: `file:${t.file}` });
const events = () => hook.received.map((r) => r.json as EventEnvelope);

beforeAll(async () => {
  hook = await startFakeReceiver("/consumer");
  saveAppUrl(t.db, "https://ds.example.com", admin);
  addIncident(t.db, { startedAt: Date.parse("2026-02-10T10:00:00Z"), trigger: "change", severity: "SEV1", sourceId: "INC-1" });
});
afterAll(() => hook.close());

describe("outgoing webhooks", () => {
  test("a bad webhook is refused naming its fields; a good one gets a generated secret shown once and sealed", () => {
    expect(() => saveChannel(t.db, { kind: "webhook", name: "auto", url: "ftp://x", events: ["incident.exploded"], secret: "short" }, admin)).toThrow(ValidationError);
    try {
      saveChannel(t.db, { kind: "webhook", name: "auto", url: "ftp://x", events: [], secret: "short" }, admin);
    } catch (e) {
      expect(Object.fromEntries((e as ValidationError).issues.map((i) => [i.field, i.message]))).toEqual({
        url: "must use https (http only on 127.0.0.1 or localhost)",
        events: "choose at least one event",
        secret: "must be at least 16 characters (or leave it blank to have one generated)",
      });
    }
    const view = saveChannel(t.db, { kind: "webhook", name: "automation", url: hook.url, events: ["incident.counted", "incident.uncounted", "quarter.closed", "report.published", "policy.changed", "target.changed"], secret: "" }, admin);
    expect(view.generatedSecret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    secret = view.generatedSecret!;
    channelId = view.id;
    expect(getChannel(t.db, view.id)!.secret).not.toContain(secret);
    expect(JSON.stringify(view)).not.toContain(getChannel(t.db, view.id)!.secret);
  });

  test("the first look only sets the cursor: adding a webhook does not replay history", () => {
    expect(collectEvents(t.db, clock)).toBe(0);
    expect(collectEvents(t.db, clock)).toBe(0);
    expect(listOutbox(t.db)).toHaveLength(0);
  });

  test("each change becomes one signed, versioned event; a second look (or process) queues nothing more", async () => {
    setTarget(t.db, "FY2026-Q2", 40, { actor: admin, note: "first target" });
    savePolicyVersion(t.db, getCurrentPolicy(t.db).policy, { note: "same rules, new version", actor: admin });
    publishReport(t.db, "FY2026-Q1", { actor: admin, now: clock, asOf: clock });
    const counted = addIncident(t.db, { startedAt: Date.parse("2026-04-20T10:00:00Z"), resolvedAt: Date.parse("2026-04-20T12:00:00Z"), trigger: "change", severity: "SEV1", sourceId: "INC-2", title: "Deploy broke search" });
    clock += 1000;
    expect(collectEvents(t.db, clock)).toBe(5);
    expect(collectEvents(t.db, clock + 1)).toBe(0);
    expect(await send()).toEqual({ sent: 5, retrying: 0, failed: 0 });
    const got = events();
    expect(got.map((e) => e.type).sort()).toEqual(["incident.counted", "policy.changed", "quarter.closed", "report.published", "target.changed"]);
    expect(got.every((e) => e.version === 1 && e.createdAt === new Date(clock).toISOString())).toBe(true);
    expect(got.find((e) => e.type === "incident.counted")!.data).toEqual({ incidentId: counted, sourceId: "INC-2", title: "Deploy broke search", url: `https://ds.example.com/incidents/${counted}` });
    expect(got.find((e) => e.type === "report.published")!.data).toMatchObject({ quarter: "FY2026-Q1", version: 1, url: "https://ds.example.com/reports/FY2026-Q1?version=1" });
    expect(got.find((e) => e.type === "target.changed")!.data).toMatchObject({ quarter: "FY2026-Q2", hours: 40 });

    // The signature verifies over the exact body received, with the secret shown once; a changed body or an old timestamp does not.
    for (const r of hook.received) {
      const header = String(r.headers["deploy-safety-signature"]);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(r.headers["deploy-safety-event"]).toBe((r.json as EventEnvelope).type);
      expect(verifySignature(secret, header, r.body, Math.floor(clock / 1000))).toBe(true);
      expect(verifySignature(secret, header, `${r.body} `, Math.floor(clock / 1000))).toBe(false);
      expect(verifySignature("whsec_wrong", header, r.body, Math.floor(clock / 1000))).toBe(false);
      expect(verifySignature(secret, header, r.body, Math.floor(clock / 1000) + 301)).toBe(false);
    }
    expect(signatureHeader("s3cret", '{"a":1}', 1700000000)).toBe(`t=1700000000,v1=${(await import("node:crypto")).createHmac("sha256", "s3cret").update('1700000000.{"a":1}').digest("hex")}`);

    // Uncounting: triaged as not change-triggered.
    updateCuration(t.db, counted, { trigger: "other" }, { actor: admin });
    clock += 1000;
    expect(collectEvents(t.db, clock)).toBe(1);
    await send();
    expect(events().at(-1)).toMatchObject({ type: "incident.uncounted", data: { incidentId: counted } });
  });

  test("5xx and time-outs are retried with back-off; redeliver sends the same event id again", async () => {
    hook.received.length = 0;
    hook.script = [{ status: 502 }, { hang: true }];
    setTarget(t.db, "FY2026-Q3", 30, { actor: admin, note: "q3" });
    clock += 1000;
    expect(collectEvents(t.db, clock)).toBe(1);
    expect(await send()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    clock += backoffMs(1);
    expect(await send()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    clock += backoffMs(2);
    expect(await send()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const [row] = listOutbox(t.db);
    expect(attemptsFor(t.db, [row.id]).get(row.id)!.map((a) => a.detail)).toEqual([
      "The webhook failed (502)",
      "The webhook did not answer within 2 s",
      "The webhook accepted it (200 ok)",
    ]);
    // Each attempt is signed when sent.
    const stamps = hook.received.map((r) => String(r.headers["deploy-safety-signature"]).split(",")[0]);
    expect(new Set(stamps).size).toBe(3);

    expect(retryMessage(t.db, row.id, admin, clock)).toBe("redelivered");
    await send();
    const ids = hook.received.map((r) => (r.json as EventEnvelope).id);
    expect(ids.at(-1)).toBe(ids[0]);
    expect(hook.received).toHaveLength(4);
  });

  test("send test posts a signed ping", async () => {
    hook.received.length = 0;
    queueTest(t.db, channelId, admin, clock);
    await send();
    expect(events()[0]).toMatchObject({ type: "ping", version: 1, data: { channel: "automation" } });
    expect(verifySignature(secret, String(hook.received[0].headers["deploy-safety-signature"]), hook.received[0].body, Math.floor(clock / 1000))).toBe(true);
  });
});
