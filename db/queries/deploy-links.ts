import "server-only";
import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deployEvents, incidentCuration, incidentDeployLinks, incidents, settings as settingsTable, type DeployLinkKind } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { DEFAULT_DORA_SETTINGS, type DoraDeploy, type DoraLink } from "@/lib/metric/dora";
import { recordAudit } from "./audit";
import type { DeployRow } from "./deploys";

/** How the change figures are worked out (settings page, DORA.md). */
export interface ChangeSettings {
  /** Hours before an incident in which its services' deploys are offered as the causing change. */
  causeWindowHours: number;
  /** A rollback rolls back the service's latest deployment at most this many hours earlier. */
  rollbackWindowHours: number;
}

export function getChangeSettings(db: Db): ChangeSettings {
  const row = db
    .select({ causeWindowHours: settingsTable.causeWindowHours, rollbackWindowHours: settingsTable.rollbackWindowHours })
    .from(settingsTable)
    .where(eq(settingsTable.id, 1))
    .get();
  return row ?? { causeWindowHours: 24, rollbackWindowHours: DEFAULT_DORA_SETTINGS.rollbackWindowHours };
}

export interface IncidentDeployLink {
  kind: DeployLinkKind;
  deploy: DeployRow;
  createdAt: number;
  createdBy: string | null;
}

/** An incident's confirmed links, causes first, each kind in deploy time order. */
export function listIncidentDeployLinks(db: Db, incidentId: number): IncidentDeployLink[] {
  return db
    .select({ kind: incidentDeployLinks.kind, deploy: deployEvents, createdAt: incidentDeployLinks.createdAt, createdBy: incidentDeployLinks.createdBy })
    .from(incidentDeployLinks)
    .innerJoin(deployEvents, eq(deployEvents.id, incidentDeployLinks.deployId))
    .where(eq(incidentDeployLinks.incidentId, incidentId))
    .orderBy(asc(incidentDeployLinks.kind), asc(deployEvents.finishedAt), asc(deployEvents.id))
    .all();
}

/** A deploy as the audit trail names it: service, version and the tool's id (else ours). */
function auditName(d: { id: number; service: string; version: string | null; externalId: string | null }): string {
  return `${d.service}${d.version ? ` ${d.version}` : ""} (${d.externalId ?? `#${d.id}`})`;
}

/** The audit action of a change to each kind of link. */
export const DEPLOY_LINK_AUDIT = { cause: "incident.causes", remediation: "incident.remediations" } as const satisfies Record<DeployLinkKind, string>;

export interface SetDeployLinksInput {
  incidentId: number;
  kind: DeployLinkKind;
  /** The whole set of this kind after the change; empty removes them all. */
  deployIds: readonly number[];
  actor: AuditActor;
  now?: number;
}

/**
 * Replaces an incident's confirmed links of one kind with `deployIds`, in one transaction,
 * and audits `incident.causes` or `incident.remediations` with the before and after sets
 * (an empty set of causes is audited even when nothing changed: "none of these"). A deploy that does
 * not exist is a ValidationError naming it (nothing written); an unknown incident a
 * NotFoundError. Returns the sets before and after (sorted ids).
 */
export function setIncidentDeployLinks(db: Db, input: SetDeployLinksInput): { before: number[]; after: number[] } {
  const wanted = [...new Set(input.deployIds)].sort((a, b) => a - b);
  const now = input.now ?? Date.now();
  return db.transaction((tx) => {
    if (!tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, input.incidentId)).get()) {
      throw new NotFoundError(`no incident with id ${input.incidentId}`);
    }
    if (wanted.length) {
      const found = new Set(tx.select({ id: deployEvents.id }).from(deployEvents).where(inArray(deployEvents.id, wanted)).all().map((r) => r.id));
      const missing = wanted.filter((id) => !found.has(id));
      if (missing.length) {
        throw new ValidationError(`no deploy event with id ${missing.join(", ")}`, [{ field: "deployIds", message: `no deploy event with id ${missing.join(", ")}` }]);
      }
    }
    const mine = and(eq(incidentDeployLinks.incidentId, input.incidentId), eq(incidentDeployLinks.kind, input.kind));
    const before = tx
      .select({ id: incidentDeployLinks.deployId })
      .from(incidentDeployLinks)
      .where(mine)
      .all()
      .map((r) => r.id)
      .sort((a, b) => a - b);
    // An empty set of causes is a decision too ("none of these"): recorded even when nothing was linked.
    if (before.join() === wanted.join() && !(input.kind === "cause" && wanted.length === 0)) return { before, after: wanted };
    const gone = before.filter((id) => !wanted.includes(id));
    const added = wanted.filter((id) => !before.includes(id));
    if (gone.length) tx.delete(incidentDeployLinks).where(and(mine, inArray(incidentDeployLinks.deployId, gone))).run();
    if (added.length) {
      tx.insert(incidentDeployLinks)
        .values(added.map((deployId) => ({ incidentId: input.incidentId, deployId, kind: input.kind, createdAt: now, createdBy: input.actor.label })))
        .run();
    }
    // The trail names each deploy as a person knows it, not only by row id.
    const named = (ids: number[]) =>
      ids.length
        ? tx
            .select({ id: deployEvents.id, service: deployEvents.service, version: deployEvents.version, externalId: deployEvents.externalId })
            .from(deployEvents)
            .where(inArray(deployEvents.id, ids))
            .all()
            .map(auditName)
        : [];
    recordAudit(tx, {
      actor: input.actor,
      action: DEPLOY_LINK_AUDIT[input.kind],
      entityType: "incident",
      entityId: input.incidentId,
      before: { kind: input.kind, deployIds: before },
      after: { kind: input.kind, deployIds: wanted },
      detail: { added: named(added), removed: named(gone) },
      at: now,
    });
    return { before, after: wanted };
  });
}

/**
 * Changes whenever a deploy event is added, changed (an import's upsert is audited) or
 * removed, or a link is confirmed or withdrawn (audited too): cheap reads only, so a page
 * can ask on every render whether the figures it keeps are still current.
 */
export function deployDataFingerprint(db: Db): string {
  const row = db.$client
    .prepare(
      `SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM deploy_events),
              (SELECT coalesce(max(id), 0) FROM audit_log WHERE action IN ('deploys.import', 'incident.causes', 'incident.remediations', 'demo.load', 'demo.remove')),
              (SELECT count(*) FROM incident_deploy_links),
              (SELECT cause_window_hours || ':' || rollback_window_hours FROM settings WHERE id = 1)`,
    )
    .raw()
    .get() as unknown[];
  return row.join("|");
}

/**
 * Every deploy event as the change figures read it, in time order (the order the engine
 * walks; it then sorts nothing). Raw rows: a million of them load without an object per
 * column from the driver.
 */
export function loadDoraDeploys(db: Db): DoraDeploy[] {
  const rows = db.$client
    .prepare(`SELECT id, service, finished_at, is_rollback, deploy_system FROM deploy_events ORDER BY finished_at, id`)
    .raw()
    .all() as [number, string, number, number, string | null][];
  const out: DoraDeploy[] = new Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    out[k] = { id: String(r[0]), service: r[1], finishedAt: r[2], isRollback: r[3] === 1, system: r[4] };
  }
  return out;
}

/**
 * Confirmed links as the engine reads them (ids as strings, like the engine's incident ids).
 * An incident's "linked deploy" (accepted from a suggestion on its page or in triage)
 * counts as a confirmed cause too.
 */
export function loadDoraLinks(db: Db): { causes: DoraLink[]; remediations: DoraLink[] } {
  const causes: DoraLink[] = [];
  const remediations: DoraLink[] = [];
  const seen = new Set<string>();
  for (const r of db.select().from(incidentDeployLinks).all()) {
    const link = { incidentId: String(r.incidentId), deployId: String(r.deployId) };
    if (r.kind === "remediation") remediations.push(link);
    else {
      causes.push(link);
      seen.add(`${link.incidentId}:${link.deployId}`);
    }
  }
  const linked = db
    .select({ incidentId: incidentCuration.incidentId, deployId: incidentCuration.linkedDeployId })
    .from(incidentCuration)
    .where(isNotNull(incidentCuration.linkedDeployId))
    .all();
  for (const r of linked) {
    const link = { incidentId: String(r.incidentId), deployId: String(r.deployId) };
    if (!seen.has(`${link.incidentId}:${link.deployId}`)) causes.push(link);
  }
  return { causes, remediations };
}

/** The earliest deploy's finish (epoch ms), or null when there is none: where a period's "All" starts. */
export function earliestDeployAt(db: Db): number | null {
  const row = db.$client.prepare("SELECT min(finished_at) AS t FROM deploy_events").get() as { t: number | null };
  return row.t;
}

/** Confirmed deploy ids per incident for `incidentIds` (the exports' columns); incidents without links are absent. */
export function deployLinksByIncident(db: Db, incidentIds: readonly number[]): Map<number, { cause: number[]; remediation: number[] }> {
  const wanted = new Set(incidentIds);
  const out = new Map<number, { cause: number[]; remediation: number[] }>();
  const rows = db.$client.prepare("SELECT incident_id, deploy_id, kind FROM incident_deploy_links ORDER BY incident_id, deploy_id").raw().all() as [number, number, DeployLinkKind][];
  for (const [incidentId, deployId, kind] of rows) {
    if (!wanted.has(incidentId)) continue;
    let entry = out.get(incidentId);
    if (!entry) out.set(incidentId, (entry = { cause: [], remediation: [] }));
    entry[kind].push(deployId);
  }
  return out;
}

/**
 * One deploy confirmed as a cause of several incidents at once (the incident list's bulk
 * bar): `deploy` is a deploy event's id or its external id. Adds the link where missing and
 * audits each incident that gained it, all in one transaction; an unknown deploy or incident
 * is a ValidationError naming it, and nothing is written. Returns how many gained the link.
 */
export function linkCauseToIncidents(db: Db, input: { incidentIds: readonly number[]; deploy: string; actor: AuditActor; now?: number }): { deployId: number; linked: number; already: number } {
  const ref = input.deploy.trim();
  const now = input.now ?? Date.now();
  return db.transaction((tx) => {
    const byId = /^\d{1,15}$/.test(ref) ? tx.select().from(deployEvents).where(eq(deployEvents.id, Number(ref))).get() : undefined;
    const deploy = byId ?? tx.select().from(deployEvents).where(eq(deployEvents.externalId, ref)).get();
    if (!deploy) throw new ValidationError(`no deploy event with id or external id "${ref}"`, [{ field: "deploy", message: `no deploy event with id or external id "${ref}"` }]);
    const ids = [...new Set(input.incidentIds)];
    const found = new Set(tx.select({ id: incidents.id }).from(incidents).where(inArray(incidents.id, ids)).all().map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new ValidationError(`no incident with id ${missing.join(", ")}`, [{ field: "ids", message: `no incident with id ${missing.join(", ")}` }]);
    const has = new Set(
      tx
        .select({ id: incidentDeployLinks.incidentId })
        .from(incidentDeployLinks)
        .where(and(eq(incidentDeployLinks.deployId, deploy.id), eq(incidentDeployLinks.kind, "cause"), inArray(incidentDeployLinks.incidentId, ids)))
        .all()
        .map((r) => r.id),
    );
    const name = auditName(deploy);
    let linked = 0;
    for (const incidentId of ids) {
      if (has.has(incidentId)) continue;
      const before = tx
        .select({ id: incidentDeployLinks.deployId })
        .from(incidentDeployLinks)
        .where(and(eq(incidentDeployLinks.incidentId, incidentId), eq(incidentDeployLinks.kind, "cause")))
        .all()
        .map((r) => r.id)
        .sort((a, b) => a - b);
      tx.insert(incidentDeployLinks).values({ incidentId, deployId: deploy.id, kind: "cause", createdAt: now, createdBy: input.actor.label }).run();
      recordAudit(tx, {
        actor: input.actor,
        action: DEPLOY_LINK_AUDIT.cause,
        entityType: "incident",
        entityId: incidentId,
        before: { kind: "cause", deployIds: before },
        after: { kind: "cause", deployIds: [...before, deploy.id].sort((a, b) => a - b) },
        detail: { added: [name], removed: [], bulk: true },
        at: now,
      });
      linked++;
    }
    return { deployId: deploy.id, linked, already: ids.length - linked };
  });
}
