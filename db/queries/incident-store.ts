import "server-only";
import type { Db } from "@/db/client";
import type { EngineIncident } from "@/lib/metric/types";
import { engineIncidentFromRow, ENGINE_INCIDENT_COLUMNS } from "./metric-input-row";

/**
 * Every incident as the engine reads it, kept in memory per database handle and brought
 * up to date from the change log (db/schema/changes.ts) instead of re-read whole: after
 * one triage edit the next dashboard re-reads one row, not 100,000.
 *
 * Correctness rests on the log's triggers, which see every writer (this process, the CLI,
 * another process). Each sync runs in one read transaction, so the head of the log and the
 * rows read belong to the same snapshot. Falls back to a full read when the log was pruned
 * past this reader or when too much changed for a delta to pay. Inside a caller's
 * transaction (which may still roll back) the delta is applied to a copy and not kept.
 *
 * The objects and the array are frozen: they are shared by every caller.
 */

/** More logged changes than this since the last sync → one full read instead. */
export const INCREMENTAL_LIMIT = 20_000;

interface StoreState {
  /** The newest change-log seq this state includes. */
  seq: number;
  byId: Map<number, EngineIncident>;
  /** Frozen, ordered by id; rebuilt lazily after inserts or deletes. */
  list: readonly EngineIncident[] | null;
  /** Incident id → its index in `list`; built on the first update-only delta after a rebuild. */
  positions: Map<number, number> | null;
}

const holder = globalThis as unknown as { __deploySafetyIncidentStore?: WeakMap<Db, StoreState> };

const SELECT = `SELECT ${ENGINE_INCIDENT_COLUMNS} FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id`;

function readRows(db: Db, where: string, args: unknown[]): Map<number, EngineIncident> {
  const out = new Map<number, EngineIncident>();
  const stmt = db.$client.prepare(`${SELECT} ${where} ORDER BY i.id`).raw(true);
  for (const r of stmt.all(...args) as unknown[][]) out.set(r[0] as number, freeze(engineIncidentFromRow(r)));
  return out;
}

function freeze(inc: EngineIncident): EngineIncident {
  Object.freeze(inc.services);
  Object.freeze(inc.affectedFeatures);
  return Object.freeze(inc);
}

function head(db: Db): number {
  return (db.$client.prepare("SELECT coalesce(max(seq), 0) AS s FROM incident_changes").get() as { s: number }).s;
}

function fullState(db: Db): StoreState {
  return { seq: head(db), byId: readRows(db, "", []), list: null, positions: null };
}

/** Applies the changes logged after `state.seq` to `state` (mutating it); false when a full read is needed instead. */
function applyDelta(db: Db, state: StoreState, to: number): boolean {
  if (to < state.seq) return false; // the log went back: not the database this state came from
  const oldest = (db.$client.prepare("SELECT coalesce(min(seq), 0) AS s FROM incident_changes").get() as { s: number }).s;
  if (oldest > state.seq + 1 || to - state.seq > INCREMENTAL_LIMIT) return false;
  const changed = db.$client.prepare("SELECT DISTINCT incident_id AS id FROM incident_changes WHERE seq > ? AND seq <= ?").pluck().all(state.seq, to) as number[];
  const rows = readRows(db, "WHERE i.id IN (SELECT incident_id FROM incident_changes WHERE seq > ? AND seq <= ?)", [state.seq, to]);
  let reorder = false;
  let lastId = -Infinity;
  for (const id of state.byId.keys()) lastId = id; // Map order is id order
  for (const id of changed) {
    const inc = rows.get(id);
    const known = state.byId.has(id);
    if (inc) {
      if (!known) {
        state.list = null;
        state.positions = null;
        if (id < lastId) reorder = true;
      }
      state.byId.set(id, inc);
    } else if (known) {
      state.byId.delete(id);
      state.list = null;
      state.positions = null;
    }
  }
  if (state.list) {
    // Only updates: a copy of the list with the changed objects swapped in.
    if (!state.positions) {
      const positions = new Map<number, number>();
      let k = 0;
      for (const id of state.byId.keys()) positions.set(id, k++);
      state.positions = positions;
    }
    const list = state.list.slice();
    for (const id of changed) {
      const k = state.positions.get(id);
      if (k !== undefined) list[k] = state.byId.get(id)!;
    }
    state.list = Object.freeze(list);
  }
  if (reorder) {
    state.byId = new Map([...state.byId.entries()].sort((a, b) => a[0] - b[0]));
    state.positions = null;
  }
  state.seq = to;
  return true;
}

function listOf(state: StoreState): readonly EngineIncident[] {
  state.list ??= Object.freeze([...state.byId.values()]);
  return state.list;
}

/**
 * All incidents with their curation, ordered by id, as of now. The array and its objects
 * are frozen and shared: copy before changing anything.
 */
export function engineIncidentSnapshot(db: Db): readonly EngineIncident[] {
  const sqlite = db.$client;
  const states = (holder.__deploySafetyIncidentStore ??= new WeakMap());
  const kept = states.get(db);
  if (sqlite.inTransaction) {
    // The caller's writes may still roll back (and their log seqs be reused): work on a copy.
    if (!kept) return listOf(fullState(db));
    const copy: StoreState = { seq: kept.seq, byId: new Map(kept.byId), list: kept.list, positions: kept.positions };
    return listOf(applyDelta(db, copy, head(db)) ? copy : fullState(db));
  }
  const state = sqlite.transaction(() => {
    const to = head(db);
    if (kept && kept.seq === to) return kept;
    if (kept && applyDelta(db, kept, to)) return kept;
    const fresh = fullState(db);
    states.set(db, fresh);
    return fresh;
  })();
  return listOf(state);
}

/** Forgets the kept incidents of `db` (tests; a restored database file). */
export function dropEngineIncidentSnapshot(db: Db): void {
  holder.__deploySafetyIncidentStore?.delete(db);
}
