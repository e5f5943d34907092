import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { settings as settingsTable } from "@/db/schema";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { settingsSchema } from "@/lib/validation/metric";
import type { Settings } from "@/lib/metric/types";
import { recordAudit } from "./audit";
import { getSettings } from "./config";
import { DEMO_ACTOR } from "./demo";

/** The engine settings plus the deploy windows the General tab edits. */
export interface GeneralSettings extends Settings {
  /** Minutes before impact start in which a finished deploy suggests "change-triggered". */
  deployWindowMinutes: number;
  /** Hours before an incident in which its services' deploys are offered as its causing change. */
  causeWindowHours: number;
  /** DORA.md: a rollback undoes the service's latest deployment at most this many hours earlier. */
  rollbackWindowHours: number;
}

const hoursSetting = z.number().int("must be a whole number").min(1, "must be at least 1 hour").max(720, "must be at most 720 hours (30 days)");

export const generalSettingsSchema = settingsSchema.extend({
  deployWindowMinutes: z.number().int("must be a whole number").min(0, "must be 0 or more").max(10_080, "must be at most 10080 (a week)"),
  // Optional so a caller that predates them keeps the stored values.
  causeWindowHours: hoursSetting.optional(),
  rollbackWindowHours: hoursSetting.optional(),
});

export function getGeneralSettings(db: Db): GeneralSettings {
  const row = db
    .select({ w: settingsTable.deployWindowMinutes, cause: settingsTable.causeWindowHours, rollback: settingsTable.rollbackWindowHours })
    .from(settingsTable)
    .where(eq(settingsTable.id, 1))
    .get();
  return { ...getSettings(db), deployWindowMinutes: row?.w ?? 60, causeWindowHours: row?.cause ?? 24, rollbackWindowHours: row?.rollback ?? 24 };
}

/**
 * Validates and saves every General field in one transaction (settings.update in
 * config.ts covers only the engine's four, so the deploy window would need a second
 * write); audits `settings.update` with before and after. Returns the new values.
 */
export function updateGeneralSettings(db: Db, input: unknown, opts: { actor: AuditActor; now?: number }): GeneralSettings {
  const r = generalSettingsSchema.safeParse(input);
  if (!r.success) throw new ValidationError("settings are invalid", issuesFromZod(r.error));
  const after = r.data;
  const now = opts.now ?? Date.now();
  return db.transaction((tx) => {
    const row = tx.select().from(settingsTable).where(eq(settingsTable.id, 1)).get();
    const before: GeneralSettings | null = row
      ? {
          fiscalYearStartMonth: row.fiscalYearStartMonth,
          timezone: row.timezone,
          fiscalYearLabel: row.fiscalYearLabel,
          maturityDays: row.maturityDays,
          deployWindowMinutes: row.deployWindowMinutes,
          causeWindowHours: row.causeWindowHours,
          rollbackWindowHours: row.rollbackWindowHours,
        }
      : null;
    tx.insert(settingsTable)
      .values({ id: 1, ...after, updatedAt: now, updatedBy: opts.actor.label })
      .onConflictDoUpdate({ target: settingsTable.id, set: { ...after, updatedAt: now, updatedBy: opts.actor.label } })
      .run();
    recordAudit(tx, { actor: { id: opts.actor.id ?? null, label: opts.actor.label }, action: "settings.update", entityType: "settings", entityId: 1, before, after, at: now });
    return { ...after, causeWindowHours: after.causeWindowHours ?? before?.causeWindowHours ?? 24, rollbackWindowHours: after.rollbackWindowHours ?? before?.rollbackWindowHours ?? 24 };
  });
}

/** What removing the demo data would delete, and what stays. */
export function demoDataCounts(db: Db): { loaded: boolean; incidents: number; projects: number; deploys: number; targets: number; realIncidents: number } {
  const one = (sql: string) => (db.$client.prepare(sql).get() as { n: number }).n;
  const row = db.select({ demo: settingsTable.demoData }).from(settingsTable).where(eq(settingsTable.id, 1)).get();
  return {
    loaded: row?.demo ?? false,
    incidents: one("SELECT count(*) AS n FROM incidents WHERE is_demo = 1"),
    projects: one("SELECT count(*) AS n FROM projects WHERE is_demo = 1"),
    deploys: one("SELECT count(*) AS n FROM deploy_events WHERE is_demo = 1"),
    targets: one(`SELECT count(*) AS n FROM quarter_targets WHERE created_by = '${DEMO_ACTOR.replace(/'/g, "''")}'`),
    realIncidents: one("SELECT count(*) AS n FROM incidents WHERE is_demo = 0"),
  };
}
