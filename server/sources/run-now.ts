import "server-only";
import type { Db } from "@/db/client";
import { warmDashboardModel } from "@/server/dashboard/cache";
import { syncSource, type SyncOptions, type SyncSummary } from "./sync";

/**
 * Starts a sync from the server (Sync now, the scheduler) and waits for it at most
 * `waitMs`: a small sync answers with its summary, a long one keeps running in the
 * background (its lease keeps others off) and the caller shows it as running. The
 * dashboard is recomputed after a sync that wrote.
 */
export async function runSyncFromServer(db: Db, name: string, opts: SyncOptions & { waitMs?: number } = {}): Promise<SyncSummary | "running"> {
  const sync = syncSource(db, name, opts).then((s) => {
    if (s.created + s.updated > 0) warmDashboardModel(db);
    return s;
  });
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<"running">((resolve) => {
    timer = setTimeout(() => resolve("running"), opts.waitMs ?? 20_000);
  });
  sync.catch(() => undefined);
  try {
    return await Promise.race([sync, waited]);
  } finally {
    clearTimeout(timer);
  }
}
