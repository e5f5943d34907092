import "server-only";
import type { Db } from "@/db/client";
import { listEntityAudit } from "@/db/queries/audit";
import { getCurrentPolicy, getSettings } from "@/db/queries/config";
import { getIncident } from "@/db/queries/incidents";
import { readEngineIncident } from "@/db/queries/incident-store";
import { storedRowBounds } from "@/db/queries/metric-input";
import { getSuggestionConfig } from "@/db/queries/triage";
import { explainIncident, type Explanation } from "@/lib/incidents/explain";
import { impactWindow } from "@/lib/metric/intervals";
import type { TimeBounds } from "@/lib/metric/time-bounds";
import type { Policy, Settings } from "@/lib/metric/types";
import type { Suggestions } from "@/lib/suggestions";
import { suggestionsFor } from "./triage";

export interface IncidentView {
  detail: NonNullable<ReturnType<typeof getIncident>>;
  explanation: Explanation;
  suggestions: Suggestions;
  history: ReturnType<typeof listEntityAudit>;
  settings: Settings;
  policy: Policy;
  suggestionWindowMinutes: number;
  /** The instant the verdict was computed at (epoch ms). */
  asOf: number;
  /** The bounds on time the figures apply to stored rows: the page's verdict applies them too. */
  timeBounds: TimeBounds;
}

/**
 * Everything the incident page and `GET /api/incidents/:id` show: source fields,
 * curation, the engine's verdict with hours per quarter, suggestions and history.
 * Null for an unknown id.
 */
export function incidentView(db: Db, id: number, asOf: number = Date.now()): IncidentView | null {
  const detail = getIncident(db, id);
  if (!detail) return null;
  const settings = getSettings(db);
  const policy = getCurrentPolicy(db).policy;
  const { incident: i, curation: c } = detail;
  const engine = readEngineIncident(db, id);
  if (!engine) return null;
  const config = getSuggestionConfig(db);
  const timeBounds = storedRowBounds();
  return {
    detail,
    explanation: explainIncident(engine, { settings, policy, asOf, overrideReason: c.overrideReason, timeBounds }),
    suggestions: suggestionsFor(db, { title: i.title, description: i.description, services: c.services, sourceServices: i.sourceServices, impactStart: impactWindow({ ...i, ...c }).start }, config),
    history: listEntityAudit(db, "incident", id),
    settings,
    policy,
    suggestionWindowMinutes: config.windowMinutes,
    asOf,
    timeBounds,
  };
}
