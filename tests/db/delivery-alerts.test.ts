import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setTarget } from "@/db/queries/config";
import { listOutbox } from "@/db/queries/delivery";
import { ValidationError } from "@/lib/api/errors";
import { evaluateAlerts, getAlertsConfig, saveAlertsConfig } from "@/server/delivery/alerts";
import { saveAppUrl } from "@/server/delivery/app-url";
import { saveChannel } from "@/server/delivery/channels";
import { runSenderPass } from "@/server/delivery/sender";
import { startFakeReceiver, type FakeReceiver } from "../support/fake-receivers/http";
import { sharedWorkerTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

const t = sharedWorkerTestDb();
const lead = { id: "u-lead", label: "lead@example.com" };
const DAY = 86_400_000;
const T0 = Date.parse("2026-05-04T08:00:00Z"); // FY2026-Q2, 37% in
let slack: FakeReceiver;
let channelId = 0;
const subjects = () => slack.received.map((r) => (r.json as { text: string }).text);

beforeAll(async () => {
  slack = await startFakeReceiver();
  saveAppUrl(t.db, "https://ds.example.com", lead);
  channelId = saveChannel(t.db, { kind: "slack", name: "alerts", secret: slack.url }, lead).id;
});
afterAll(() => slack.close());

describe("alerts", () => {
  test("bad rules are refused naming each field; nothing is saved", () => {
    let err: unknown;
    try {
      saveAlertsConfig(t.db, { channelIds: [], forecastOverTarget: "on", incidentHours: "-3", untriagedDays: "soon" }, lead);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.field).sort()).toEqual(["incidentHours", "untriagedDays"]);
    expect(() => saveAlertsConfig(t.db, { channelIds: [], forecastOverTarget: "on", incidentHours: "", untriagedDays: "" }, lead)).toThrow(/not saved/);
    expect(getAlertsConfig(t.db)).toEqual({ channelIds: [], forecastOverTarget: false, incidentHours: null, untriagedDays: null });
  });

  test("each rule fires once per cause, however often it is evaluated", async () => {
    saveAlertsConfig(t.db, { channelIds: [String(channelId)], forecastOverTarget: "on", incidentHours: "4", untriagedDays: "7" }, lead);
    setTarget(t.db, "FY2026-Q2", 10, { actor: lead });
    // 6 h so far at 37% of the quarter: the forecast (~16 h) is over the 10 h target; INC-BIG adds 5 h (> 4).
    const big = addIncident(t.db, { startedAt: T0 - 10 * DAY, resolvedAt: T0 - 10 * DAY + 5 * HOUR, trigger: "change", severity: "SEV1", sourceId: "INC-BIG", title: "Big outage" });
    addIncident(t.db, { startedAt: T0 - 9 * DAY, resolvedAt: T0 - 9 * DAY + HOUR, trigger: "change", severity: "SEV1", sourceId: "INC-SMALL" });
    const stale = addIncident(t.db, { startedAt: T0 - 8 * DAY, trigger: "unknown", severity: "SEV3", sourceId: "INC-STALE", title: "Who knows" });
    addIncident(t.db, { startedAt: T0 - 2 * DAY, trigger: "unknown", severity: "SEV3", sourceId: "INC-FRESH" });

    expect(evaluateAlerts(t.db, T0)).toBe(3);
    expect(evaluateAlerts(t.db, T0 + 60_000)).toBe(0);
    expect(evaluateAlerts(t.db, T0 + DAY)).toBe(0);
    await runSenderPass(t.db, { now: () => T0 + DAY, databaseUrl: `file:${t.file}` });
    expect(subjects().sort()).toEqual(["Deploy Safety alert: FY2026-Q2 forecast over target", "Deploy Safety alert: INC-BIG adds 5.0 h", "Deploy Safety alert: INC-STALE untriaged for 8 days"]);
    const byText = (s: string) => JSON.stringify(slack.received.find((r) => (r.json as { text: string }).text.includes(s))!.json);
    expect(byText("INC-BIG")).toContain(`https://ds.example.com/incidents/${big}`);
    expect(byText("INC-STALE")).toContain(`https://ds.example.com/incidents/${stale}`);
    expect(byText("forecast")).toMatch(/FY2026-Q2's forecast is 1\d\.\d h, over its 10\.0 h target \(6\.0 h so far\)/);

    // Another incident crossing the threshold is a new cause; so is INC-FRESH once it is 7 days old.
    addIncident(t.db, { startedAt: T0 - DAY, resolvedAt: T0 - DAY + 6 * HOUR, trigger: "change", severity: "SEV1", sourceId: "INC-BIG2" });
    expect(evaluateAlerts(t.db, T0 + 6 * DAY)).toBe(2);
    expect(listOutbox(t.db, { limit: 50 }).map((r) => (r.payload as { subject: string }).subject)).toContain("Deploy Safety alert: INC-FRESH untriaged for 8 days");
  });

  test("alerts are off with no rule, and a webhook is no channel for them", () => {
    const hook = saveChannel(t.db, { kind: "webhook", name: "hook", url: "https://automation.example.com/h", events: ["quarter.closed"], secret: "" }, lead);
    expect(() => saveAlertsConfig(t.db, { channelIds: [String(hook.id)], forecastOverTarget: "on", incidentHours: "", untriagedDays: "" }, lead)).toThrow(ValidationError);
    saveAlertsConfig(t.db, { channelIds: [String(channelId)], forecastOverTarget: "", incidentHours: "", untriagedDays: "" }, lead);
    expect(evaluateAlerts(t.db, T0 + 30 * DAY)).toBe(0);
  });
});
