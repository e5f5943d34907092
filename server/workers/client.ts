import "server-only";
import path from "node:path";
import * as threads from "node:worker_threads";

/**
 * A long-lived worker thread running one TypeScript entry (through bootstrap.cjs and tsx: Next
 * bundles route handlers, so the worker runs from source), answering jobs by id. Started on
 * the first job; after a crash the jobs in flight are rejected and the next job starts a new
 * one. Unreferenced while idle, so it never keeps the process up.
 */
export interface WorkerClient<J, A> {
  run(job: J): Promise<A>;
}

interface State<A> {
  worker: threads.Worker;
  pending: Map<number, { resolve: (a: A) => void; reject: (e: Error) => void }>;
  next: number;
}

const holder = globalThis as unknown as { __deploySafetyWorkers?: Map<string, State<unknown> | null> };

// Turbopack bundles a `new Worker(file)` it can see, and would bundle tsx and esbuild's binary
// with it; the worker must run from source instead. So the constructor is looked up at run time
// and the worker starts from a line of code that requires bootstrap.cjs by a path in workerData.
const WorkerThread = Reflect.get(threads, ["Wor", "ker"].join("")) as typeof threads.Worker;
const BOOT = 'require(require("node:worker_threads").workerData.bootstrap)';

function start<A>(name: string, entry: string): State<A> {
  const dir = path.join(process.cwd(), "server", "workers");
  const worker = new WorkerThread(BOOT, {
    eval: true,
    execArgv: ["--conditions=react-server"],
    workerData: { bootstrap: path.join(dir, "bootstrap.cjs"), entry: path.join(dir, entry), databaseUrl: process.env.DATABASE_URL },
  });
  const state: State<A> = { worker, pending: new Map(), next: 1 };
  const workers = (holder.__deploySafetyWorkers ??= new Map());
  const fail = (err: Error) => {
    if (workers.get(name) === (state as State<unknown>)) workers.set(name, null);
    for (const p of state.pending.values()) p.reject(err);
    state.pending.clear();
  };
  worker.on("message", (msg: { id?: number; answer?: A; error?: string }) => {
    if (msg.id === undefined) return;
    const p = state.pending.get(msg.id);
    state.pending.delete(msg.id);
    if (state.pending.size === 0) worker.unref();
    if (msg.error !== undefined) p?.reject(new Error(msg.error));
    else p?.resolve(msg.answer as A);
  });
  worker.on("error", (err) => {
    console.error(`${name} worker failed:`, err);
    fail(err);
  });
  worker.on("exit", (code) => fail(new Error(`${name} worker exited with code ${code}`)));
  worker.unref();
  return state;
}

export function workerClient<J, A>(name: string, entry: string): WorkerClient<J, A> {
  return {
    run(job: J): Promise<A> {
      const workers = (holder.__deploySafetyWorkers ??= new Map());
      let state = workers.get(name) as State<A> | null | undefined;
      if (!state) workers.set(name, (state = start<A>(name, entry)) as State<unknown>);
      const s = state;
      const id = s.next++;
      return new Promise<A>((resolve, reject) => {
        s.pending.set(id, { resolve, reject });
        s.worker.ref();
        s.worker.postMessage({ id, job });
      });
    },
  };
}
