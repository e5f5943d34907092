import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidentCuration, incidents } from "@/db/schema";
import { quarterById } from "@/lib/metric/calendar";
import { compilePolicy, isCountedReason } from "@/lib/metric/classify";
import { effectiveDurationMs, HOUR_MS, impactWindow } from "@/lib/metric/intervals";
import { partitionByTimeBounds } from "@/lib/metric/time-bounds";
import type { AnalysisStatus, CountReason, EngineIncident, Override, Policy, Settings, Trigger } from "@/lib/metric/types";
import { storedStringRecord } from "@/lib/json/bounded";
import type { IncidentListQuery } from "@/lib/validation/incident-list";
import { getCurrentPolicy, getSettings } from "./config";
import { readCuration, type CurationState } from "./curation";
import { getDeploy, type DeployRow } from "./deploys";
import { readEngineIncidents, readEngineIncidentsWhere } from "./incident-store";
import { storedRowBounds } from "./metric-input";

/**
 * Columns the list and the engine need, with curation defaults for an incident that has
 * no curation row yet (unknown trigger, pending analysis).
 */
const BASE_COLUMNS = sql.raw(`
  i.id AS id, i.source AS source, i.source_id AS sourceId, i.title AS title, i.severity AS severity,
  i.status AS status, i.started_at AS startedAt, i.resolved_at AS resolvedAt, i.updated_at AS updatedAt,
  COALESCE(c.trigger, 'unknown') AS trigger, c.change_type AS changeType, c.deploy_system AS deploySystem,
  COALESCE(c.services, '[]') AS services, COALESCE(c.affected_features, '[]') AS affectedFeatures,
  c.customer_impact_pct AS customerImpactPct, c.impact_start AS impactStart, c.impact_end AS impactEnd,
  COALESCE(c.analysis_status, 'pending') AS analysisStatus, c.override AS override,
  c.duplicate_of_id AS duplicateOfId, c.reviewed_at AS reviewedAt, c.reviewed_by AS reviewedBy,
  COALESCE(c.version, 1) AS version, c.updated_at AS curationUpdatedAt, c.updated_by AS curationUpdatedBy`);

interface BaseRow {
  id: number;
  source: string;
  sourceId: string;
  title: string;
  severity: string;
  status: string | null;
  startedAt: number;
  resolvedAt: number | null;
  updatedAt: number;
  trigger: Trigger;
  changeType: string | null;
  deploySystem: string | null;
  services: string;
  affectedFeatures: string;
  customerImpactPct: number | null;
  impactStart: number | null;
  impactEnd: number | null;
  analysisStatus: AnalysisStatus;
  override: Override | null;
  duplicateOfId: number | null;
  reviewedAt: number | null;
  reviewedBy: string | null;
  version: number;
  curationUpdatedAt: number | null;
  curationUpdatedBy: string | null;
}

/** The stored columns a list row shows as read. */
type ListedColumn = "id" | "source" | "sourceId" | "title" | "severity" | "status" | "startedAt" | "resolvedAt" | "trigger" | "changeType" | "deploySystem" | "analysisStatus" | "override" | "reviewedAt" | "reviewedBy" | "version";

export interface IncidentListItem extends Pick<BaseRow, ListedColumn> {
  /** Effective impact window (epoch ms); `end` null while ongoing. */
  windowStart: number;
  windowEnd: number | null;
  durationHours: number;
  services: string[];
  projects: string[];
  counted: boolean;
  reason: CountReason;
}

export interface IncidentListResult {
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  items: IncidentListItem[];
  asOf: number;
}

function jsonList(text: unknown): string[] {
  if (typeof text !== "string" || text === "[]" || !text) return [];
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => "\\" + ch);
}

/**
 * Ids of every incident the engine counts at `asOf` under `policy`. Only incidents that
 * could count are classified (an include override, or no exclusion and change-triggered
 * when the policy requires it), so call it only when a request filters on "counted".
 */
export function countedIncidentIds(db: Db, policy: Policy, asOf: number): number[] {
  const classifier = compilePolicy(policy);
  // Narrowed in SQL to the incidents that could count (tests/db/counted-ids.test.ts holds this equal
  // to the engine's verdicts); the store's mapper, the engine's classifier and the bounds on time decide.
  const where = policy.requireChangeTriggered
    ? "c.override = 'include' OR (c.override IS NULL AND c.duplicate_of_id IS NULL AND c.trigger = 'change')"
    : "c.override = 'include' OR (c.override IS NULL AND c.duplicate_of_id IS NULL) OR c.incident_id IS NULL";
  const out: number[] = [];
  const { kept } = partitionByTimeBounds(readEngineIncidentsWhere(db, where), storedRowBounds());
  for (const i of kept) if (isCountedReason(classifier.reason(i, effectiveDurationMs(i, asOf)))) out.push(Number(i.id));
  return out;
}

/**
 * True when a custom field's value (not its name) contains the search text. The stored JSON
 * text is tried first, a cheap scan that rules out almost every row; json_each then reads
 * the values of the few that pass. Text the stored form may spell differently (a quote, a
 * backslash, a control or non-ASCII character, which JSON may escape) goes to json_each directly.
 */
function customFieldsMatch(text: string, like: string): SQL {
  const values = sql`EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(i.custom_fields) THEN i.custom_fields ELSE '{}' END) j WHERE CAST(j.value AS TEXT) LIKE ${like} ESCAPE '\\')`;
  return /[^\x20-\x7e]|["\\]/.test(text) ? values : sql`(i.custom_fields LIKE ${like} ESCAPE '\\' AND ${values})`;
}

function whereClause(db: Db, q: IncidentListQuery, ctx: { settings: Settings; policy: Policy; asOf: number }): SQL {
  const conds: SQL[] = [sql`1 = 1`];
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    conds.push(sql`(i.title LIKE ${like} ESCAPE '\\' OR i.source_id LIKE ${like} ESCAPE '\\' OR i.description LIKE ${like} ESCAPE '\\' OR ${customFieldsMatch(q.q, like)})`);
  }
  if (q.quarter) {
    const quarter = quarterById(q.quarter, ctx.settings);
    conds.push(
      sql`COALESCE(c.impact_start, i.started_at) < ${quarter.end} AND COALESCE(c.impact_end, i.resolved_at, ${ctx.asOf}) > ${quarter.start}`,
    );
  }
  if (q.severity) conds.push(sql`lower(trim(i.severity)) = lower(${q.severity})`);
  if (q.trigger) conds.push(sql`COALESCE(c.trigger, 'unknown') = ${q.trigger}`);
  if (q.service) conds.push(sql`EXISTS (SELECT 1 FROM json_each(COALESCE(c.services, '[]')) s WHERE lower(s.value) = lower(${q.service}))`);
  if (q.deploySystem) conds.push(sql`lower(c.deploy_system) = lower(${q.deploySystem})`);
  if (q.changeType) conds.push(sql`lower(c.change_type) = lower(${q.changeType})`);
  if (q.project)
    conds.push(sql`EXISTS (SELECT 1 FROM incident_projects ip JOIN projects p ON p.id = ip.project_id WHERE ip.incident_id = i.id AND p.slug = ${q.project})`);
  if (q.analysisStatus) conds.push(sql`COALESCE(c.analysis_status, 'pending') = ${q.analysisStatus}`);
  if (q.reviewed === "yes") conds.push(sql`c.reviewed_at IS NOT NULL`);
  if (q.reviewed === "no") conds.push(sql`c.reviewed_at IS NULL`);
  if (q.ids) conds.push(sql`i.id IN (SELECT value FROM json_each(${JSON.stringify(q.ids)}))`);
  if (q.counted) {
    const ids = JSON.stringify(countedIncidentIds(db, ctx.policy, ctx.asOf));
    conds.push(q.counted === "yes" ? sql`i.id IN (SELECT value FROM json_each(${ids}))` : sql`i.id NOT IN (SELECT value FROM json_each(${ids}))`);
  }
  return sql.join(conds, sql` AND `);
}

function orderClause(q: IncidentListQuery, asOf: number): SQL {
  const dir = sql.raw(q.dir === "asc" ? "ASC" : "DESC");
  switch (q.sort) {
    case "title":
      return sql`i.title COLLATE NOCASE ${dir}, i.id ${dir}`;
    case "severity":
      return sql`lower(i.severity) ${dir}, i.started_at DESC, i.id DESC`;
    case "duration":
      return sql`(COALESCE(c.impact_end, i.resolved_at, ${asOf}) - COALESCE(c.impact_start, i.started_at)) ${dir}, i.id ${dir}`;
    case "sourceId":
      return sql`i.source_id ${dir}, i.id ${dir}`;
    case "updated":
      return sql`COALESCE(c.updated_at, i.updated_at) ${dir}, i.id ${dir}`;
    default:
      return sql`i.started_at ${dir}, i.id ${dir}`;
  }
}

/** Project slugs per incident, for a page of ids. */
export function projectSlugsFor(db: Db, ids: number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (ids.length === 0) return out;
  const rows = db.all<{ incidentId: number; slug: string }>(sql`
    SELECT ip.incident_id AS incidentId, p.slug AS slug FROM incident_projects ip JOIN projects p ON p.id = ip.project_id
    WHERE ip.incident_id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) ORDER BY p.slug`);
  for (const r of rows) {
    const list = out.get(r.incidentId) ?? [];
    list.push(r.slug);
    out.set(r.incidentId, list);
  }
  return out;
}

/** A list row with the engine's verdict on `e`, the same incident as the store's mapper reads it. */
function toItem(r: BaseRow, e: EngineIncident, reason: CountReason, asOf: number, projects: string[]): IncidentListItem {
  const { start: windowStart, end: windowEnd } = impactWindow(r);
  return {
    id: r.id,
    source: r.source,
    sourceId: r.sourceId,
    title: r.title,
    severity: r.severity,
    status: r.status,
    startedAt: r.startedAt,
    resolvedAt: r.resolvedAt,
    windowStart,
    windowEnd,
    durationHours: effectiveDurationMs(e, asOf) / HOUR_MS,
    trigger: r.trigger,
    changeType: r.changeType,
    deploySystem: r.deploySystem,
    services: [...e.services],
    analysisStatus: r.analysisStatus,
    override: r.override,
    reviewedAt: r.reviewedAt,
    reviewedBy: r.reviewedBy,
    projects,
    counted: isCountedReason(reason),
    reason,
    version: r.version,
  };
}

/**
 * One page of incidents matching `q`, with the total. Filtering, sorting and paging run
 * in SQL (LIMIT/OFFSET over the started_at index by default); the engine's verdict is
 * computed for the page's rows only, and over every incident only when `q.counted` asks.
 */
export function listIncidents(db: Db, q: IncidentListQuery, opts: { asOf?: number } = {}): IncidentListResult {
  const asOf = opts.asOf ?? Date.now();
  const settings = getSettings(db);
  const policy = getCurrentPolicy(db).policy;
  const where = whereClause(db, q, { settings, policy, asOf });
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id WHERE ${where}`)?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / q.pageSize));
  const page = Math.min(q.page, pages);
  const rows = db.all<BaseRow>(sql`
    SELECT ${BASE_COLUMNS} FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id
    WHERE ${where} ORDER BY ${orderClause(q, asOf)} LIMIT ${q.pageSize} OFFSET ${(page - 1) * q.pageSize}`);
  const classifier = compilePolicy(policy);
  const projects = projectSlugsFor(
    db,
    rows.map((r) => r.id),
  );
  const engine = readEngineIncidents(
    db,
    rows.map((r) => r.id),
  );
  const items = rows.flatMap((r) => {
    const e = engine.get(r.id);
    return e ? [toItem(r, e, classifier.reason(e, effectiveDurationMs(e, asOf)), asOf, projects.get(r.id) ?? [])] : [];
  });
  return { total, page, pageSize: q.pageSize, pages, items, asOf };
}

/** Ids matching `q` (every page), for "select all matching" bulk actions; capped at `limit`. */
export function listIncidentIds(db: Db, q: IncidentListQuery, opts: { asOf?: number; limit?: number } = {}): number[] {
  const asOf = opts.asOf ?? Date.now();
  const where = whereClause(db, q, { settings: getSettings(db), policy: getCurrentPolicy(db).policy, asOf });
  return db
    .all<{ id: number }>(sql`SELECT i.id AS id FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id WHERE ${where} ORDER BY ${orderClause(q, asOf)} LIMIT ${opts.limit ?? 1000}`)
    .map((r) => r.id);
}

/** Choices for the list's filters: values present in the data. */
export function incidentFilterChoices(db: Db): { severities: string[]; services: string[]; deploySystems: string[]; changeTypes: string[]; projects: { slug: string; name: string }[] } {
  const col = (q: SQL) => db.all<{ v: string }>(q).map((r) => r.v);
  return {
    severities: col(sql`SELECT DISTINCT trim(severity) AS v FROM incidents ORDER BY lower(v)`),
    // Values present in the data (as the filters match them), not the catalogue: removing the demo takes its services away.
    services: col(sql`SELECT DISTINCT s.value AS v FROM incident_curation c, json_each(c.services) s ORDER BY lower(v)`),
    deploySystems: col(sql`SELECT DISTINCT deploy_system AS v FROM incident_curation WHERE deploy_system IS NOT NULL ORDER BY lower(v)`),
    changeTypes: col(sql`SELECT DISTINCT change_type AS v FROM incident_curation WHERE change_type IS NOT NULL ORDER BY v`),
    projects: db.all<{ slug: string; name: string }>(sql`SELECT slug, name FROM projects ORDER BY name COLLATE NOCASE`),
  };
}

export interface IncidentDetail {
  incident: typeof incidents.$inferSelect;
  curation: CurationState;
  duplicateOf: { id: number; sourceId: string; title: string } | null;
  duplicates: { id: number; sourceId: string; title: string }[];
  linkedDeploy: DeployRow | null;
}

/** One incident with its curation, duplicate links and linked deploy; null for an unknown id. */
/** Whether an incident with this id is stored (one primary-key probe). */
export function incidentExists(db: Db, id: number): boolean {
  return db.$client.prepare("SELECT 1 FROM incidents WHERE id = ?").get(id) !== undefined;
}

export function getIncident(db: Db, id: number): IncidentDetail | null {
  const incident = db.select().from(incidents).where(eq(incidents.id, id)).get();
  const curation = incident ? readCuration(db, id) : null;
  if (!incident || !curation) return null;
  const brief = (otherId: number | null) =>
    otherId == null ? null : (db.select({ id: incidents.id, sourceId: incidents.sourceId, title: incidents.title }).from(incidents).where(eq(incidents.id, otherId)).get() ?? null);
  const duplicates = db
    .select({ id: incidents.id, sourceId: incidents.sourceId, title: incidents.title })
    .from(incidentCuration)
    .innerJoin(incidents, eq(incidents.id, incidentCuration.incidentId))
    .where(eq(incidentCuration.duplicateOfId, id))
    .all();
  return {
    incident: { ...incident, customFields: storedStringRecord(incident.customFields) },
    curation,
    duplicateOf: brief(curation.duplicateOfId),
    duplicates,
    linkedDeploy: curation.linkedDeployId == null ? null : getDeploy(db, curation.linkedDeployId),
  };
}

export { BASE_COLUMNS, type BaseRow, jsonList };
