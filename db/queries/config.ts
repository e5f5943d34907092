import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { policyVersions, quarterTargets, settings as settingsTable } from "@/db/schema";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { DEFAULT_POLICY, DEFAULT_SETTINGS, type Policy, type Settings, type Targets } from "@/lib/metric/types";
import { policySchema, quarterIdSchema, settingsPatchSchema, settingsSchema, targetHoursSchema } from "@/lib/validation/metric";
import { recordAudit, type DbOrTx } from "./audit";

export { ensureDefaults } from "./defaults";

/** Who made a change: a label for the audit trail ("cli", an email, `token:NAME`) and an optional id. */
export type ActorInput = string | { id?: string | null; label: string };

function actorOf(a: ActorInput): { id: string | null; label: string } {
  return typeof a === "string" ? { id: null, label: a } : { id: a.id ?? null, label: a.label };
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(`${what} is invalid`, issuesFromZod(r.error));
  return r.data;
}

/** The engine's settings from row id 1 (METRIC.md defaults when the row is missing). */
export function getSettings(db: DbOrTx): Settings {
  const row = db.select().from(settingsTable).where(eq(settingsTable.id, 1)).get();
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    fiscalYearStartMonth: row.fiscalYearStartMonth,
    timezone: row.timezone,
    fiscalYearLabel: row.fiscalYearLabel,
    maturityDays: row.maturityDays,
  };
}

/** Validates and applies a partial settings change; audits `settings.update`. Returns the new settings. */
export function updateSettings(db: Db, patch: unknown, opts: { actor: ActorInput; now?: number }): Settings {
  const p = parse(settingsPatchSchema, patch, "settings");
  const now = opts.now ?? Date.now();
  return db.transaction((tx) => {
    const before = getSettings(tx);
    const after = parse(settingsSchema, { ...before, ...p }, "settings");
    const actor = actorOf(opts.actor);
    tx.insert(settingsTable)
      .values({ id: 1, ...after, updatedAt: now, updatedBy: actor.label })
      .onConflictDoUpdate({ target: settingsTable.id, set: { ...after, updatedAt: now, updatedBy: actor.label } })
      .run();
    recordAudit(tx, { actor, action: "settings.update", entityType: "settings", entityId: 1, before, after, at: now });
    return after;
  });
}

export interface PolicyVersion {
  id: number;
  policy: Policy;
  note: string | null;
  createdAt: number;
  createdBy: string | null;
}

function toVersion(row: typeof policyVersions.$inferSelect): PolicyVersion {
  return { id: row.id, policy: row.policy as Policy, note: row.note, createdAt: row.createdAt, createdBy: row.createdBy };
}

/** The policy in force (highest version id), or DEFAULT_POLICY as version 0 when none is stored. */
export function getCurrentPolicy(db: Db): PolicyVersion {
  const row = db.select().from(policyVersions).orderBy(desc(policyVersions.id)).limit(1).get();
  return row ? toVersion(row) : { id: 0, policy: DEFAULT_POLICY, note: "Default policy", createdAt: 0, createdBy: null };
}

/** Every policy version, newest first. */
export function listPolicyVersions(db: Db): PolicyVersion[] {
  return db.select().from(policyVersions).orderBy(desc(policyVersions.id)).all().map(toVersion);
}

export function getPolicyVersion(db: Db, id: number): PolicyVersion | null {
  const row = db.select().from(policyVersions).where(eq(policyVersions.id, id)).get();
  return row ? toVersion(row) : null;
}

/** Validates `policy` and appends it as the new current version; audits `policy.save`. */
export function savePolicyVersion(db: Db, policy: unknown, opts: { note?: string | null; actor: ActorInput; now?: number }): PolicyVersion {
  const valid = parse(policySchema, policy, "policy") as Policy;
  const now = opts.now ?? Date.now();
  const actor = actorOf(opts.actor);
  return db.transaction((tx) => {
    const before = tx.select().from(policyVersions).orderBy(desc(policyVersions.id)).limit(1).get();
    const row = tx
      .insert(policyVersions)
      .values({ policy: valid, note: opts.note?.trim() || null, createdAt: now, createdBy: actor.label })
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      action: "policy.save",
      entityType: "policy",
      entityId: row.id,
      before: before ? { version: before.id, policy: before.policy } : null,
      after: { version: row.id, policy: valid },
      detail: { note: row.note },
      at: now,
    });
    return toVersion(row);
  });
}

/** Target hours in force per quarter: the newest history row per quarter, where its hours are not null. */
export function getTargets(db: Db): Targets {
  const rows = db.all<{ quarter: string; hours: number | null }>(sql`
    SELECT t.quarter AS quarter, t.hours AS hours FROM quarter_targets t
    WHERE t.id = (SELECT MAX(id) FROM quarter_targets WHERE quarter = t.quarter)`);
  const out: Targets = {};
  for (const r of rows) if (r.hours != null) out[r.quarter] = r.hours;
  return out;
}

export type TargetHistoryRow = typeof quarterTargets.$inferSelect;

/** Target history, newest first; one quarter's when `quarter` is given. */
export function targetHistory(db: Db, quarter?: string): TargetHistoryRow[] {
  const q = db.select().from(quarterTargets);
  return (quarter ? q.where(eq(quarterTargets.quarter, quarter)) : q).orderBy(desc(quarterTargets.id)).all();
}

/** Sets (or with null clears) a quarter's target; appends history and audits `target.set`. */
export function setTarget(
  db: Db,
  quarter: string,
  hours: number | null,
  opts: { note?: string | null; actor: ActorInput; now?: number },
): TargetHistoryRow {
  const q = parse(quarterIdSchema, quarter, "quarter");
  const h = hours === null ? null : parse(targetHoursSchema, hours, "target hours");
  const now = opts.now ?? Date.now();
  const actor = actorOf(opts.actor);
  return db.transaction((tx) => {
    const prior = tx.select().from(quarterTargets).where(eq(quarterTargets.quarter, q)).orderBy(desc(quarterTargets.id)).limit(1).get();
    const row = tx
      .insert(quarterTargets)
      .values({ quarter: q, hours: h, note: opts.note?.trim() || null, createdAt: now, createdBy: actor.label })
      .returning()
      .get();
    recordAudit(tx, {
      actor,
      action: "target.set",
      entityType: "quarter",
      entityId: q,
      before: { hours: prior?.hours ?? null },
      after: { hours: h },
      detail: { note: row.note },
      at: now,
    });
    return row;
  });
}
