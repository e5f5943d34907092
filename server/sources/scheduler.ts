import "server-only";
import { getDb } from "@/db/client";
import { dueSources } from "@/db/queries/sources";
import { KIND_INFO } from "@/lib/sources/kinds";
import { runSyncFromServer } from "./run-now";
import { SourceBusyError } from "./sync";

const TICK_MS = 30_000;
const holder = globalThis as unknown as { __deploySafetySourceScheduler?: NodeJS.Timeout };

/**
 * Runs due syncs in the server process: every 30 s, each enabled polling source whose next
 * run has come is synced, one at a time. A source another process is syncing (the CLI) is
 * skipped until its next tick; the lease decides, so two servers on one database never sync
 * a source twice. Started once per process (instrumentation.ts); the timer never keeps the
 * process up.
 */
export function startSourceScheduler(opts: { tickMs?: number; now?: () => number } = {}): void {
  if (holder.__deploySafetySourceScheduler) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runDueSyncs(opts.now?.() ?? Date.now());
    } catch (err) {
      console.error("source scheduler:", err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.tickMs ?? TICK_MS);
  timer.unref();
  holder.__deploySafetySourceScheduler = timer;
}

/** Syncs every due source once (the scheduler's tick; tests call it directly). Returns the names synced. */
export async function runDueSyncs(now: number): Promise<string[]> {
  const db = getDb();
  const done: string[] = [];
  for (const source of dueSources(db, now)) {
    if (!KIND_INFO[source.kind].polls) continue;
    try {
      await runSyncFromServer(db, source.name, { trigger: "schedule", waitMs: 10 * 60_000 });
      done.push(source.name);
    } catch (err) {
      if (!(err instanceof SourceBusyError)) console.error(`source ${source.name}:`, err instanceof Error ? err.message : err);
    }
  }
  return done;
}
