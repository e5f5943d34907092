/**
 * Runs once when the server starts: computes the dashboard on its worker thread in the
 * background, so the first person to open it after a restart doesn't wait for the whole
 * table to be read. The server does not wait for it. DASHBOARD_WARMUP=off
 * skips it.
 */
export async function register() {
  // NEXT_RUNTIME is Next's own, read raw: it says whether node-only modules may be loaded at all.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Route handlers get no socket address from Next; stamp it on each request (lib/auth/client-address.ts).
  (await import("@/lib/auth/client-address")).installPeerAddressHeader();
  // Scheduled digests, reports and test messages go out from the outbox (server/delivery/runner.ts).
  (await import("@/server/delivery/runner")).startDeliveryLoop((await import("@/db/client")).getDb());
  const { env, EnvError } = await import("@/lib/env");
  // Live sources' scheduled syncs (server/sources/scheduler.ts); SOURCES_SCHEDULER=off leaves them to Sync now and the CLI.
  try {
    if (env("SOURCES_SCHEDULER") === "on") (await import("@/server/sources/scheduler")).startSourceScheduler();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.warn(`${err.message}: live sources sync only when asked.`);
  }
  try {
    if (env("DASHBOARD_WARMUP") === "off") return;
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.warn(`${err.message}: warming up the dashboard as for "on".`);
  }
  // On the dashboard worker: the page and the metrics API read its compact model, so this thread
  // holds no incidents (a heap of 100k incidents made every garbage collection slower).
  const [{ getDb }, { warmDashboardModel }] = await Promise.all([import("@/db/client"), import("@/server/dashboard/cache")]);
  warmDashboardModel(getDb());
}
