import "server-only";
import type { Db } from "@/db/client";
import type { DbOrTx } from "@/db/queries/audit";
import { getCurrentPolicy, getSettings } from "@/db/queries/config";
import { updateCurationInTx, type Actor } from "@/db/queries/curation";
import { deploysNear } from "@/db/queries/deploys";
import { jsonList, projectSlugsFor } from "@/db/queries/incidents";
import { getSuggestionConfig, getTriageRow, readUntriagedEngineIncidents, triageRowsByIds, unreviewedIncidentIds, type SuggestionConfig, type TriageRow } from "@/db/queries/triage";
import { compilePolicy, isCountedReason } from "@/lib/metric/classify";
import { effectiveDurationMs, HOUR_MS, impactWindow } from "@/lib/metric/intervals";
import { suggest, type Suggestions } from "@/lib/suggestions";
import { computeMetrics } from "./metrics";

const MINUTE_MS = 60_000;

/** Suggestions for one incident: text rules plus deploys in the window before its impact start. */
export function suggestionsFor(
  db: DbOrTx,
  inc: { title: string; description: string | null; services: string[]; sourceServices: string[]; impactStart: number },
  config: SuggestionConfig,
): Suggestions {
  const services = inc.services.length ? inc.services : inc.sourceServices;
  const deploys = deploysNear(db as Db, services, inc.impactStart - config.windowMinutes * MINUTE_MS, inc.impactStart);
  return suggest(
    { title: inc.title, description: inc.description, services, impactStart: inc.impactStart },
    { rules: config.rules, deploys, windowMinutes: config.windowMinutes },
  );
}

/** One incident in the triage queue: its stored row's fields plus the engine's verdict and suggestions. */
export interface TriageItem extends Pick<TriageRow, "id" | "source" | "sourceId" | "title" | "description" | "severity" | "startedAt" | "resolvedAt" | "version"> {
  windowStart: number;
  windowEnd: number | null;
  durationHours: number;
  services: string[];
  projects: string[];
  /** Would count if tagged change-triggered (the severity rules select it). */
  candidate: boolean;
  /** The engine's reason if it were change-triggered. */
  ifChangeReason: string;
  suggestions: Suggestions;
}

export interface TriageQueue {
  total: number;
  candidates: number;
  items: TriageItem[];
}

/**
 * Untriaged incidents (trigger unknown, not duplicates): candidates (those that would
 * count if change-triggered) first, newest first within each group. `limit` items come
 * back with their suggestions; `total` and `candidates` count the whole queue.
 */
export function triageQueue(db: Db, opts: { asOf?: number; limit?: number; exclude?: number[] } = {}): TriageQueue {
  const asOf = opts.asOf ?? Date.now();
  const limit = opts.limit ?? 30;
  const exclude = new Set(opts.exclude ?? []);
  // The whole queue through the trigger index, full rows only for the page shown.
  const all = readUntriagedEngineIncidents(db).filter((e) => !exclude.has(Number(e.id)));
  const classifier = compilePolicy(getCurrentPolicy(db).policy);
  const scored = all.map((e) => {
    const reason = classifier.severityReason(e, effectiveDurationMs(e, asOf));
    return { id: Number(e.id), startedAt: e.startedAt, e, reason, candidate: isCountedReason(reason) };
  });
  scored.sort((a, b) => Number(b.candidate) - Number(a.candidate) || b.startedAt - a.startedAt || b.id - a.id);
  const page = scored.slice(0, limit);
  const candidates = scored.reduce((n, s) => n + (s.candidate ? 1 : 0), 0);
  if (page.length === 0) return { total: scored.length, candidates, items: [] };
  const rows = triageRowsByIds(
    db,
    page.map((p) => p.id),
  );
  const config = getSuggestionConfig(db);
  const projects = projectSlugsFor(
    db,
    page.map((p) => p.id),
  );
  const items: TriageItem[] = [];
  for (const { id, e, reason, candidate } of page) {
    const r = rows.get(id);
    if (!r) continue;
    const { start: windowStart, end: windowEnd } = impactWindow(r);
    items.push({
      id: r.id,
      source: r.source,
      sourceId: r.sourceId,
      title: r.title,
      description: r.description,
      severity: r.severity,
      startedAt: r.startedAt,
      resolvedAt: r.resolvedAt,
      windowStart,
      windowEnd,
      durationHours: effectiveDurationMs(e, asOf) / HOUR_MS,
      services: [...e.services],
      projects: projects.get(r.id) ?? [],
      version: r.version,
      candidate,
      ifChangeReason: reason,
      suggestions: suggestionsFor(db, { title: r.title, description: r.description, services: e.services, sourceServices: jsonList(r.sourceServices), impactStart: windowStart }, config),
    });
  }
  return { total: scored.length, candidates, items };
}

export interface UnreviewedQuarter {
  quarter: string;
  /** Counted incidents overlapping the quarter whose tag nobody has reviewed. */
  count: number;
  incidentIds: string[];
}

/**
 * Counted incidents whose tag is not reviewed yet, per quarter (for the dashboard's and
 * reports' "n unreviewed" note). Same range defaults as computeMetrics.
 */
export function unreviewedCountedByQuarter(db: Db, opts: { asOf: number; from?: string; to?: string }): { total: number; quarters: UnreviewedQuarter[] } {
  const metrics = computeMetrics(db, { asOf: opts.asOf, from: opts.from, to: opts.to });
  const unreviewed = unreviewedIncidentIds(db);
  const all = new Set<string>();
  const quarters = metrics.quarters.map((q) => {
    const ids = q.countedIncidentIds.filter((id) => unreviewed.has(id));
    ids.forEach((id) => all.add(id));
    return { quarter: q.quarter, count: ids.length, incidentIds: ids };
  });
  return { total: all.size, quarters };
}

/**
 * "Accept suggestions" for a selection: each untriaged incident with a suggestion gets
 * it (trigger, change type and deploy system when empty, the nearest deploy linked), one
 * audit row each naming the evidence. Triaged incidents and those without a suggestion
 * are left alone and reported.
 */
export function acceptSuggestions(db: Db, ids: number[], opts: { actor: Actor; now?: number }): { accepted: number; skipped: { id: number; why: string }[] } {
  const cfg = getSuggestionConfig(db);
  const ctx = { db, settings: getSettings(db), policy: getCurrentPolicy(db).policy };
  return db.transaction((tx) => {
    let accepted = 0;
    const skipped: { id: number; why: string }[] = [];
    for (const id of ids) {
      const r = getTriageRow(tx, id);
      if (!r) {
        skipped.push({ id, why: "not found" });
        continue;
      }
      if (r.trigger !== "unknown") {
        skipped.push({ id, why: "already triaged" });
        continue;
      }
      const services = jsonList(r.services);
      const s = suggestionsFor(tx, { title: r.title, description: r.description, services, sourceServices: jsonList(r.sourceServices), impactStart: impactWindow(r).start }, cfg);
      if (!s.trigger) {
        skipped.push({ id, why: "no suggestion" });
        continue;
      }
      const patch: Record<string, unknown> = { trigger: s.trigger };
      if (s.changeType && !r.changeType) patch.changeType = s.changeType;
      if (s.deploySystem && !r.deploySystem) patch.deploySystem = s.deploySystem;
      if (s.deployId) patch.linkedDeployId = s.deployId;
      const evidence = [...s.deploys.slice(0, 1).map((d) => d.evidence), ...s.text.map((t) => `${t.rule}: "${t.evidence}"`)];
      updateCurationInTx(tx, id, patch, { actor: opts.actor, action: "incident.triage", now: opts.now, detail: { acceptedSuggestion: evidence } }, ctx);
      accepted++;
    }
    return { accepted, skipped };
  });
}

