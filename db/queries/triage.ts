import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { settings as settingsTable } from "@/db/schema";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import type { EngineIncident } from "@/lib/metric/types";
import { resolveRules, suggestionRulesSchema, deployWindowSchema, type SuggestionRule } from "@/lib/suggestions";
import { recordAudit, type DbOrTx } from "./audit";
import type { Actor } from "./curation";
import { BASE_COLUMNS, type BaseRow } from "./incidents";
import { readEngineIncidentsWhere } from "./incident-store";

export interface SuggestionConfig {
  rules: SuggestionRule[];
  windowMinutes: number;
  /** False while no rules were saved and the defaults apply. */
  customised: boolean;
}

/** The text rules and deploy window in force. */
export function getSuggestionConfig(db: DbOrTx): SuggestionConfig {
  const row = db.select({ rules: settingsTable.suggestionRules, window: settingsTable.deployWindowMinutes }).from(settingsTable).where(eq(settingsTable.id, 1)).get();
  const stored = row?.rules;
  return { rules: resolveRules(stored), windowMinutes: row?.window ?? 60, customised: Array.isArray(stored) && stored.length > 0 };
}

/**
 * Validates and saves the text rules and the deploy window (every error returned);
 * audits `settings.suggestions`. An empty rule list restores the defaults.
 */
export function saveSuggestionConfig(db: Db, input: { rules: unknown; windowMinutes: unknown }, opts: { actor: Actor; now?: number }): SuggestionConfig {
  const issues = [];
  const rules = suggestionRulesSchema.safeParse(input.rules);
  if (!rules.success) issues.push(...issuesFromZod(rules.error).map((i) => ({ ...i, field: `rules.${i.field}` })));
  const win = deployWindowSchema.safeParse(input.windowMinutes);
  if (!win.success) issues.push(...issuesFromZod(win.error).map((i) => ({ ...i, field: "windowMinutes" })));
  if (!rules.success || !win.success) throw new ValidationError("Some rules are not valid; nothing was saved", issues);
  const now = opts.now ?? Date.now();
  return db.transaction((tx) => {
    const before = getSuggestionConfig(tx);
    tx.update(settingsTable)
      .set({ suggestionRules: rules.data, deployWindowMinutes: win.data, updatedAt: now, updatedBy: opts.actor.label })
      .where(eq(settingsTable.id, 1))
      .run();
    const after = getSuggestionConfig(tx);
    recordAudit(tx, {
      actor: opts.actor,
      action: "settings.suggestions",
      entityType: "settings",
      entityId: 1,
      before: { rules: before.customised ? before.rules : "defaults", windowMinutes: before.windowMinutes },
      after: { rules: after.customised ? after.rules : "defaults", windowMinutes: after.windowMinutes },
      at: now,
    });
    return after;
  });
}

/** An incident's list columns plus what its suggestions read (JSON lists as stored). */
export type TriageRow = BaseRow & { description: string | null; sourceServices: string };

/** The untriaged queue (trigger unknown, not a duplicate) as engine incidents, through the trigger index. */
export function readUntriagedEngineIncidents(db: Db): EngineIncident[] {
  return readEngineIncidentsWhere(db, "(c.trigger = 'unknown' AND c.duplicate_of_id IS NULL) OR c.incident_id IS NULL");
}

/** The triage rows of these incidents by id (missing ids are absent). */
export function triageRowsByIds(db: Db, ids: readonly number[]): Map<number, TriageRow> {
  return new Map(
    db
      .all<TriageRow>(sql`
        SELECT ${BASE_COLUMNS}, i.description AS description, i.source_services AS sourceServices
        FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id
        WHERE i.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
      .map((r) => [r.id, r]),
  );
}

/** One incident's triage row, or undefined. */
export function getTriageRow(db: DbOrTx, id: number): TriageRow | undefined {
  return db.get<TriageRow | undefined>(sql`
    SELECT ${BASE_COLUMNS}, i.description AS description, i.source_services AS sourceServices
    FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id WHERE i.id = ${id}`);
}

/** Ids (engine ids) of every incident whose tag nobody has reviewed. */
export function unreviewedIncidentIds(db: Db): Set<string> {
  return new Set(
    db
      .all<{ id: number }>(sql`SELECT i.id AS id FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id WHERE c.reviewed_at IS NULL`)
      .map((r) => String(r.id)),
  );
}



