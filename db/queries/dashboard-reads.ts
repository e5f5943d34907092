import "server-only";
import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { and, desc, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, quarterClosures } from "@/db/schema";
import type { FrozenFigure } from "@/lib/charts/headline";
import type { EngineIncident } from "@/lib/metric/types";
import { engineIncidentSnapshot } from "./incident-store";

// The dashboard's reads besides the engine input (server/dashboard/data.ts composes them).

// What the figures read, each read cheaply: the incident change log's head and the newest
// incident id (migration 0002: updates and deletes of incidents and curation are logged, new
// incidents get ever-growing ids), the newest incident's curation version (a curation row
// added to the newest incident is not logged), and the small configuration tables whole or
// by their append-only ids. Sessions, tokens, audit rows and rate limits are not in it, so
// a sign-in or a token's last-use stamp keeps the figures.
const FINGERPRINT_SQL = `SELECT
  (SELECT coalesce(max(seq), 0) FROM incident_changes),
  (SELECT coalesce(max(id), 0) FROM incidents),
  (SELECT version || ':' || updated_at FROM incident_curation WHERE incident_id = (SELECT max(id) FROM incidents)),
  (SELECT fiscal_year_start_month || '|' || timezone || '|' || fiscal_year_label || '|' || maturity_days FROM settings WHERE id = 1),
  (SELECT max(id) FROM policy_versions),
  (SELECT max(id) FROM quarter_targets),
  (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || count(reopened_at) || ':' || coalesce(max(reopened_at), 0) FROM quarter_closures),
  (SELECT group_concat(slug || '|' || name || '|' || status || '|' || coalesce(delivered_on, '') || '|' || lag_min_months || '|' || lag_max_months, char(30)) FROM projects),
  (SELECT group_concat(name, char(30)) FROM services),
  (SELECT group_concat(name, char(30)) FROM deploy_systems)`;
const fingerprintStmts = new WeakMap<Db, Database.Statement<[], unknown[]>>();

/**
 * Changes whenever something the dashboard's figures read is committed, by this connection
 * or any other (the CLI, the import worker, another process); stays put for writes the
 * figures don't read (sessions, API token stamps, audit rows, rate limits).
 */
export function dataFingerprint(db: Db): string {
  let stmt = fingerprintStmts.get(db);
  if (!stmt) fingerprintStmts.set(db, (stmt = db.$client.prepare<[], unknown[]>(FINGERPRINT_SQL).raw(true)));
  const row = stmt.get();
  return createHash("sha1").update(JSON.stringify(row)).digest("base64url");
}

/** The newest audit row's id (0 when none). */
export function auditHead(db: Db): number {
  return (db.$client.prepare("SELECT coalesce(max(id), 0) AS n FROM audit_log").get() as { n: number }).n;
}

/** True when `actorLabel` has an audit row newer than `afterId` (audit_actor_idx: one index probe). */
export function wroteAfter(db: Db, actorLabel: string, afterId: number): boolean {
  return db.$client.prepare("SELECT 1 FROM audit_log WHERE actor_label = ? AND id > ? LIMIT 1").get(actorLabel, afterId) !== undefined;
}

export function countAllIncidents(db: Db): number {
  const row = db.$client.prepare("SELECT count(*) AS n FROM incidents").get() as { n: number };
  return row.n;
}

/** The figure in force for each closed quarter (newest closure, not reopened). */
export function listActiveClosureFigures(db: Db): FrozenFigure[] {
  const rows = db
    .select({ id: quarterClosures.id, quarter: quarterClosures.quarter, hours: quarterClosures.hours, target: quarterClosures.target })
    .from(quarterClosures)
    .where(isNull(quarterClosures.reopenedAt))
    .orderBy(desc(quarterClosures.id))
    .all();
  const seen = new Set<string>();
  const out: FrozenFigure[] = [];
  for (const r of rows) {
    if (seen.has(r.quarter)) continue;
    seen.add(r.quarter);
    out.push({ quarter: r.quarter, hours: r.hours, target: r.target });
  }
  return out;
}

const filterOptionCache = new WeakMap<readonly EngineIncident[], { services: string[]; deploySystems: string[] }>();

/**
 * Services and deploy systems to filter by: the values the stored incidents carry (curated
 * services and deploy systems, as the filter matches them), not the catalogue, so the lists
 * follow the data in and out (an import adds its services; removing the demo takes the
 * demo's away). Read from the in-memory incident store, worked out once per snapshot; one
 * spelling per value, case-insensitively, as the filter matches.
 */
export function listFilterOptions(db: Db): { services: string[]; deploySystems: string[] } {
  const all = engineIncidentSnapshot(db);
  const hit = filterOptionCache.get(all);
  if (hit) return hit;
  const svc = new Map<string, string>();
  const ds = new Map<string, string>();
  for (const inc of all) {
    for (const s of inc.services) {
      const t = s.trim();
      if (t && !svc.has(t.toLowerCase())) svc.set(t.toLowerCase(), t);
    }
    const d = inc.deploySystem?.trim();
    if (d && !ds.has(d.toLowerCase())) ds.set(d.toLowerCase(), d);
  }
  const sort = (a: string, b: string) => a.localeCompare(b);
  const out = { services: [...svc.values()].sort(sort), deploySystems: [...ds.values()].sort(sort) };
  filterOptionCache.set(all, out);
  return out;
}

export interface IncidentSummary {
  id: string;
  source: string;
  sourceId: string;
  title: string;
  severity: string;
}

/** Titles and source ids for a drill-down's incidents (engine ids are String(incidents.id)). */
export function incidentSummaries(db: Db, ids: readonly string[]): Map<string, IncidentSummary> {
  const out = new Map<string, IncidentSummary>();
  const nums = [...new Set(ids.map(Number).filter(Number.isSafeInteger))];
  for (let k = 0; k < nums.length; k += 500) {
    const rows = db
      .select({ id: incidents.id, source: incidents.source, sourceId: incidents.sourceId, title: incidents.title, severity: incidents.severity })
      .from(incidents)
      .where(and(inArray(incidents.id, nums.slice(k, k + 500))))
      .all();
    for (const r of rows) out.set(String(r.id), { ...r, id: String(r.id) });
  }
  return out;
}
