import "server-only";
import type { Db } from "@/db/client";
import { dataFingerprint, wroteAfter } from "@/db/queries/dashboard-reads";
import { DASHBOARD_CACHE_MS } from "./data";
import type { IncidentFilter } from "@/db/queries/metric-input";
import type { DashboardJob } from "../workers/dashboard-worker";
import { workerClient } from "../workers/client";
import { computeDashboardModel, type DashboardModel } from "./model";

/** How long a viewer who did not write waits for new figures before being shown the previous ones. */
export const STALE_WAIT_MS = 200;
/**
 * Previous figures are shown only from this many incidents up, where a computation takes a
 * second or more: below it everyone simply waits the few milliseconds for the new figures.
 * (Not the last computation's duration: a recompute with nothing new is fast, the one after a
 * 30,000-row import is not.)
 */
export const STALE_MIN_INCIDENTS = 20_000;

export type ServedModel = DashboardModel & {
  /** True when these are the previous figures while new ones are being computed. */
  updating: boolean;
};

interface Slot {
  model: DashboardModel | null;
  /** The computation under way, and the fingerprint it was started for. */
  inflight: { fingerprint: string; promise: Promise<DashboardModel> } | null;
}

const holder = globalThis as unknown as { __deploySafetyDashboardModels?: WeakMap<Db, Map<string, Slot>> };
const worker = workerClient<DashboardJob, DashboardModel>("dashboard", "dashboard-worker.ts");

function filterKey(f: IncidentFilter): string {
  const norm = (xs?: string[]) => [...new Set((xs ?? []).map((x) => x.trim().toLowerCase()))].sort();
  return JSON.stringify([norm(f.services), norm(f.deploySystems)]);
}

function refresh(db: Db, slot: Slot, fingerprint: string, filter: IncidentFilter, now: number, inProcess: boolean): Promise<DashboardModel> {
  if (slot.inflight?.fingerprint === fingerprint) return slot.inflight.promise;
  const run = inProcess ? Promise.resolve().then(() => computeDashboardModel(db, filter, now)) : worker.run({ filter, now });
  const promise = run
    .catch((err: unknown) => {
      console.error("dashboard worker failed, computing in-process:", err instanceof Error ? err.message : err);
      return computeDashboardModel(db, filter, now);
    })
    .then((model) => {
      if (!slot.model || model.asOf >= slot.model.asOf) slot.model = model;
      if (slot.inflight?.promise === promise) slot.inflight = null;
      return model;
    });
  promise.catch(() => {
    if (slot.inflight?.promise === promise) slot.inflight = null;
  });
  slot.inflight = { fingerprint, promise };
  return promise;
}

/**
 * The dashboard's figures for the page and the default metrics answer, computed on the
 * dashboard worker thread (seconds at 100k incidents after a large import) so the server keeps
 * answering meanwhile, once per change (concurrent views share one computation).
 *
 * Stale-while-revalidate, with read-your-writes. Figures older than DASHBOARD_CACHE_MS over the
 * same data are served while new ones are computed. When what the figures read has changed
 * (`dataFingerprint`) on a large database (STALE_MIN_INCIDENTS),
 * - a viewer who wrote after the previous figures were read (an audit row under their label
 *   newer than the model's `auditHead`: an edit, an import, a policy or a target) waits for the
 *   new figures, so they always see their own change;
 * - anyone else waits up to STALE_WAIT_MS (new figures usually arrive sooner on a small
 *   database) and then gets the previous figures marked `updating`, with their own as-of time.
 *
 * `inProcess` computes on this thread; `staleWaitMs` and `staleMinIncidents` replace the defaults (tests).
 */
export async function loadDashboardModel(db: Db, opts: { filter?: IncidentFilter; actorLabel?: string | null; now?: number; inProcess?: boolean; staleWaitMs?: number; staleMinIncidents?: number } = {}): Promise<ServedModel> {
  const filter = opts.filter ?? {};
  const now = opts.now ?? Date.now();
  const slots = (holder.__deploySafetyDashboardModels ??= new WeakMap()).get(db) ?? new Map<string, Slot>();
  holder.__deploySafetyDashboardModels.set(db, slots);
  const key = filterKey(filter);
  let slot = slots.get(key);
  if (!slot) slots.set(key, (slot = { model: null, inflight: null }));
  const fingerprint = dataFingerprint(db);
  const prev = slot.model;
  if (prev && prev.fingerprint === fingerprint && now - prev.asOf >= 0 && now - prev.asOf < DASHBOARD_CACHE_MS) return { ...prev, updating: false };
  const next = refresh(db, slot, fingerprint, filter, now, opts.inProcess ?? false);
  const changed = !prev || prev.fingerprint !== fingerprint;
  if (prev && !changed) return { ...prev, updating: true }; // only older: the same data, new figures on their way
  const mustWait = !prev || prev.totalIncidents < (opts.staleMinIncidents ?? STALE_MIN_INCIDENTS) || (!!opts.actorLabel && wroteAfter(db, opts.actorLabel, prev.auditHead));
  if (mustWait) return { ...(await next), updating: false };
  let timer: NodeJS.Timeout | undefined;
  const fresh = await Promise.race([next, new Promise<null>((r) => (timer = setTimeout(() => r(null), opts.staleWaitMs ?? STALE_WAIT_MS)))]);
  clearTimeout(timer);
  return fresh ? { ...fresh, updating: false } : { ...prev, updating: true };
}

/** Starts computing the unfiltered figures on the worker (after a server start or an import), so the next view finds them. */
export function warmDashboardModel(db: Db): void {
  loadDashboardModel(db).catch((err: unknown) => console.error("dashboard warm-up failed:", err));
}
