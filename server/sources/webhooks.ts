import "server-only";
import type { Db } from "@/db/client";
import { importDeploys } from "@/db/queries/deploys";
import { importIncidents } from "@/db/queries/imports";
import { batchNamed, getSourceByName, recordWebhookReceipt, seenDelivery, storedResolvedAt, type SourceRow } from "@/db/queries/sources";
import { AppError } from "@/lib/api/errors";
import { validateDeployRows } from "@/lib/import/deploys";
import { ImportFileError } from "@/lib/import/input";
import { parseImportText } from "@/lib/import/parse";
import { isPlainObject } from "@/lib/import/sources/paths";
import type { ImportFormat } from "@/lib/import/types";
import { verifyBearer, verifyGenericDeploy, verifyGitHub, verifyPagerDuty, verifyStandardWebhook, withinWindow, type Verdict } from "@/lib/sources/signatures";
import { openSourceSecret } from "./secrets";

/** Payload-dated events (no signed timestamp header) older than this are refused as stale. */
const PAYLOAD_WINDOW_MS = 60 * 60_000;
/** The largest webhook body read. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface WebhookAnswer {
  status: number;
  body: { status: "accepted" | "duplicate" | "ignored" | "rejected"; message: string; created?: number; updated?: number };
}

const reject = (status: number, message: string): WebhookAnswer => ({ status, body: { status: "rejected", message } });

/** What a verified delivery says: its id (for replays), event name, and what to write. */
interface Delivery {
  id: string | null;
  event: string;
  /** The incident object(s) as the vendor's API writes them, for the file reader; or deploy rows. */
  incidents?: { format: ImportFormat; items: Record<string, unknown>[] };
  deploys?: unknown[];
  /** Why nothing is written (an event this app does not read). */
  ignore?: string;
}

class PayloadError extends Error {}

function json(body: string): Record<string, unknown> {
  try {
    const v = JSON.parse(body) as unknown;
    if (isPlainObject(v) || Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new PayloadError("the body is not a JSON object");
}

function stale(eventTime: unknown, now: number, what: string): void {
  const w = withinWindow(eventTime, now, PAYLOAD_WINDOW_MS);
  if (w === null) throw new PayloadError(`${what} is missing or not a time`);
  if (!w) throw new StaleError(`${what} is more than an hour from now (a stale or replayed delivery)`);
}
class StaleError extends Error {}

/** PagerDuty v3: `{event: {id, event_type, resource_type, occurred_at, data: incident}}`. */
function pagerduty(db: Db, body: string, now: number): Delivery {
  const p = json(body);
  const ev = isPlainObject(p.event) ? p.event : null;
  if (!ev || typeof ev.id !== "string" || typeof ev.event_type !== "string") throw new PayloadError('the body is not a PagerDuty v3 event ({"event": {"id", "event_type", ...}})');
  stale(ev.occurred_at, now, "event.occurred_at");
  const data = isPlainObject(ev.data) ? ev.data : null;
  if (ev.resource_type !== "incident" || !data || data.type !== "incident") return { id: ev.id, event: ev.event_type, ignore: "not an incident event" };
  if (typeof data.id !== "string" || typeof data.created_at !== "string") throw new PayloadError("event.data is an incident without id or created_at");
  // The v3 incident is the REST incident with `number` for `incident_number` and no resolved_at.
  const item: Record<string, unknown> = { ...data, incident_number: data.number };
  delete item.number;
  if (data.status === "resolved") {
    const kept = storedResolvedAt(db, "pagerduty", data.id);
    item.resolved_at = ev.event_type === "incident.resolved" || kept === null ? ev.occurred_at : new Date(kept).toISOString();
  }
  return { id: ev.id, event: ev.event_type, incidents: { format: "pagerduty", items: [item] } };
}

/** incident.io: `{event_type: "public_incident.incident_created_v2", "public_incident.incident_created_v2": {...IncidentV2}}`. */
function incidentio(body: string): Delivery {
  const p = json(body);
  const type = typeof p.event_type === "string" ? p.event_type : null;
  if (!type) throw new PayloadError("the body has no event_type");
  const inc = p[type];
  if (!/^public_incident\.incident_(created|updated)_v2$/.test(type)) return { id: null, event: type, ignore: "not an incident created/updated event" };
  if (!isPlainObject(inc) || typeof inc.id !== "string") throw new PayloadError(`the body has no incident under "${type}"`);
  return { id: null, event: type, incidents: { format: "incidentio", items: [inc] } };
}

/** GitHub `deployment_status`: a finished deployment becomes a deploy event (external id per deployment). */
function github(body: string, event: string | null, now: number): Delivery {
  if (!event) throw new PayloadError("the X-GitHub-Event header is missing");
  if (event === "ping") return { id: null, event, ignore: "ping" };
  if (event !== "deployment_status") return { id: null, event, ignore: "only deployment_status events are read" };
  const p = json(body);
  const status = isPlainObject(p.deployment_status) ? p.deployment_status : null;
  const deployment = isPlainObject(p.deployment) ? p.deployment : null;
  const repo = isPlainObject(p.repository) ? p.repository : null;
  if (!status || !deployment || !repo) throw new PayloadError("the body has no deployment_status, deployment or repository");
  stale(status.updated_at ?? status.created_at, now, "deployment_status.updated_at");
  const state = String(status.state ?? "");
  if (!["success", "failure", "error"].includes(state)) return { id: null, event, ignore: `state "${state}" is not a finished deployment` };
  return {
    id: null,
    event,
    deploys: [
      {
        external_id: `github:${String(repo.full_name ?? repo.name)}:${String(deployment.id)}`,
        time: status.created_at,
        started_at: deployment.created_at,
        service: String(repo.name ?? ""),
        deploy_system: "github",
        version: deployment.sha ?? deployment.ref ?? null,
        outcome: state === "success" ? "success" : "failure",
        rollback: false,
      },
    ],
  };
}

/** Argo CD notifications: the body the template renders (docs/sources.md): `{app, revision, phase, finishedAt, ...}`. */
function argocd(body: string, now: number): Delivery {
  const p = json(body);
  if (typeof p.app !== "string" || !p.app) throw new PayloadError('the body has no "app" (see the template in docs/sources.md)');
  stale(p.finishedAt, now, "finishedAt");
  const phase = String(p.phase ?? "Succeeded");
  return {
    id: `argocd:${p.app}:${String(p.revision ?? "")}:${String(p.finishedAt)}`,
    event: `sync ${phase}`,
    deploys: [
      {
        external_id: `argocd:${p.app}:${String(p.revision ?? "")}:${String(p.finishedAt)}`,
        time: p.finishedAt,
        service: typeof p.service === "string" && p.service ? p.service : p.app,
        deploy_system: "argocd",
        version: p.revision ?? null,
        outcome: phase === "Succeeded" ? "success" : "failure",
        rollback: p.rollback === true,
      },
    ],
  };
}

/** The generic deploy webhook: one deploy event (or a list) in the POST /api/deploys fields. */
function genericDeploy(body: string): Delivery {
  const p = json(body);
  const rows = Array.isArray(p) ? p : [p];
  return { id: null, event: "deploy", deploys: rows };
}

function header(h: Headers, name: string): string | null {
  return h.get(name);
}

function verify(source: SourceRow, secret: string, h: Headers, body: string, now: number): Verdict {
  switch (source.kind) {
    case "pagerduty":
      return verifyPagerDuty(body, header(h, "x-pagerduty-signature"), secret);
    case "incidentio":
      return verifyStandardWebhook(body, { id: header(h, "webhook-id"), timestamp: header(h, "webhook-timestamp"), signature: header(h, "webhook-signature") }, secret, now);
    case "github":
      return verifyGitHub(body, header(h, "x-hub-signature-256"), secret);
    case "argocd":
      return verifyBearer(header(h, "authorization"), secret);
    case "deploy-webhook":
      return verifyGenericDeploy(body, { timestamp: header(h, "x-deploy-timestamp"), signature: header(h, "x-deploy-signature") }, secret, now);
    default:
      return { ok: false, reason: `${source.kind} sources take no webhooks` };
  }
}

function read(db: Db, source: SourceRow, h: Headers, body: string, now: number): Delivery {
  switch (source.kind) {
    case "pagerduty":
      return pagerduty(db, body, now);
    case "incidentio":
      return { ...incidentio(body), id: header(h, "webhook-id") };
    case "github":
      return { ...github(body, header(h, "x-github-event"), now), id: header(h, "x-github-delivery") };
    case "argocd":
      return argocd(body, now);
    default: {
      const d = genericDeploy(body);
      return { ...d, id: header(h, "x-deploy-delivery") ?? `${header(h, "x-deploy-timestamp")}:${header(h, "x-deploy-signature")}` };
    }
  }
}

/**
 * One inbound webhook for the source `name`: checks the sender's signature and its time
 * window, then records the delivery and writes what it says in one transaction (incidents into
 * the source's batch of the day, deploys as deploy events). A bad signature or a stale
 * delivery is 401 and writes nothing; a delivery id seen before is acknowledged and writes
 * nothing; a body the source's reader cannot read is 422 and writes nothing.
 */
export async function receiveWebhook(db: Db, name: string, h: Headers, body: string, now = Date.now(), databaseUrl?: string): Promise<WebhookAnswer> {
  const source = getSourceByName(db, name);
  if (!source) return reject(404, `No source named "${name}"`);
  if (!source.enabled) return reject(403, `Source "${name}" is turned off`);
  if (!source.webhookSecret) return reject(401, `Source "${name}" has no webhook secret yet: set one under Settings → Sources`);
  const secret = openSourceSecret(source.webhookSecret, source.name, databaseUrl);
  const verdict = verify(source, secret, h, body, now);
  if (!verdict.ok) return reject(401, `Refused: ${verdict.reason}`);

  let delivery: Delivery;
  try {
    delivery = read(db, source, h, body, now);
  } catch (err) {
    if (err instanceof StaleError) return reject(401, `Refused: ${err.message}`);
    if (err instanceof PayloadError) return reject(422, `The delivery could not be read: ${err.message}`);
    throw err;
  }
  if (delivery.id && seenDelivery(db, source.id, delivery.id)) return { status: 200, body: { status: "duplicate", message: `Delivery ${delivery.id} was received before; nothing written` } };
  const receipt = { sourceId: source.id, deliveryId: delivery.id, event: delivery.event, bytes: Buffer.byteLength(body), receivedAt: now };
  if (delivery.ignore) {
    recordWebhookReceipt(db, { ...receipt, outcome: "ignored", detail: delivery.ignore });
    return { status: 200, body: { status: "ignored", message: `Nothing to write: ${delivery.ignore}` } };
  }
  const actor = { label: `webhook:${source.name}` };
  let parsed: Awaited<ReturnType<typeof parseIncidents>> | null = null;
  try {
    if (delivery.incidents) parsed = await parseIncidents(delivery.incidents.format, delivery.incidents.items);
  } catch (err) {
    if (err instanceof PayloadError) return reject(422, `The delivery could not be read: ${err.message}`);
    throw err;
  }
  try {
    return db.$client.transaction((): WebhookAnswer => {
      if (!recordWebhookReceipt(db, { ...receipt, outcome: "accepted", detail: null })) return { status: 200, body: { status: "duplicate", message: "Received before; nothing written" } };
      if (parsed) {
        const day = new Date(now).toISOString().slice(0, 10);
        const batchId = batchNamed(db, `webhook: ${source.name} ${day}`, parsed.source, parsed.format, actor, now);
        const s = importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, actor, appendTo: batchId, now });
        return { status: 200, body: { status: "accepted", message: `${delivery.event}: ${s.created} created, ${s.updated} updated`, created: s.created, updated: s.updated } };
      }
      const { deploys, errors } = validateDeployRows(delivery.deploys ?? []);
      const s = importDeploys(db, deploys, errors, { actor, source: source.name, now });
      return { status: 200, body: { status: "accepted", message: `${delivery.event}: ${s.created} deploy created, ${s.updated} updated`, created: s.created, updated: s.updated } };
    })();
  } catch (err) {
    if (err instanceof PayloadError || err instanceof ImportFileError) return reject(422, `The delivery could not be read: ${err.message}`);
    if (err instanceof AppError) return reject(422, `The delivery could not be written: ${err.message}${"issues" in err && Array.isArray((err as { issues?: unknown[] }).issues) ? ` (${((err as unknown as { issues: { field: string; message: string }[] }).issues).map((i) => `${i.field}: ${i.message}`).join("; ")})` : ""}`);
    throw err;
  }
}

/** The vendor's incident object(s) through the same reader a file import of its API uses. */
async function parseIncidents(format: ImportFormat, items: Record<string, unknown>[]) {
  let r: Awaited<ReturnType<typeof parseImportText>>;
  try {
    r = await parseImportText(JSON.stringify({ incidents: items }), { format });
  } catch (err) {
    if (err instanceof ImportFileError) throw new PayloadError(err.message);
    throw err;
  }
  if (r.errors.length) throw new PayloadError(r.errors.map((e) => `${e.column}: ${e.reason}`).join("; "));
  return r;
}
