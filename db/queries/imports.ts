import "server-only";
import crypto from "node:crypto";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { importBatches, importBatchItems, importPresets, incidentCuration, incidents, projects, settings, type IncidentRow, type NewCurationRow, type NewIncidentRow } from "@/db/schema";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/api/errors";
import { resolveMaxImportBytes } from "@/lib/import/input";
import { importMappingSchema, type ImportMapping } from "@/lib/import/sources/generic";
import type { ParsedRow, RowError } from "@/lib/import/types";
import { SOURCE_FIELDS, STORED_CURATED_FIELDS, type StoredCuratedField } from "@/lib/incidents/fields";
import type { CuratedInput, IncidentInput } from "@/lib/validation/incident";
import { recordAudit, type DbOrTx } from "./audit";

export interface ImportActor {
  id?: string | null;
  label: string;
}

export interface ImportOptions {
  /** The import's source name (rows may name their own). */
  source: string;
  format: string;
  fileName?: string | null;
  actor: ImportActor;
  /** Land the valid rows and report the rest; default: refuse the whole file if any row is invalid. */
  skipInvalid?: boolean;
  /** Compute exactly what would happen, then roll back. */
  dryRun?: boolean;
  /** Let the file rewrite curated fields (trigger, impact window, attribution...) of existing incidents. */
  overwriteCurated?: boolean;
  /**
   * Historical imports: curated values set on every incident this batch CREATES (over what
   * the file says), never on existing ones. Undone with the batch, which deletes them.
   */
  newIncidents?: NewIncidentMarks;
  /** Mark created incidents as demo data (the demo seed). */
  isDemo?: boolean;
  /** Epoch ms; defaults to now. */
  now?: number;
  /**
   * Add to this applied batch instead of creating one (a source sync lands every page in its
   * run's batch): counts add up, an incident's first snapshot in the batch is kept, no audit row.
   */
  appendTo?: number;
}

/** "Already analysed" (analysis final) and a triage (not change-triggered, or unknown) for a batch's new incidents. */
export interface NewIncidentMarks {
  analysisStatus?: "final";
  trigger?: "other" | "unknown";
}

export interface ImportSummary {
  batchId: number | null;
  source: string;
  format: string;
  fileName: string | null;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  dryRun: boolean;
  overwriteCurated: boolean;
  /** Every rejected row (also stored on the batch). */
  errors: RowError[];
}

/** The file was refused whole: nothing was written. `errors` holds every invalid row. */
export class ImportRefusedError extends ValidationError {
  constructor(
    readonly errors: RowError[],
    readonly total: number,
  ) {
    super(
      `${errors.length === 1 ? "1 problem" : `${errors.length} problems`} in ${new Set(errors.map((e) => e.row)).size} of ${total} rows; nothing was imported.`,
      errors.map((e) => ({ field: `row ${e.row}${e.sourceId ? ` (${e.sourceId})` : ""}: ${e.column}`, message: e.reason })),
    );
  }
}

class DryRunRollback extends Error {}

/** Distinct row numbers among valid rows and parse errors (without a Set when both come in order, as the parser gives them). */
function countRows(rows: ParsedRow[], errors: RowError[]): number {
  let ordered = true;
  for (let k = 1; k < rows.length && ordered; k++) ordered = rows[k - 1].row < rows[k].row;
  for (let k = 1; k < errors.length && ordered; k++) ordered = errors[k - 1].row <= errors[k].row;
  if (!ordered) return new Set([...rows.map((r) => r.row), ...errors.map((e) => e.row)]).size;
  let n = 0;
  let i = 0;
  let j = 0;
  let last = NaN;
  while (i < rows.length || j < errors.length) {
    const row = j >= errors.length || (i < rows.length && rows[i].row <= errors[j].row) ? rows[i++].row : errors[j++].row;
    if (row !== last) n++;
    last = row;
  }
  return n;
}

/** The import size limit: env IMPORT_MAX_BYTES, else settings.max_import_bytes, else 50 MB. */
export function getMaxImportBytes(db: Db): number {
  const row = db.select({ max: settings.maxImportBytes }).from(settings).where(eq(settings.id, 1)).get();
  return resolveMaxImportBytes(row?.max);
}

/** One-shot SHA-1 (crypto.hash, Node >= 20.12) without a Hash object per call; createHash before that. */
const sha1Base64: (s: string) => string =
  typeof crypto.hash === "function" ? (s) => crypto.hash("sha1", s, "base64") : (s) => crypto.createHash("sha1").update(s).digest("base64");

/** Hash of what the source tool owns; equal hashes mean a re-import changes nothing. */
export function sourceHash(i: IncidentInput): string {
  return hashSource(i, servicesJsonOf(i), JSON.stringify(i.customFields));
}

/**
 * sourceHash, reusing the JSON of the two structured columns (which the writer
 * stores anyway): the text hashed is exactly
 * JSON.stringify([title, description, severity, status, startedAt, resolvedAt, url, sourceServices, customFields]).
 */
function hashSource(i: IncidentInput, servicesJson: string | undefined, customJson: string | undefined): string {
  const head = `[${jsonScalar(i.title)},${jsonScalar(i.description)},${jsonScalar(i.severity)},${jsonScalar(i.status)},${jsonScalar(i.startedAt)},${jsonScalar(i.resolvedAt)},${jsonScalar(i.url)}`;
  return sha1Base64(`${head},${servicesJson ?? "null"},${customJson ?? "null"}]`);
}

/** What JSON.stringify escapes in a string (quote, backslash, control characters) or may rewrite (surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(v) as an array element, for the plain values a row holds,
 * without the generic serializer: a string that needs no escaping is just quoted.
 * Anything else goes to JSON.stringify, so the text is always identical.
 */
function jsonScalar(v: unknown): string {
  if (typeof v === "string") return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (v == null) return "null";
  return JSON.stringify([v]).slice(1, -1);
}

/** JSON.stringify(i.sourceServices), as stored in incidents.source_services. */
function servicesJsonOf(i: IncidentInput): string {
  return Array.isArray(i.sourceServices) ? jsonList(i.sourceServices) : JSON.stringify(i.sourceServices);
}

/** JSON.stringify(list) for a list of strings (any other value: JSON.stringify itself). */
function jsonList(list: readonly unknown[]): string {
  let out = "[";
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    if (typeof v !== "string") return JSON.stringify(list);
    out += k ? `,${jsonScalar(v)}` : jsonScalar(v);
  }
  return `${out}]`;
}

/** The curated fields a file can carry (attribution and deploy links have their own paths). */
type CuratedKey = StoredCuratedField;
const CURATED_KEYS = STORED_CURATED_FIELDS;

/*
 * The importer's statements name their columns from these lists (column names from the
 * schema) and take each row's values as an object keyed by field, put in list order by
 * `bind`: a column can never take another's value, and a field missing from a row's values
 * fails the type checker. (Positional `?` rather than SQLite named parameters: binding
 * by name cost about twice as much per row at 100k rows.)
 */
const INCIDENT_INSERT = ["source", "sourceId", ...SOURCE_FIELDS, "sourceHash", "importBatchId", "isDemo", "createdAt", "updatedAt"] as const satisfies readonly (keyof NewIncidentRow)[];
/** What an update rewrites, and so what its undo snapshot keeps. */
const SOURCE_SNAPSHOT = [...SOURCE_FIELDS, "sourceHash", "importBatchId", "updatedAt"] as const satisfies readonly (keyof IncidentRow)[];
const CURATION_INSERT = ["incidentId", ...STORED_CURATED_FIELDS, "version", "updatedAt", "updatedBy"] as const satisfies readonly (keyof NewCurationRow)[];
const CURATION_SELECT = [...STORED_CURATED_FIELDS, "version"] as const satisfies readonly (keyof NewCurationRow)[];

/** A statement's values by field name, as SQLite stores them (JSON lists as text, booleans as 0/1). */
type Bind<K extends string> = Record<K, string | number | null>;

/**
 * Column lists of `keys` for SQL text (the schema's column names: `names`, `?` placeholders,
 * `col AS "field"`, `col = ?`), and `bind`, which turns a row's values into the statement's
 * arguments in the same order.
 */
function sqlColumns<K extends string>(table: Record<K, { name: string }>, keys: readonly K[]) {
  const col = (k: K) => `"${table[k].name}"`;
  return {
    names: keys.map(col).join(", "),
    params: keys.map(() => "?").join(", "),
    select: keys.map((k) => `${col(k)} AS "${k}"`).join(", "),
    set: keys.map((k) => `${col(k)} = ?`).join(", "),
    bind: compileBinder(keys),
  };
}

/**
 * `(v) => [v.a, v.b, …]` for these keys, compiled once per statement: a loop over the keys
 * (`v[keys[n]]`) made a 100k-row import about 10% slower (its loads see every key).
 */
function compileBinder<K extends string>(keys: readonly K[]): (v: Bind<K>) => unknown[] {
  for (const k of keys) if (!/^[A-Za-z]+$/.test(k)) throw new Error(`unexpected field name ${k}`);
  return new Function("v", `return [${keys.map((k) => `v.${k}`).join(", ")}];`) as (v: Bind<K>) => unknown[];
}

type SourceSnapshot = Pick<IncidentRow, (typeof SOURCE_SNAPSHOT)[number]>;
/** What an update replaced, so undo can put it back. */
interface BeforeSnapshot {
  incident: SourceSnapshot;
  curation?: Partial<Record<CuratedKey, unknown>>;
  projects?: number[];
}

/** source → sourceId → value: no composite key string per row. */
class BySource<T> {
  private readonly sources = new Map<string, Map<string, T>>();
  get(source: string, sourceId: string): T | undefined {
    return this.sources.get(source)?.get(sourceId);
  }
  set(source: string, sourceId: string, value: T): void {
    let m = this.sources.get(source);
    if (!m) this.sources.set(source, (m = new Map()));
    m.set(sourceId, value);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Row errors the database can see and the parser can't: unknown project slugs, an id twice in one file. */
function checkRows(db: Db, rows: ParsedRow[]): { errors: RowError[]; projectIds: Map<string, number> } {
  const errors: RowError[] = [];
  const projectIds = new Map(db.select({ id: projects.id, slug: projects.slug }).from(projects).all().map((p) => [p.slug, p.id]));
  const seen = new BySource<number>();
  for (const { row, incident } of rows) {
    const first = seen.get(incident.source, incident.sourceId);
    if (first !== undefined) errors.push({ row, sourceId: incident.sourceId, column: "id", reason: `id "${incident.sourceId}" appears again (first at row ${first})` });
    else seen.set(incident.source, incident.sourceId, row);
    const slugs = incident.curated.projects;
    if (slugs) for (const slug of slugs) {
      if (!projectIds.has(slug)) errors.push({ row, sourceId: incident.sourceId, column: "projects", reason: `no project with slug "${slug}"` });
    }
  }
  return { errors, projectIds };
}

/**
 * Writes parsed incidents as one import batch, in ONE synchronous transaction.
 *
 * Upserts by (source, sourceId): a new incident is created with its curated
 * fields from the file (defaults: trigger `unknown`, analysis `pending`, services
 * = the source's services); an existing one gets its source-owned fields
 * rewritten when their hash changed, and its curated fields only with
 * `overwriteCurated` (and then only the fields the file has). Identical rows are
 * counted `unchanged` and not touched.
 *
 * Any invalid row (`parseErrors` plus unknown projects and repeated ids) refuses
 * the whole file with ImportRefusedError unless `skipInvalid`. `dryRun` runs the
 * same code and rolls back, so its counts are exact.
 */
export function importIncidents(db: Db, rows: ParsedRow[], parseErrors: RowError[], opts: ImportOptions): ImportSummary {
  const now = opts.now ?? Date.now();
  const checked = checkRows(db, rows);
  const errors = [...parseErrors, ...checked.errors].sort((a, b) => a.row - b.row);
  const total = countRows(rows, parseErrors);
  if (errors.length && !opts.skipInvalid) throw new ImportRefusedError(errors, total);
  const badRows = new Set(checked.errors.map((e) => e.row));
  const good = badRows.size ? rows.filter((r) => !badRows.has(r.row)) : rows;
  const rejected = new Set(errors.map((e) => e.row)).size;

  const summary: ImportSummary = {
    batchId: null,
    source: opts.source,
    format: opts.format,
    fileName: opts.fileName ?? null,
    total,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected,
    dryRun: !!opts.dryRun,
    overwriteCurated: !!opts.overwriteCurated,
    errors,
  };

  const sqlite = db.$client;
  try {
    db.transaction((tx) => {
      const batch = opts.appendTo !== undefined ? { id: opts.appendTo } : tx
        .insert(importBatches)
        .values({ kind: "incidents", source: opts.source, format: opts.format, fileName: opts.fileName ?? null, rejects: errors, createdAt: now, createdBy: opts.actor.label })
        .returning({ id: importBatches.id })
        .get();
      const batchId = batch.id;

      // Every incident of the file's sources, in one query per source (not one per row).
      const existing = new BySource<{ id: number; hash: string }>();
      const lookup = sqlite.prepare("SELECT id, source_id AS sourceId, source_hash AS hash FROM incidents WHERE source = ?");
      const sources = new Set<string>();
      for (const r of good) sources.add(r.incident.source);
      for (const source of sources) {
        for (const r of lookup.all(source) as { id: number; sourceId: string; hash: string }[]) existing.set(source, r.sourceId, { id: r.id, hash: r.hash });
      }

      const incidentCols = sqlColumns(incidents, INCIDENT_INSERT);
      const insertIncident = sqlite.prepare(`INSERT INTO incidents (${incidentCols.names}) VALUES (${incidentCols.params})`);
      const curationCols = sqlColumns(incidentCuration, CURATION_INSERT);
      const insertCuration = sqlite.prepare(`INSERT INTO incident_curation (${curationCols.names}) VALUES (${curationCols.params})`);
      const insertItem = sqlite.prepare("INSERT OR IGNORE INTO import_batch_items (batch_id, incident_id, action, before) VALUES (?, ?, ?, ?)");
      // The created incidents' undo items, all in one statement after the loop.
      const insertCreatedItems = sqlite.prepare("INSERT INTO import_batch_items (batch_id, incident_id, action, before) SELECT ?, value, 'created', NULL FROM json_each(?)");
      const createdIds: number[] = [];
      const snapshotCols = sqlColumns(incidents, SOURCE_SNAPSHOT);
      const selectSource = sqlite.prepare(`SELECT ${snapshotCols.select} FROM incidents WHERE id = ?`);
      const updateSource = sqlite.prepare(`UPDATE incidents SET ${snapshotCols.set} WHERE id = ?`);
      const linkProject = sqlite.prepare("INSERT OR IGNORE INTO incident_projects (incident_id, project_id, created_at, created_by) VALUES (?, ?, ?, ?)");
      const selectProjects = sqlite.prepare("SELECT project_id AS projectId FROM incident_projects WHERE incident_id = ? ORDER BY project_id");
      const clearProjects = sqlite.prepare("DELETE FROM incident_projects WHERE incident_id = ?");
      const touchIncident = sqlite.prepare("UPDATE incidents SET import_batch_id = ?, updated_at = ? WHERE id = ?");
      const selectCuration = sqlite.prepare(`SELECT ${sqlColumns(incidentCuration, CURATION_SELECT).select} FROM incident_curation WHERE incident_id = ?`);
      const touchedBy = new Set<number>();

      const isDemo = opts.isDemo ? 1 : 0;
      const marks = opts.newIncidents?.analysisStatus || opts.newIncidents?.trigger ? opts.newIncidents : undefined;
      for (const { incident: i } of good) {
        const servicesJson = servicesJsonOf(i);
        const customJson = JSON.stringify(i.customFields);
        const hash = hashSource(i, servicesJson, customJson);
        const found = existing.get(i.source, i.sourceId);
        if (!found) {
          // checkRows refused repeated ids, so each (source, sourceId) is created at most once here.
          const c = i.curated;
          const id = Number(
            insertIncident.run(incidentCols.bind({
              source: i.source, sourceId: i.sourceId, title: i.title, description: i.description, severity: i.severity, status: i.status,
              startedAt: i.startedAt, resolvedAt: i.resolvedAt, url: i.url, sourceServices: servicesJson, customFields: customJson,
              sourceHash: hash, importBatchId: batchId, isDemo, createdAt: now, updatedAt: now,
            })).lastInsertRowid,
          );
          insertCuration.run(curationCols.bind({
            incidentId: id, trigger: marks?.trigger ?? c.trigger ?? "unknown", changeType: c.changeType ?? null, deploySystem: c.deploySystem ?? null,
            services: c.services === undefined || c.services === i.sourceServices ? servicesJson : JSON.stringify(c.services),
            affectedFeatures: c.affectedFeatures === undefined ? "[]" : JSON.stringify(c.affectedFeatures),
            customerImpactPct: c.customerImpactPct ?? null, impactStart: c.impactStart ?? null, impactEnd: c.impactEnd ?? null,
            detectedAt: c.detectedAt ?? null, mitigatedAt: c.mitigatedAt ?? null, remediation: c.remediation ?? null,
            fleetExposurePct: c.fleetExposurePct ?? null, analysisStatus: marks?.analysisStatus ?? c.analysisStatus ?? "pending",
            override: c.override ?? null, overrideReason: c.overrideReason ?? null, version: 1, updatedAt: now, updatedBy: opts.actor.label,
          }));
          if (c.projects) for (const slug of c.projects) linkProject.run(id, checked.projectIds.get(slug)!, now, opts.actor.label);
          createdIds.push(id);
          summary.created++;
          continue;
        }
        if (touchedBy.has(found.id)) continue;
        const sourceChanged = found.hash !== hash;
        let curatedChanges: Partial<Record<CuratedKey, unknown>> = {};
        let curatedBefore: Partial<Record<CuratedKey, unknown>> | undefined;
        let projectsBefore: number[] | undefined;
        let projectsAfter: number[] | undefined;
        let curatedVersion = 0;
        if (opts.overwriteCurated) {
          const cur = readCuration(selectCuration.get(found.id) as Record<string, unknown> | undefined);
          curatedVersion = (cur?.version as number | undefined) ?? 0;
          ({ changes: curatedChanges, before: curatedBefore } = diffCurated(cur, i.curated));
          if (i.curated.projects !== undefined) {
            const now_ = (selectProjects.all(found.id) as { projectId: number }[]).map((p) => p.projectId);
            const next = [...new Set(i.curated.projects.map((s) => checked.projectIds.get(s)!))].sort((a, b) => a - b);
            if (!same(now_, next)) {
              projectsBefore = now_;
              projectsAfter = next;
            }
          }
        }
        const curatedChanged = Object.keys(curatedChanges).length > 0 || projectsAfter !== undefined;
        if (!sourceChanged && !curatedChanged) {
          summary.unchanged++;
          continue;
        }
        const raw = selectSource.get(found.id) as Record<string, unknown>;
        const before: BeforeSnapshot = {
          incident: { ...(raw as SourceSnapshot), sourceServices: JSON.parse(raw.sourceServices as string), customFields: JSON.parse(raw.customFields as string) },
        };
        if (sourceChanged) {
          const source = {
            title: i.title, description: i.description, severity: i.severity, status: i.status, startedAt: i.startedAt, resolvedAt: i.resolvedAt,
            url: i.url, sourceServices: servicesJson, customFields: customJson, sourceHash: hash, importBatchId: batchId, updatedAt: now,
          };
          updateSource.run(...snapshotCols.bind(source), found.id);
        } else {
          touchIncident.run(batchId, now, found.id);
        }
        if (Object.keys(curatedChanges).length) {
          before.curation = curatedBefore;
          tx.update(incidentCuration)
            .set({ ...(curatedChanges as Partial<typeof incidentCuration.$inferInsert>), version: curatedVersion + 1, updatedAt: now, updatedBy: opts.actor.label })
            .where(eq(incidentCuration.incidentId, found.id))
            .run();
        }
        if (projectsAfter) {
          before.projects = projectsBefore;
          clearProjects.run(found.id);
          for (const pid of projectsAfter) linkProject.run(found.id, pid, now, opts.actor.label);
        }
        insertItem.run(batchId, found.id, "updated", JSON.stringify(before));
        touchedBy.add(found.id);
        existing.set(i.source, i.sourceId, { id: found.id, hash });
        summary.updated++;
      }
      if (createdIds.length) insertCreatedItems.run(batchId, JSON.stringify(createdIds));

      if (opts.appendTo !== undefined) {
        sqlite
          .prepare("UPDATE import_batches SET created_count = created_count + ?, updated_count = updated_count + ?, unchanged_count = unchanged_count + ?, rejected_count = rejected_count + ? WHERE id = ?")
          .run(summary.created, summary.updated, summary.unchanged, summary.rejected, batchId);
      } else tx.update(importBatches)
        .set({ createdCount: summary.created, updatedCount: summary.updated, unchangedCount: summary.unchanged, rejectedCount: summary.rejected })
        .where(eq(importBatches.id, batchId))
        .run();
      if (opts.appendTo === undefined) recordAudit(tx, {
        actor: opts.actor,
        action: "import.apply",
        entityType: "import_batch",
        entityId: batchId,
        after: { created: summary.created, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected },
        detail: { source: opts.source, format: opts.format, fileName: opts.fileName ?? null, overwriteCurated: !!opts.overwriteCurated, ...(marks ? { newIncidents: marks } : {}) },
        at: now,
      });
      summary.batchId = batchId;
      if (opts.dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
    summary.batchId = null;
  }
  return summary;
}

/** A raw incident_curation row (selectCuration) with its JSON list columns read, as drizzle would return them. */
function readCuration(raw: Record<string, unknown> | undefined): (Partial<Record<CuratedKey, unknown>> & { version?: unknown }) | undefined {
  if (!raw) return undefined;
  return { ...raw, services: JSON.parse(raw.services as string), affectedFeatures: JSON.parse(raw.affectedFeatures as string) };
}

function diffCurated(
  cur: Partial<Record<CuratedKey, unknown>> | undefined,
  next: CuratedInput,
): { changes: Partial<Record<CuratedKey, unknown>>; before: Partial<Record<CuratedKey, unknown>> } {
  const changes: Partial<Record<CuratedKey, unknown>> = {};
  const before: Partial<Record<CuratedKey, unknown>> = {};
  for (const k of CURATED_KEYS) {
    const v = next[k];
    if (v === undefined) continue;
    const old = cur?.[k];
    if (!same(old, v)) {
      changes[k] = v;
      before[k] = old ?? null;
    }
  }
  return { changes, before };
}

export interface UndoSummary {
  batchId: number;
  deleted: number;
  restored: number;
}

/** The JSON path of a snapshot key, checked so a key can never inject SQL. */
function snapshotPath(prefix: string, key: string): string {
  if (!/^[A-Za-z]+$/.test(key)) throw new Error(`unexpected snapshot key ${key}`);
  return `'$.${prefix}.${key}'`;
}

/** incidents.<column> = the snapshot's value, for every source-owned field an update snapshot holds. */
const RESTORE_INCIDENT_SET = SOURCE_SNAPSHOT.filter((k) => k !== "updatedAt")
  .map((k) => `"${incidents[k].name}" = json_extract(i.b, ${snapshotPath("incident", k)})`)
  .join(", ");

/** incident_curation.<column> = the snapshot's value where the snapshot has that field, else unchanged. */
const RESTORE_CURATION_SET = CURATED_KEYS.map((k) => {
  const col = `"${incidentCuration[k].name}"`;
  const at = snapshotPath("curation", k);
  return `${col} = CASE WHEN json_type(i.b, ${at}) IS NULL THEN ${col} ELSE json_extract(i.b, ${at}) END`;
}).join(", ");

/**
 * Undoes an applied batch in one transaction: deletes the incidents it created
 * (with their curation and attribution; duplicate links to them become null) and
 * restores what it updated from the `before` snapshots. Refused while a later
 * applied batch touched the same incidents (undo that one first), so a restore
 * never clobbers newer data.
 *
 * Set-based: a handful of statements over import_batch_items whatever the batch's
 * size (30,000 created incidents at 150,000 take well under a second, see
 * docs/performance.md), so the write lock is held briefly and readers, which WAL
 * never blocks, keep answering. The change-log triggers still fire per row.
 * A restored attribution to a project deleted since is skipped.
 */
export function undoImportBatch(db: Db, batchId: number, actor: ImportActor, now: number = Date.now()): UndoSummary {
  const sqlite = db.$client;
  return db.transaction((tx) => {
    const batch = tx.select().from(importBatches).where(eq(importBatches.id, batchId)).get();
    if (!batch) throw new NotFoundError(`No import batch ${batchId}`);
    if (batch.status === "undone") throw new ConflictError(`Import batch ${batchId} was already undone`);
    const later = sqlite
      .prepare(
        `SELECT DISTINCT b.id FROM import_batch_items i JOIN import_batches b ON b.id = i.batch_id
         WHERE b.id > ? AND b.status = 'applied' AND i.incident_id IN (SELECT incident_id FROM import_batch_items WHERE batch_id = ?) ORDER BY b.id`,
      )
      .all(batchId, batchId) as { id: number }[];
    if (later.length) throw new ConflictError(`Undo batch ${later.map((l) => l.id).join(", ")} first: it changed incidents this batch imported.`);

    const deleted = sqlite
      .prepare("DELETE FROM incidents WHERE id IN (SELECT incident_id FROM import_batch_items WHERE batch_id = ? AND action = 'created')")
      .run(batchId).changes;

    const updatedItems = "SELECT incident_id AS id, json(before) AS b FROM import_batch_items WHERE batch_id = ? AND action = 'updated' AND before IS NOT NULL";
    const restored = sqlite
      .prepare(`UPDATE incidents SET ${RESTORE_INCIDENT_SET}, updated_at = ? FROM (${updatedItems}) AS i WHERE incidents.id = i.id`)
      .run(now, batchId).changes;
    sqlite
      .prepare(
        `UPDATE incident_curation SET ${RESTORE_CURATION_SET}, updated_at = ?, updated_by = ?
         FROM (${updatedItems}) AS i WHERE incident_curation.incident_id = i.id AND EXISTS (SELECT 1 FROM json_each(i.b, '$.curation'))`,
      )
      .run(now, actor.label, batchId);
    const withProjects = `SELECT incident_id FROM import_batch_items WHERE batch_id = ? AND action = 'updated' AND json_type(before, '$.projects') = 'array'`;
    sqlite.prepare(`DELETE FROM incident_projects WHERE incident_id IN (${withProjects})`).run(batchId);
    sqlite
      .prepare(
        `INSERT OR IGNORE INTO incident_projects (incident_id, project_id, created_at, created_by)
         SELECT i.incident_id, p.value, ?, ? FROM import_batch_items i, json_each(i.before, '$.projects') p
         WHERE i.batch_id = ? AND i.action = 'updated' AND p.value IN (SELECT id FROM projects)`,
      )
      .run(now, actor.label, batchId);

    tx.update(importBatches).set({ status: "undone", undoneAt: now, undoneBy: actor.label }).where(eq(importBatches.id, batchId)).run();
    recordAudit(tx, {
      actor,
      action: "import.undo",
      entityType: "import_batch",
      entityId: batchId,
      before: { status: "applied" },
      after: { status: "undone", deleted, restored },
      detail: { source: batch.source, fileName: batch.fileName },
      at: now,
    });
    return { batchId, deleted, restored };
  });
}

export type ImportBatchRow = typeof importBatches.$inferSelect;

/** Newest first. */
export function listImportBatches(db: Db, opts: { limit?: number; kind?: ImportBatchRow["kind"] } = {}): ImportBatchRow[] {
  return db
    .select()
    .from(importBatches)
    .where(eq(importBatches.kind, opts.kind ?? "incidents"))
    .orderBy(desc(importBatches.id))
    .limit(Math.max(1, Math.min(opts.limit ?? 50, 1000)))
    .all();
}

export function getImportBatch(db: Db, id: number): ImportBatchRow | null {
  return db.select().from(importBatches).where(eq(importBatches.id, id)).get() ?? null;
}

/** Ids of applied batches that a later applied batch depends on (they can't be undone until it is). */
export function blockedBatchIds(db: Db, batchIds: number[]): Set<number> {
  if (!batchIds.length) return new Set();
  const rows = db.$client
    .prepare(
      `SELECT DISTINCT a.batch_id AS id FROM import_batch_items a
       JOIN import_batch_items b ON b.incident_id = a.incident_id AND b.batch_id > a.batch_id
       JOIN import_batches lb ON lb.id = b.batch_id AND lb.status = 'applied'
       WHERE a.batch_id IN (${batchIds.map(() => "?").join(",")})`,
    )
    .all(...batchIds) as { id: number }[];
  return new Set(rows.map((r) => r.id));
}

export type ImportPresetRow = { name: string; mapping: ImportMapping; createdAt: number; createdBy: string | null; updatedAt: number };

export const PRESET_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}$/;

/** Creates or replaces a named mapping preset. */
export function saveImportPreset(db: DbOrTx, name: string, mapping: ImportMapping, actor: ImportActor, now: number = Date.now()): void {
  if (!PRESET_NAME.test(name)) throw new ValidationError("Invalid preset name", [{ field: "name", message: "1–80 letters, digits, spaces, dots, dashes or underscores" }]);
  const parsed = importMappingSchema.parse(mapping);
  const prev = db.select().from(importPresets).where(eq(importPresets.name, name)).get();
  db.insert(importPresets)
    .values({ name, mapping: parsed, createdAt: now, createdBy: actor.label, updatedAt: now })
    .onConflictDoUpdate({ target: importPresets.name, set: { mapping: parsed, updatedAt: now } })
    .run();
  recordAudit(db, { actor, action: prev ? "import_preset.update" : "import_preset.create", entityType: "import_preset", entityId: name, before: prev?.mapping ?? null, after: parsed, at: now });
}

export function getImportPreset(db: Db, name: string): ImportPresetRow | null {
  const row = db.select().from(importPresets).where(eq(importPresets.name, name)).get();
  if (!row) return null;
  const mapping = importMappingSchema.safeParse(row.mapping);
  if (!mapping.success) throw new ValidationError(`Preset "${name}" is not a valid mapping`);
  return { ...row, mapping: mapping.data };
}

export function listImportPresets(db: Db): ImportPresetRow[] {
  return db
    .select()
    .from(importPresets)
    .orderBy(importPresets.name)
    .all()
    .flatMap((row) => {
      const m = importMappingSchema.safeParse(row.mapping);
      return m.success ? [{ ...row, mapping: m.data }] : [];
    });
}

export function deleteImportPreset(db: Db, name: string, actor: ImportActor): boolean {
  const prev = db.select().from(importPresets).where(eq(importPresets.name, name)).get();
  if (!prev) return false;
  db.delete(importPresets).where(eq(importPresets.name, name)).run();
  recordAudit(db, { actor, action: "import_preset.delete", entityType: "import_preset", entityId: name, before: prev.mapping });
  return true;
}

/** Incidents a batch created or updated (for the batch page and tests). */
export function listBatchItems(db: Db, batchId: number): { incidentId: number; action: "created" | "updated" }[] {
  return db
    .select({ incidentId: importBatchItems.incidentId, action: importBatchItems.action })
    .from(importBatchItems)
    .where(eq(importBatchItems.batchId, batchId))
    .orderBy(importBatchItems.incidentId)
    .all();
}
