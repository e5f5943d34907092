import "server-only";
import { workerClient } from "./client";
import type { ImportAnswer, ImportJob } from "./import-job";

const imports = workerClient<ImportJob, ImportAnswer>("import", "import-worker.ts");

/**
 * Runs `job` on the import worker thread, so parsing and writing 30,000 rows (seconds) never
 * blocks the server's other requests; jobs run one at a time. Resolves with the HTTP answer;
 * rejects only when the worker itself fails.
 */
export function importInWorker(job: ImportJob): Promise<ImportAnswer> {
  return imports.run(job);
}
