import "server-only";
import type { Db } from "@/db/client";
import type { EngineIncident } from "@/lib/metric/types";
import { engineIncidentFromRow, ENGINE_INCIDENT_COLUMNS } from "./metric-input-row";

/**
 * Every incident as the engine reads it, kept in memory per database handle and brought
 * up to date instead of re-read whole: after one triage edit the next dashboard re-reads
 * one row, not 100,000.
 *
 * What changed comes from two places (migration 0002, db/schema/changes.ts): the change
 * log, which triggers fill on every update and delete whoever the writer is (this process,
 * the CLI, another process); and the ids above the newest one kept, since new incidents
 * get ever-growing AUTOINCREMENT ids and are not logged (that would slow imports). The
 * newest kept incident is re-read every time, because a curation row added to the newest
 * incident is not logged either.
 *
 * Each sync runs in one read transaction, so the log's head and the rows read belong to the
 * same snapshot. It reads everything again when the log was pruned past it or when more
 * changes wait than a delta is worth. Inside a caller's transaction (which may still roll
 * back and hand its log seqs to the next writer) the delta is applied to a copy, not kept.
 *
 * The objects and the array are frozen: they are shared by every caller.
 */

/** More logged changes than this since the last sync → one full read instead. */
export const INCREMENTAL_LIMIT = 20_000;

interface StoreState {
  /** The newest change-log seq this state includes. */
  seq: number;
  /** In id order. */
  byId: Map<number, EngineIncident>;
  /** The largest id in byId (0 when empty). */
  maxId: number;
  /** Frozen, in id order; rebuilt lazily after inserts or deletes. */
  list: readonly EngineIncident[] | null;
  /** Incident id → its index in `list`; built on the first update-only delta after a rebuild. */
  positions: Map<number, number> | null;
}

const holder = globalThis as unknown as { __deploySafetyIncidentStore?: WeakMap<Db, StoreState> };

const SELECT = `SELECT ${ENGINE_INCIDENT_COLUMNS} FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id`;

function freeze(inc: EngineIncident): EngineIncident {
  Object.freeze(inc.services);
  Object.freeze(inc.affectedFeatures);
  return Object.freeze(inc);
}

function readRows(db: Db, where: string, args: unknown[]): Map<number, EngineIncident> {
  const out = new Map<number, EngineIncident>();
  const stmt = db.$client.prepare(`${SELECT} ${where} ORDER BY i.id`).raw(true);
  for (const r of stmt.iterate(...args) as Iterable<unknown[]>) out.set(r[0] as number, freeze(engineIncidentFromRow(r)));
  return out;
}

function logHead(db: Db): number {
  return (db.$client.prepare("SELECT coalesce(max(seq), 0) AS s FROM incident_changes").get() as { s: number }).s;
}

function lastKey(map: Map<number, unknown>): number {
  let last = 0;
  for (const id of map.keys()) last = id;
  return last;
}

function fullState(db: Db): StoreState {
  const seq = logHead(db);
  const byId = readRows(db, "", []);
  return { seq, byId, maxId: lastKey(byId), list: null, positions: null };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, k) => v === b[k]);
}

/** True when two reads of an incident are equal field by field. */
function sameIncident(a: EngineIncident, b: EngineIncident): boolean {
  for (const key of Object.keys(a) as (keyof EngineIncident)[]) {
    const x = a[key];
    const y = b[key];
    if (Array.isArray(x) && Array.isArray(y) ? !sameList(x, y) : x !== y) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

/**
 * Brings `state` (mutated) up to log seq `to`; false when a full read is needed instead.
 * Reads everything it needs before changing anything, so a failed read leaves it intact.
 */
function applyDelta(db: Db, state: StoreState, to: number): boolean {
  if (to < state.seq) return false; // the log went back: not the database this state came from
  let changed: number[] = [];
  let rows = new Map<number, EngineIncident>();
  if (to > state.seq) {
    const oldest = (db.$client.prepare("SELECT coalesce(min(seq), 0) AS s FROM incident_changes").get() as { s: number }).s;
    if (oldest > state.seq + 1 || to - state.seq > INCREMENTAL_LIMIT) return false;
    const window = [state.seq, to];
    changed = db.$client.prepare("SELECT DISTINCT incident_id FROM incident_changes WHERE seq > ? AND seq <= ?").pluck().all(...window) as number[];
    rows = readRows(db, "WHERE i.id IN (SELECT incident_id FROM incident_changes WHERE seq > ? AND seq <= ?)", window);
  }
  // New incidents, and the newest kept one again (its curation row may have been added since).
  const newer = readRows(db, "WHERE i.id >= ?", [state.maxId]);
  const ids = new Set<number>([...changed, ...newer.keys()]);
  if (state.maxId > 0) ids.add(state.maxId);
  for (const [id, inc] of newer) rows.set(id, inc);

  const updated: number[] = [];
  let reorder = false;
  let maxGone = false;
  for (const id of [...ids].sort((a, b) => a - b)) {
    const inc = rows.get(id);
    const kept = state.byId.get(id);
    if (inc && kept) {
      if (sameIncident(kept, inc)) continue;
      state.byId.set(id, inc);
      updated.push(id);
    } else if (inc) {
      if (id < state.maxId) reorder = true;
      state.byId.set(id, inc);
      state.maxId = Math.max(state.maxId, id);
      state.list = null;
    } else if (kept) {
      state.byId.delete(id);
      if (id === state.maxId) maxGone = true;
      state.list = null;
    }
  }
  if (reorder) state.byId = new Map([...state.byId.entries()].sort((a, b) => a[0] - b[0]));
  if (maxGone) state.maxId = lastKey(state.byId);
  if (state.list === null) state.positions = null;
  else if (updated.length) {
    // Only updates: a copy of the list with the changed objects swapped in.
    if (!state.positions) {
      const positions = new Map<number, number>();
      let k = 0;
      for (const id of state.byId.keys()) positions.set(id, k++);
      state.positions = positions;
    }
    const list = state.list.slice();
    for (const id of updated) list[state.positions.get(id)!] = state.byId.get(id)!;
    state.list = Object.freeze(list);
  }
  state.seq = to;
  return true;
}

function listOf(state: StoreState): readonly EngineIncident[] {
  state.list ??= Object.freeze([...state.byId.values()]);
  return state.list;
}

/**
 * All incidents with their curation, in id order, as of now. The array and its objects are
 * frozen and shared: copy before changing anything.
 */
export function engineIncidentSnapshot(db: Db): readonly EngineIncident[] {
  const sqlite = db.$client;
  const states = (holder.__deploySafetyIncidentStore ??= new WeakMap());
  const kept = states.get(db);
  if (sqlite.inTransaction) {
    if (!kept) return listOf(fullState(db));
    const copy: StoreState = { ...kept, byId: new Map(kept.byId) };
    return listOf(applyDelta(db, copy, logHead(db)) ? copy : fullState(db));
  }
  const state = sqlite.transaction(() => {
    if (kept && applyDelta(db, kept, logHead(db))) return kept;
    const fresh = fullState(db);
    states.set(db, fresh);
    return fresh;
  })();
  return listOf(state);
}

/**
 * One incident as the engine reads it, straight from the database (the same mapping as the
 * snapshot), or null for an unknown id. For one page; figures read the snapshot.
 */
export function readEngineIncident(db: Db, id: number): EngineIncident | null {
  return readRows(db, "WHERE i.id = ?", [id]).get(id) ?? null;
}

/**
 * The incidents matching `where` (a trusted SQL fragment over aliases `i` and `c`) as the
 * engine reads them, in id order, straight from the database: a narrow read through an index
 * where a cold snapshot of every incident would cost more (the list's "counted" filter, the
 * triage queue).
 */
export function readEngineIncidentsWhere(db: Db, where: string, params: unknown[] = []): EngineIncident[] {
  return [...readRows(db, `WHERE ${where}`, params).values()];
}

/** Several incidents as the engine reads them, by id, in one query (a page of the list or the triage queue). */
export function readEngineIncidents(db: Db, ids: readonly number[]): Map<number, EngineIncident> {
  if (!ids.length) return new Map();
  return readRows(db, "WHERE i.id IN (SELECT value FROM json_each(?))", [JSON.stringify(ids)]);
}

/** Forgets the kept incidents of `db` (benchmarks; a restored database file). */
export function dropEngineIncidentSnapshot(db: Db): void {
  holder.__deploySafetyIncidentStore?.delete(db);
}
