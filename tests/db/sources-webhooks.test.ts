/**
 * Inbound webhooks, signed as each sender documents it (PagerDuty v3 X-PagerDuty-Signature,
 * incident.io's Standard Webhooks headers, GitHub's X-Hub-Signature-256, Argo CD's header,
 * the generic deploy HMAC over timestamp.body), and forged, altered, stale and replayed ones:
 * those get 401 (or an acknowledgement for a replay) and write nothing.
 */
import crypto from "node:crypto";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { listImportBatches } from "@/db/queries/imports";
import { saveSource } from "@/server/sources/manage";
import { receiveWebhook } from "@/server/sources/webhooks";
import { createTestDb } from "../support/db";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const SECRET = "webhook-secret-0123456789abcdef";
const WHSEC = `whsec_${Buffer.from("incident-io-signing-key-bytes!!").toString("base64")}`;
let t: ReturnType<typeof createTestDb>;

const hmacHex = (key: string | Buffer, data: string) => crypto.createHmac("sha256", key).update(data).digest("hex");
const hmacB64 = (key: string | Buffer, data: string) => crypto.createHmac("sha256", key).update(data).digest("base64");
const count = (table: string) => (t.db.$client.prepare(`SELECT COUNT(*) n FROM ${table}`).get() as { n: number }).n;
/** Every table a delivery could write. */
const written = () => ({ incidents: count("incidents"), deploys: count("deploy_events"), receipts: count("webhook_receipts"), batches: count("import_batches") });
const NOTHING = { incidents: 0, deploys: 0, receipts: 0, batches: 0 };

function add(name: string, kind: "pagerduty" | "incidentio" | "github" | "argocd" | "deploy-webhook", secret = SECRET) {
  saveSource(t.db, { name, kind, credential: kind === "pagerduty" || kind === "incidentio" ? "api-key" : undefined, webhookSecret: secret }, { label: "admin" }, { databaseUrl: `file:${t.file}` });
}
const post = (name: string, headers: Record<string, string>, body: string, now = NOW) => receiveWebhook(t.db, name, new Headers(headers), body, now, `file:${t.file}`);

beforeEach(() => {
  t = createTestDb();
});
afterEach(() => t.cleanup());

/** PagerDuty v3 webhook payload (developer.pagerduty.com, "V3 Webhooks": event with event_type, occurred_at and the incident as data). */
function pdEvent(eventType: string, occurredAt: number, status = "triggered", id = "01DEN4HPBQAMZ4V5OBPUUNBGCJ") {
  return JSON.stringify({
    event: {
      id,
      event_type: eventType,
      resource_type: "incident",
      occurred_at: new Date(occurredAt).toISOString(),
      agent: { html_url: "https://acme.pagerduty.com/users/PLH1HKV", id: "PLH1HKV", self: "https://api.pagerduty.com/users/PLH1HKV", summary: "Tenex Engineer", type: "user_reference" },
      client: null,
      data: {
        id: "PGR0VU2",
        type: "incident",
        self: "https://api.pagerduty.com/incidents/PGR0VU2",
        html_url: "https://acme.pagerduty.com/incidents/PGR0VU2",
        number: 2,
        status,
        incident_key: "d3640fbd41094207a1c11e58e46b1662",
        created_at: "2026-03-01T11:30:00Z",
        title: "Checkout returns 502",
        service: { html_url: "https://acme.pagerduty.com/services/PF9KMXH", id: "PF9KMXH", self: "https://api.pagerduty.com/services/PF9KMXH", summary: "Checkout", type: "service_reference" },
        assignees: [],
        escalation_policy: { html_url: "https://acme.pagerduty.com/escalation_policies/PC", id: "PC", self: "https://api.pagerduty.com/escalation_policies/PC", summary: "Default", type: "escalation_policy_reference" },
        teams: [],
        priority: { html_url: "https://acme.pagerduty.com/account/incident_priorities", id: "PSO75BM", self: "https://api.pagerduty.com/priorities/PSO75BM", summary: "P1", type: "priority_reference" },
        urgency: "high",
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  });
}

describe("PagerDuty v3", () => {
  const sign = (body: string, secret = SECRET) => ({ "x-pagerduty-signature": `v1=${hmacHex(secret, body)}`, "content-type": "application/json" });

  test("a signed incident event upserts the incident into the day's webhook batch; resolved sets the end", async () => {
    add("pd", "pagerduty");
    const triggered = pdEvent("incident.triggered", NOW - 60_000, "triggered", "ev-1");
    expect(await post("pd", sign(triggered), triggered)).toEqual({ status: 200, body: { status: "accepted", message: "incident.triggered: 1 created, 0 updated", created: 1, updated: 0 } });
    const resolved = pdEvent("incident.resolved", NOW, "resolved", "ev-2");
    // Two signatures while a secret rotates: one match is enough.
    const h = { "x-pagerduty-signature": `v1=${hmacHex("old-secret", resolved)},v1=${hmacHex(SECRET, resolved)}` };
    expect((await post("pd", h, resolved)).body).toMatchObject({ status: "accepted", updated: 1 });
    const inc = t.db.$client.prepare("SELECT source, source_id, title, severity, status, started_at, resolved_at FROM incidents").get();
    expect(inc).toEqual({ source: "pagerduty", source_id: "PGR0VU2", title: "Checkout returns 502", severity: "P1", status: "resolved", started_at: Date.parse("2026-03-01T11:30:00Z"), resolved_at: NOW });
    expect(listImportBatches(t.db)).toHaveLength(1);
    expect(listImportBatches(t.db)[0].fileName).toBe("webhook: pd 2026-03-01");
    expect(t.db.$client.prepare("SELECT delivery_id, event, outcome FROM webhook_receipts ORDER BY id").all()).toEqual([
      { delivery_id: "ev-1", event: "incident.triggered", outcome: "accepted" },
      { delivery_id: "ev-2", event: "incident.resolved", outcome: "accepted" },
    ]);
  });

  test("forged, altered, stale and unsigned deliveries get 401 and write nothing; a replay writes nothing", async () => {
    add("pd", "pagerduty");
    const body = pdEvent("incident.triggered", NOW);
    expect(await post("pd", sign(body, "guessed-secret"), body)).toEqual({ status: 401, body: { status: "rejected", message: "Refused: the signature does not match (wrong secret, or the body was altered)" } });
    expect((await post("pd", sign(body), body.replace("Checkout returns 502", "Nothing to see"))).status).toBe(401);
    expect((await post("pd", {}, body)).body.message).toBe("Refused: the X-PagerDuty-Signature header is missing");
    const old = pdEvent("incident.triggered", NOW - 2 * 3_600_000);
    expect(await post("pd", sign(old), old)).toEqual({ status: 401, body: { status: "rejected", message: "Refused: event.occurred_at is more than an hour from now (a stale or replayed delivery)" } });
    expect(written()).toEqual(NOTHING);
    expect((await post("pd", sign(body), body)).body.status).toBe("accepted");
    const before = written();
    expect(await post("pd", sign(body), body)).toEqual({ status: 200, body: { status: "duplicate", message: "Delivery 01DEN4HPBQAMZ4V5OBPUUNBGCJ was received before; nothing written" } });
    expect(written()).toEqual(before);
  });

  test("a signed body that is not an event is 422 and writes nothing", async () => {
    add("pd", "pagerduty");
    for (const body of ["not json", JSON.stringify({ messages: [] })]) {
      const r = await post("pd", sign(body), body);
      expect(r.status).toBe(422);
      expect(r.body.message).toMatch(/^The delivery could not be read: /);
    }
    expect(written()).toEqual(NOTHING);
  });
});

describe("incident.io (Standard Webhooks)", () => {
  const incident = (id: string) => ({
    id,
    reference: "INC-7",
    name: "Payments failing for EU cards",
    created_at: "2026-03-01T11:00:00Z",
    updated_at: "2026-03-01T11:50:00Z",
    permalink: "https://app.incident.io/acme/incidents/7",
    mode: "standard",
    visibility: "public",
    severity: { id: "01S", name: "Critical", rank: 2, description: "", created_at: "2023-10-24T09:27:22.679Z", updated_at: "2023-10-24T09:27:22.679Z" },
    incident_status: { id: "01T", name: "Closed", category: "closed", rank: 4, description: "", created_at: "2023-10-24T09:27:22.679Z", updated_at: "2023-10-24T09:27:22.679Z" },
    incident_timestamp_values: [
      { incident_timestamp: { id: "01A", name: "Reported at", rank: 0 }, value: { value: "2026-03-01T11:00:00Z" } },
      { incident_timestamp: { id: "01B", name: "Resolved at", rank: 5 }, value: { value: "2026-03-01T11:45:00Z" } },
    ],
    custom_field_entries: [],
  });
  const body = (type = "public_incident.incident_updated_v2") => JSON.stringify({ event_type: type, [type]: incident("01HZINC0000000000000000007") });
  const sign = (b: string, id = "msg_2Lh9KsaSm6Z7ha9Kp9XcJ", ts = Math.floor(NOW / 1000), secret = WHSEC) => ({
    "webhook-id": id,
    "webhook-timestamp": String(ts),
    "webhook-signature": `v1,${hmacB64(Buffer.from(secret.slice(6), "base64"), `${id}.${ts}.${b}`)}`,
  });

  test("a signed update upserts the incident", async () => {
    add("inc", "incidentio", WHSEC);
    const b = body();
    expect((await post("inc", sign(b), b)).body).toMatchObject({ status: "accepted", created: 1 });
    expect(t.db.$client.prepare("SELECT source, title, severity, resolved_at FROM incidents").get()).toEqual({ source: "incident.io", title: "Payments failing for EU cards", severity: "Critical", resolved_at: Date.parse("2026-03-01T11:45:00Z") });
  });

  test("forged, stale and replayed deliveries write nothing", async () => {
    add("inc", "incidentio", WHSEC);
    const b = body();
    const forged = sign(b, "msg_1", Math.floor(NOW / 1000), `whsec_${Buffer.from("not the key").toString("base64")}`);
    expect((await post("inc", forged, b)).status).toBe(401);
    const stale = sign(b, "msg_2", Math.floor(NOW / 1000) - 600);
    expect(await post("inc", stale, b)).toEqual({ status: 401, body: { status: "rejected", message: "Refused: webhook-timestamp is more than 300 s from now (a stale or replayed delivery)" } });
    // The id is signed: moving a signature to another id fails.
    const moved = { ...sign(b, "msg_3"), "webhook-id": "msg_4" };
    expect((await post("inc", moved, b)).status).toBe(401);
    expect(written()).toEqual(NOTHING);
    const good = sign(b, "msg_5");
    expect((await post("inc", good, b)).body.status).toBe("accepted");
    const after = written();
    expect((await post("inc", good, b, NOW + 60_000)).body.status).toBe("duplicate");
    expect(written()).toEqual(after);
  });

  test("other events are acknowledged and recorded as ignored", async () => {
    add("inc", "incidentio", WHSEC);
    const b = JSON.stringify({ event_type: "public_incident.follow_up_created_v1", "public_incident.follow_up_created_v1": { id: "f1" } });
    expect((await post("inc", sign(b), b)).body.status).toBe("ignored");
    expect(written()).toEqual({ ...NOTHING, receipts: 1 });
  });
});

describe("GitHub deployment_status", () => {
  /** GitHub's deployment_status webhook payload (docs.github.com, "Webhook events and payloads"). */
  const payload = (state: string, at: number) =>
    JSON.stringify({
      action: "created",
      deployment_status: { id: 1, state, environment: "production", created_at: new Date(at).toISOString(), updated_at: new Date(at).toISOString(), description: "" },
      deployment: { id: 42, sha: "a10867b14bb761a232cd80139fbd4c0d33264240", ref: "main", task: "deploy", environment: "production", created_at: new Date(at - 300_000).toISOString(), updated_at: new Date(at).toISOString() },
      repository: { id: 1296269, name: "checkout", full_name: "acme/checkout" },
      sender: { login: "octocat", id: 1 },
    });
  const sign = (b: string, event = "deployment_status", delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958", secret = SECRET) => ({ "x-github-event": event, "x-github-delivery": delivery, "x-hub-signature-256": `sha256=${hmacHex(secret, b)}` });

  test("a finished deployment becomes a deploy event; in_progress is ignored", async () => {
    add("gh", "github");
    const progress = payload("in_progress", NOW - 60_000);
    expect((await post("gh", sign(progress, "deployment_status", "d-1"), progress)).body.status).toBe("ignored");
    const done = payload("success", NOW);
    expect((await post("gh", sign(done, "deployment_status", "d-2"), done)).body).toMatchObject({ status: "accepted", created: 1 });
    expect(t.db.$client.prepare("SELECT external_id, service, deploy_system, version, outcome, finished_at FROM deploy_events").get()).toEqual({
      external_id: "github:acme/checkout:42",
      service: "checkout",
      deploy_system: "github",
      version: "a10867b14bb761a232cd80139fbd4c0d33264240",
      outcome: "success",
      finished_at: NOW,
    });
  });

  test("forged, stale and replayed deliveries write nothing", async () => {
    add("gh", "github");
    const b = payload("failure", NOW);
    expect((await post("gh", sign(b, "deployment_status", "d-1", "wrong"), b)).status).toBe(401);
    expect((await post("gh", { "x-github-event": "deployment_status", "x-hub-signature-256": "sha1=abc" }, b)).body.message).toBe("Refused: X-Hub-Signature-256 is not sha256=<hex>");
    const old = payload("failure", NOW - 3 * 3_600_000);
    expect((await post("gh", sign(old, "deployment_status", "d-2"), old)).status).toBe(401);
    expect(written()).toEqual(NOTHING);
    expect((await post("gh", sign(b, "deployment_status", "d-3"), b)).body.status).toBe("accepted");
    const after = written();
    expect((await post("gh", sign(b, "deployment_status", "d-3"), b)).body.status).toBe("duplicate");
    expect(written()).toEqual(after);
  });
});

describe("Argo CD notifications", () => {
  const body = (at: number, phase = "Succeeded") => JSON.stringify({ app: "checkout", revision: "9f2c1e0", phase, finishedAt: new Date(at).toISOString() });

  test("a sync with the shared header becomes a deploy event; a wrong header or a stale one is refused", async () => {
    add("argo", "argocd");
    expect((await post("argo", { authorization: "Bearer nope" }, body(NOW))).status).toBe(401);
    expect((await post("argo", { authorization: `Bearer ${SECRET}` }, body(NOW - 2 * 3_600_000))).status).toBe(401);
    expect(written()).toEqual(NOTHING);
    expect((await post("argo", { authorization: `Bearer ${SECRET}` }, body(NOW, "Failed"))).body).toMatchObject({ status: "accepted", created: 1 });
    expect(t.db.$client.prepare("SELECT service, deploy_system, outcome FROM deploy_events").get()).toEqual({ service: "checkout", deploy_system: "argocd", outcome: "failure" });
    expect((await post("argo", { authorization: `Bearer ${SECRET}` }, body(NOW, "Failed"))).body.status).toBe("duplicate");
    expect(count("deploy_events")).toBe(1);
  });
});

describe("generic deploy webhook", () => {
  const sign = (b: string, ts = Math.floor(NOW / 1000), secret = SECRET) => ({ "x-deploy-timestamp": String(ts), "x-deploy-signature": `sha256=${hmacHex(secret, `${ts}.${b}`)}` });
  const deploy = JSON.stringify({ time: "2026-03-01T11:58:00Z", service: "payments", deploy_system: "spinnaker", version: "v2.3.1", outcome: "success", external_id: "spin-991" });

  test("HMAC over timestamp.body: accepted once; forged, stale, replayed and invalid ones write nothing", async () => {
    add("deploys", "deploy-webhook");
    expect((await post("deploys", sign(deploy, Math.floor(NOW / 1000), "wrong"), deploy)).status).toBe(401);
    // The timestamp is signed: a fresh timestamp on an old signature fails.
    expect((await post("deploys", { ...sign(deploy, Math.floor(NOW / 1000) - 30), "x-deploy-timestamp": String(Math.floor(NOW / 1000)) }, deploy)).status).toBe(401);
    expect((await post("deploys", sign(deploy, Math.floor(NOW / 1000) - 3600), deploy)).status).toBe(401);
    const bad = JSON.stringify({ time: "yesterday", service: "" });
    const r = await post("deploys", sign(bad), bad);
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/^The delivery could not be written: /);
    expect(written()).toEqual(NOTHING);
    expect((await post("deploys", sign(deploy), deploy)).body).toMatchObject({ status: "accepted", created: 1 });
    expect((await post("deploys", sign(deploy), deploy)).body.status).toBe("duplicate");
    expect(count("deploy_events")).toBe(1);
  });
});

test("an unknown source is 404, a source without a webhook secret 401, both writing nothing", async () => {
  expect((await post("nobody", {}, "{}")).status).toBe(404);
  saveSource(t.db, { name: "pd", kind: "pagerduty", credential: "k" }, { label: "admin" }, { databaseUrl: `file:${t.file}` });
  expect(await post("pd", {}, "{}")).toEqual({ status: 401, body: { status: "rejected", message: 'Source "pd" has no webhook secret yet: set one under Settings → Sources' } });
  expect(written()).toEqual(NOTHING);
});
