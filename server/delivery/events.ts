import "server-only";
import type { Db } from "@/db/client";
import { enqueue, listChannels } from "@/db/queries/delivery";
import { getDeliveryState, putDeliveryState } from "@/db/queries/delivery-settings";
import { incidentSummaries } from "@/db/queries/dashboard-reads";
import type { DeliveryChannelRow } from "@/db/schema";
import { appLink, reportPath } from "@/lib/delivery/app-url";
import { EVENT_VERSION, type EventEnvelope, type EventType } from "@/lib/delivery/webhooks";
import { computeAnalysis } from "@/server/metrics";
import { resolveAppUrl } from "./app-url";

/** Where event collection got to: the last row seen per table, and the counted set at `fingerprint`. */
interface Cursor {
  closureId: number;
  policyId: number;
  targetId: number;
  fingerprint: string | null;
  counted: number[] | null;
}

const maxId = (db: Db, table: string) => (db.$client.prepare(`SELECT coalesce(max(id), 0) AS m FROM ${table}`).get() as { m: number }).m;

/** Moves whenever something that decides which incidents count may have changed. */
function countingFingerprint(db: Db): string {
  const r = db.$client
    .prepare(
      `SELECT (SELECT coalesce(max(id),0) FROM audit_log) AS a, (SELECT coalesce(max(id),0) FROM import_batches) AS b,
              (SELECT count(*) FROM incidents) AS n, (SELECT coalesce(max(id),0) FROM policy_versions) AS p, (SELECT updated_at FROM settings WHERE id = 1) AS s`,
    )
    .get() as Record<string, number | null>;
  return `${r.a}:${r.b}:${r.n}:${r.p}:${r.s}`;
}

function countedIds(db: Db, now: number): number[] {
  return computeAnalysis(db, { asOf: now })
    .incidents.filter((i) => i.counted)
    .map((i) => Number(i.id))
    .sort((a, b) => a - b);
}

function webhooksFor(channels: DeliveryChannelRow[], type: EventType): DeliveryChannelRow[] {
  return channels.filter((c) => c.kind === "webhook" && c.enabled && Array.isArray(c.config.events) && (c.config.events as string[]).includes(type));
}

interface PendingEvent {
  /** Deterministic: the same change seen twice is the same event. */
  id: string;
  type: EventType;
  data: Record<string, unknown>;
}

/**
 * Derives webhook events from what changed since the last look (closures, publications,
 * policy versions, targets, and which incidents count) and queues each to the webhooks that
 * want it, in the same transaction that moves the cursor: nothing is lost or queued twice.
 * With no webhook the cursor just follows, so adding one does not replay history.
 */
export function collectEvents(db: Db, now: number): number {
  const channels = listChannels(db).filter((c) => c.kind === "webhook" && c.enabled);
  const previous = getDeliveryState(db, "event_cursor") as Cursor | undefined;
  const head = { closureId: maxId(db, "quarter_closures"), policyId: maxId(db, "policy_versions"), targetId: maxId(db, "quarter_targets") };
  // Nothing to do and nothing moved: no write at all (the loop runs in every server, configured or not).
  if (!channels.length && previous && previous.counted === null && previous.closureId === head.closureId && previous.policyId === head.policyId && previous.targetId === head.targetId) return 0;
  if (!channels.length || !previous) {
    const fingerprint = countingFingerprint(db);
    putDeliveryState(db, "event_cursor", { ...head, fingerprint: channels.length ? fingerprint : null, counted: channels.length ? countedIds(db, now) : null } satisfies Cursor, now);
    return 0;
  }
  const appUrl = resolveAppUrl(db);
  const events: PendingEvent[] = [];
  const closures = db.$client
    .prepare(
      `SELECT c.id, c.quarter, c.hours, c.upper_bound_hours AS upperBoundHours, c.target, c.status, c.published, c.closed_at AS closedAt, c.closed_by AS closedBy,
              (SELECT count(*) FROM quarter_closures p WHERE p.quarter = c.quarter AND p.published = 1 AND p.id <= c.id) AS version
       FROM quarter_closures c WHERE c.id > ? ORDER BY c.id`,
    )
    .all(previous.closureId) as { id: number; quarter: string; hours: number; upperBoundHours: number; target: number | null; status: string; published: number; closedAt: number; closedBy: string | null; version: number }[];
  for (const c of closures) {
    const figures = { quarter: c.quarter, hours: c.hours, upperBoundHours: c.upperBoundHours, target: c.target, status: c.status };
    events.push({ id: `quarter.closed:${c.id}`, type: "quarter.closed", data: { ...figures, closedAt: new Date(c.closedAt).toISOString(), closedBy: c.closedBy } });
    if (c.published) events.push({ id: `report.published:${c.id}`, type: "report.published", data: { ...figures, version: c.version, url: appLink(appUrl, reportPath(c.quarter, c.version)) } });
  }
  for (const p of db.$client.prepare("SELECT id, note, created_at AS createdAt, created_by AS createdBy FROM policy_versions WHERE id > ? ORDER BY id").all(previous.policyId) as { id: number; note: string | null; createdAt: number; createdBy: string | null }[]) {
    events.push({ id: `policy.changed:${p.id}`, type: "policy.changed", data: { versionId: p.id, note: p.note, changedAt: new Date(p.createdAt).toISOString(), changedBy: p.createdBy } });
  }
  for (const t of db.$client.prepare("SELECT id, quarter, hours, note, created_at AS createdAt, created_by AS createdBy FROM quarter_targets WHERE id > ? ORDER BY id").all(previous.targetId) as { id: number; quarter: string; hours: number | null; note: string | null; createdAt: number; createdBy: string | null }[]) {
    events.push({ id: `target.changed:${t.id}`, type: "target.changed", data: { quarter: t.quarter, hours: t.hours, note: t.note, changedAt: new Date(t.createdAt).toISOString(), changedBy: t.createdBy } });
  }
  const fingerprint = countingFingerprint(db);
  let counted = previous.counted;
  if (fingerprint !== previous.fingerprint || counted === null) {
    const next = countedIds(db, now);
    if (counted !== null) {
      const before = new Set(counted);
      const after = new Set(next);
      const added = next.filter((id) => !before.has(id));
      const removed = counted.filter((id) => !after.has(id));
      const info = incidentSummaries(db, [...added, ...removed].map(String));
      const incident = (id: number) => ({ incidentId: id, sourceId: info.get(String(id))?.sourceId ?? null, title: info.get(String(id))?.title ?? null, url: appLink(appUrl, `/incidents/${id}`) });
      for (const id of added) events.push({ id: `incident.counted:${id}:${fingerprint}`, type: "incident.counted", data: incident(id) });
      for (const id of removed) events.push({ id: `incident.uncounted:${id}:${fingerprint}`, type: "incident.uncounted", data: incident(id) });
    }
    counted = next;
  }
  return db.transaction((tx) => {
    let queued = 0;
    for (const e of events) {
      const envelope: EventEnvelope = { id: e.id, type: e.type, version: EVENT_VERSION, createdAt: new Date(now).toISOString(), data: e.data };
      for (const ch of webhooksFor(channels, e.type)) {
        if (enqueue(tx, { channelId: ch.id, kind: "event", dedupeKey: `event:${e.id}:channel:${ch.id}`, payload: envelope as unknown as Record<string, unknown>, nextAttemptAt: now, createdAt: now })) queued++;
      }
    }
    putDeliveryState(tx, "event_cursor", { ...head, fingerprint, counted } satisfies Cursor, now);
    return queued;
  });
}

/** Sends an event again (the log's "redeliver"): a new outbox row with the same envelope, so the consumer can dedupe on its id. */
export function redeliverEvent(db: Db, outboxId: number, now: number): number | null {
  const row = db.$client.prepare("SELECT channel_id AS channelId, payload, kind, dedupe_key AS dedupeKey FROM delivery_outbox WHERE id = ?").get(outboxId) as { channelId: number; payload: string; kind: string; dedupeKey: string } | undefined;
  if (!row || row.kind !== "event") return null;
  const ok = enqueue(db, { channelId: row.channelId, kind: "event", dedupeKey: `${row.dedupeKey}:redeliver:${now}`, payload: JSON.parse(row.payload) as Record<string, unknown>, nextAttemptAt: now, createdAt: now });
  return ok ? (db.$client.prepare("SELECT last_insert_rowid() AS id").get() as { id: number }).id : null;
}
