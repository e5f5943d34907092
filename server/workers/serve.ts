import "server-only";
import os from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase, type Db } from "@/db/client";

/**
 * The worker side of client.ts: its own database connection (WAL: it reads and writes beside
 * the server's), jobs handled one at a time in arrival order, each answered by id. A thrown
 * error answers its message; the worker keeps serving. `nice` lowers this thread's CPU
 * priority (on Linux setpriority applies to the calling thread only), so on busy cores the
 * request thread goes first.
 */
export function serveJobs<J, A>(handle: (db: Db, job: J) => A | Promise<A>, opts: { nice?: number } = {}): void {
  const port = parentPort;
  if (!port) throw new Error("a worker entry runs only as a worker thread");
  if (opts.nice) {
    try {
      os.setPriority(opts.nice);
    } catch {
      // Not permitted here: run at the process's priority.
    }
  }
  const db = openDatabase((workerData as { databaseUrl?: string }).databaseUrl);
  let queue: Promise<unknown> = Promise.resolve();
  port.on("message", (msg: { id: number; job: J }) => {
    queue = queue.then(async () => {
      try {
        port.postMessage({ id: msg.id, answer: await handle(db, msg.job) });
      } catch (err) {
        console.error("worker job failed:", err);
        port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
      }
    });
  });
}
