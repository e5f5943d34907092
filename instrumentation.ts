/**
 * Runs once when the server starts: reads the incidents into memory and computes the
 * dashboard in the background, so the first person to open it after a restart doesn't wait
 * for the whole table to be read. The server does not wait for it. DASHBOARD_WARMUP=off
 * skips it.
 */
export async function register() {
  // NEXT_RUNTIME is Next's own, read raw: it says whether node-only modules may be loaded at all.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Route handlers get no socket address from Next; stamp it on each request (lib/auth/client-address.ts).
  (await import("@/lib/auth/client-address")).installPeerAddressHeader();
  const { env, EnvError } = await import("@/lib/env");
  try {
    if (env("DASHBOARD_WARMUP") === "off") return;
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.warn(`${err.message}: warming up the dashboard as for "on".`);
  }
  const [{ getDb }, { warmDashboard }] = await Promise.all([import("@/db/client"), import("@/db/queries/dashboard")]);
  warmDashboard(getDb());
}
