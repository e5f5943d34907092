/**
 * Runs once when the server starts: reads the incidents into memory and computes the
 * dashboard in the background, so the first person to open it after a restart doesn't wait
 * for the whole table to be read. The server does not wait for it. DASHBOARD_WARMUP=off
 * skips it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Route handlers get no socket address from Next; stamp it on each request (lib/auth/client-address.ts).
  (await import("@/lib/auth/client-address")).installPeerAddressHeader();
  const setting = (process.env.DASHBOARD_WARMUP ?? "on").trim().toLowerCase();
  if (setting === "off") return;
  if (setting !== "on") console.warn(`DASHBOARD_WARMUP must be "on" or "off", not "${process.env.DASHBOARD_WARMUP}": warming up the dashboard as for "on".`);
  const [{ getDb }, { warmDashboard }] = await Promise.all([import("@/db/client"), import("@/db/queries/dashboard")]);
  warmDashboard(getDb());
}
