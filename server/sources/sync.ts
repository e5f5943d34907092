import "server-only";
import os from "node:os";
import type { Db } from "@/db/client";
import { importIncidents, type ImportActor } from "@/db/queries/imports";
import {
  acquireLease,
  createRunBatch,
  finishRun,
  getSourceByName,
  latestRun,
  recordPage,
  releaseLease,
  renewLease,
  resumeRun,
  startRun,
  type SourceRow,
  type SourceRunRow,
} from "@/db/queries/sources";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/api/errors";
import { ImportFileError } from "@/lib/import/input";
import { parseImportText } from "@/lib/import/parse";
import { connectorFor } from "./connectors";
import type { Connector, ConnectorContext, Cursor } from "./connectors/types";
import { DEFAULT_HTTP, getJson, SyncError, type HttpOptions } from "./http";
import { openSourceSecret } from "./secrets";

/** How long a lease lasts without renewal: a crashed process's lease frees itself after this. */
export const LEASE_MS = 2 * 60_000;
const THIS_HOST = os.hostname();

export interface SyncOptions {
  trigger?: SourceRunRow["trigger"];
  actor?: ImportActor;
  /** Page size asked for (at most the vendor's maximum). */
  pageSize?: number;
  http?: Partial<HttpOptions>;
  now?: () => number;
  /** Who holds the lease: host, process and a random tag by default. */
  owner?: string;
  /** Called after each page is committed (tests and progress output). */
  onPage?: (info: { run: number; page: number; fetched: number; cursor: Cursor | null }) => void;
  databaseUrl?: string;
}

/** The JSON summary of one sync, like an import's. */
export interface SyncSummary {
  source: string;
  kind: string;
  run: number;
  status: "succeeded" | "failed";
  resumed: boolean;
  batchId: number | null;
  window: { since: string | null; until: string };
  pages: number;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: string | null;
}

export class SourceBusyError extends ConflictError {}

function defaultOwner(): string {
  return `${THIS_HOST}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/** The lease holder's owner string when it is a process on this host that is gone (a crash), so its lease can be taken at once. */
function deadOwnerOf(source: SourceRow): string | null {
  const owner = source.leaseOwner;
  if (!owner) return null;
  const [host, pid] = owner.split(":");
  if (host !== THIS_HOST || !/^\d+$/.test(pid ?? "")) return null;
  try {
    process.kill(Number(pid), 0);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH" ? owner : null;
  }
}

function connectorOrThrow(source: SourceRow): Connector {
  const connector = connectorFor(source.kind);
  if (!connector) throw new ValidationError(`Source "${source.name}" (${source.kind}) has no connector: it receives webhooks only`);
  return connector;
}

function contextOf(source: SourceRow, connector: Connector, since: number, until: number, pageSize: number | undefined, databaseUrl?: string): ConnectorContext {
  const credential = source.credential ? openSourceSecret(source.credential, source.name, databaseUrl) : null;
  return { baseUrl: source.baseUrl, scope: source.scope, credential, since, until, pageSize: Math.max(1, Math.min(pageSize ?? connector.maxPageSize, connector.maxPageSize)) };
}

/** The window of a new run: from the last synced point less the overlap (or the first window), to now; cut to the vendor's longest. */
function newWindow(source: SourceRow, connector: Connector, now: number): { since: number; until: number } {
  let since = source.syncedUntil !== null ? source.syncedUntil - connector.overlapMs : now - connector.firstWindowMs;
  if (connector.maxWindowMs && now - since > connector.maxWindowMs) since = now - connector.maxWindowMs;
  return { since, until: now };
}

/**
 * Syncs one source: takes its lease (one sync of a source at a time, across processes),
 * resumes an interrupted or failed run from its cursor or starts a new window, then reads
 * page after page, writing each page's incidents and the next cursor in ONE transaction into
 * the run's import batch (so a crash loses nothing and doubles nothing). Throws
 * SourceBusyError when another sync holds the lease, NotFoundError/ValidationError for a bad
 * source; a failing vendor ends the run `failed` with its reason in plain words.
 */
export async function syncSource(db: Db, name: string, opts: SyncOptions = {}): Promise<SyncSummary> {
  const now = opts.now ?? Date.now;
  const http: HttpOptions = { ...DEFAULT_HTTP, ...opts.http };
  const actor = opts.actor ?? { label: `source:${name}` };
  const source = getSourceByName(db, name);
  if (!source) throw new NotFoundError(`No source named "${name}"`);
  const connector = connectorOrThrow(source);
  const owner = opts.owner ?? defaultOwner();
  if (!acquireLease(db, source.id, owner, now(), now() + LEASE_MS, deadOwnerOf(source))) {
    const until = source.leaseUntil ? new Date(source.leaseUntil).toISOString() : "soon";
    throw new SourceBusyError(`Source "${name}" is already syncing (in another process); try again after ${until}`);
  }
  const keepLease = (ms = 0) => {
    if (!renewLease(db, source.id, owner, now() + LEASE_MS + ms)) throw new SyncError("another process took over this sync (its lease expired)");
  };
  http.onWait = (ms) => keepLease(ms);

  let run: SourceRunRow | null = null;
  let resumed = false;
  try {
    const last = latestRun(db, source.id);
    if (last && last.status !== "succeeded" && (last.status === "running" || last.cursor !== null || last.batchId !== null)) {
      run = resumeRun(db, last.id);
      resumed = true;
    } else {
      const w = newWindow(source, connector, now());
      run = startRun(db, { sourceId: source.id, trigger: opts.trigger ?? "manual", windowSince: w.since, windowUntil: w.until, now: now() });
    }
    const current = run;
    const ctx = contextOf(source, connector, current.windowSince ?? 0, current.windowUntil, opts.pageSize, opts.databaseUrl);
    let cursor: Cursor | null = current.cursor ?? null;
    let batchId = current.batchId;
    let page = current.pages;
    for (;;) {
      keepLease();
      const req = connector.request(ctx, cursor);
      const { json, text } = await getJson(req.url, req.headers, connector.vendor, http, now);
      const read = connector.readPage(json, ctx, cursor);
      const parsed = read.items.length ? await parsePage(text, connector) : null;
      const at = now();
      db.$client.transaction(() => {
        keepLease();
        let counts = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
        let errors: { row: number; sourceId: string | null; column: string; reason: string }[] = [];
        if (parsed && (parsed.rows.length || parsed.errors.length)) {
          batchId ??= createRunBatch(db, current, parsed.source, parsed.format, `sync: ${source.name} (run ${current.id})`, actor, at);
          const s = importIncidents(db, parsed.rows, parsed.errors, { source: parsed.source, format: parsed.format, actor, skipInvalid: true, appendTo: batchId, now: at });
          counts = { created: s.created, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected };
          errors = s.errors.map((e) => ({ ...e, reason: `page ${page + 1}: ${e.reason}` }));
        }
        recordPage(db, current.id, { cursor: read.next, fetched: read.items.length, ...counts, batchId, errors });
      })();
      page++;
      cursor = read.next;
      opts.onPage?.({ run: current.id, page, fetched: read.items.length, cursor });
      if (!cursor) break;
    }
    run = finishRun(db, current, { status: "succeeded", now: now(), everyMinutes: source.everyMinutes, actor, sourceName: source.name });
  } catch (err) {
    if (!run) throw err;
    const message = err instanceof SyncError || err instanceof ImportFileError || err instanceof ValidationError ? err.message : "the sync failed unexpectedly (see the server log)";
    if (!(err instanceof SyncError)) console.error(`source ${name}: sync failed:`, err instanceof Error ? err.message : err);
    run = finishRun(db, run, { status: "failed", error: message, now: now(), everyMinutes: source.everyMinutes, actor, sourceName: source.name });
  } finally {
    releaseLease(db, source.id, owner);
  }
  return summaryOf(source, run, resumed);
}

async function parsePage(text: string, connector: Connector) {
  try {
    return await parseImportText(text, { format: connector.format });
  } catch (err) {
    if (err instanceof ImportFileError) throw new SyncError(`${connector.vendor} sent a page the importer cannot read: ${err.message}`);
    throw err;
  }
}

function summaryOf(source: SourceRow, run: SourceRunRow, resumed: boolean): SyncSummary {
  return {
    source: source.name,
    kind: source.kind,
    run: run.id,
    status: run.status === "succeeded" ? "succeeded" : "failed",
    resumed,
    batchId: run.batchId,
    window: { since: run.windowSince === null ? null : new Date(run.windowSince).toISOString(), until: new Date(run.windowUntil).toISOString() },
    pages: run.pages,
    fetched: run.fetched,
    created: run.created,
    updated: run.updated,
    unchanged: run.unchanged,
    rejected: run.rejected,
    error: run.error,
  };
}

const TEST_WINDOW_MS = 30 * 86_400_000;

/**
 * Asks for one small page of the last 30 days: whether the base URL, credential and scope work,
 * in plain words. Writes nothing.
 */
export async function testSourceConnection(db: Db, name: string, opts: { http?: Partial<HttpOptions>; databaseUrl?: string; now?: number } = {}): Promise<{ ok: boolean; message: string }> {
  const source = getSourceByName(db, name);
  if (!source) throw new NotFoundError(`No source named "${name}"`);
  const connector = connectorOrThrow(source);
  const now = opts.now ?? Date.now();
  try {
    const ctx = contextOf(source, connector, now - TEST_WINDOW_MS, now, 1, opts.databaseUrl);
    const req = connector.request(ctx, null);
    const { json } = await getJson(req.url, req.headers, connector.vendor, { ...DEFAULT_HTTP, maxRetries: 1, maxRateLimited: 1, timeoutMs: 15_000, backoffMs: 500, ...opts.http });
    const read = connector.readPage(json, ctx, null);
    return { ok: true, message: `Connected to ${connector.vendor}: ${read.items.length ? "incidents can be read" : "the request was accepted, but it found no incidents in the last 30 days"}.` };
  } catch (err) {
    if (err instanceof SyncError || err instanceof Error) return { ok: false, message: err.message };
    return { ok: false, message: "the connection test failed" };
  }
}
