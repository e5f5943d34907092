/**
 * First-run defaults. Deliberately free of `server-only` (unlike the other query
 * modules) because db/client.ts calls it, and client.ts is also opened by plain
 * Node processes (Playwright, tools run without the react-server condition).
 */
import type { Db } from "../client";
import { policyVersions, settings } from "../schema";
import { DEFAULT_POLICY, DEFAULT_SETTINGS } from "../../lib/metric/types";

/**
 * Idempotent: creates the settings row (id 1, METRIC.md defaults) and a first policy
 * version (DEFAULT_POLICY, note "Default policy") when missing. Never overwrites.
 */
export function ensureDefaults(db: Db, now: number = Date.now()): void {
  db.transaction((tx) => {
    tx.insert(settings).values({ id: 1, ...DEFAULT_SETTINGS, updatedAt: now, updatedBy: "system" }).onConflictDoNothing().run();
    const any = tx.select({ id: policyVersions.id }).from(policyVersions).limit(1).get();
    if (!any) tx.insert(policyVersions).values({ policy: DEFAULT_POLICY, note: "Default policy", createdAt: now, createdBy: "system" }).run();
  });
}
