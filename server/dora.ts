import "server-only";
import type { Db } from "@/db/client";
import { dataFingerprint } from "@/db/queries/dashboard-reads";
import { deployDataFingerprint, getChangeSettings, loadDoraDeploys, loadDoraLinks } from "@/db/queries/deploy-links";
import { aggregateDora, aggregateDoraOverRange, classifyDeploys, type DoraDeploy, type DoraInput, type DoraQuarter, type IgnoredLink } from "@/lib/metric/dora";
import { evaluate } from "@/lib/metric/evaluate";
import { quarterChanges } from "@/lib/export/quarters";
import type { ReportChanges } from "@/lib/export/report-model";
import type { IncidentFilter } from "@/db/queries/metric-input";
import { loadMetricInput, type MetricsOptions } from "./metrics";

/** The share of counted incidents that have a confirmed causing deploy: how far to trust the figures. */
export interface CauseCoverage {
  counted: number;
  withCause: number;
  /** withCause / counted; null when nothing counted. */
  share: number | null;
}

export type DoraQuarterFigures = DoraQuarter & { causeCoverage: CauseCoverage };

/** One service's or deploy system's figures over the whole range. */
export interface DoraRanking {
  key: string;
  figures: DoraQuarter;
}

export interface DoraReport {
  asOf: string;
  range: { from: string; to: string };
  settings: { rollbackWindowHours: number; causeWindowHours: number };
  quarters: DoraQuarterFigures[];
  /** Over the whole range, worst change fail rate first; services or systems without deployments last. */
  byService: DoraRanking[];
  bySystem: DoraRanking[];
  /** Links naming an incident or deploy that no longer exists (or a deploy after asOf): left out. */
  ignoredLinks: IgnoredLink[];
}

function coverage(countedIds: readonly string[], caused: ReadonlySet<string>): CauseCoverage {
  let withCause = 0;
  for (const id of countedIds) if (caused.has(id)) withCause++;
  return { counted: countedIds.length, withCause, share: countedIds.length ? withCause / countedIds.length : null };
}

/** Worst change fail rate first; then more deployments; "no deploy data" (null) last; ties by key. */
function ranked(rows: Map<string, DoraQuarter>): DoraRanking[] {
  const rate = (q: DoraQuarter) => (q.changeFailRate == null ? -1 : q.changeFailRate);
  return [...rows]
    .map(([key, figures]) => ({ key, figures }))
    .sort((a, b) => rate(b.figures) - rate(a.figures) || b.figures.deployments - a.figures.deployments || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Figures kept this long (like the dashboard's) when nothing they read has changed. */
const CACHE_MS = 60_000;
const MAX_CACHED = 16;
type Cached = { fingerprint: string; at: number; report: DoraReport };
const cache = new WeakMap<Db, Map<string, Cached>>();
const deployCache = new WeakMap<Db, { fingerprint: string; deploys: DoraDeploy[] }>();

/**
 * The deploys a filter keeps: of the services named (case-insensitive), through the deploy
 * systems named; the dashboard's filter applied to deploys as it is to incidents. A rollback
 * and the deployment it undoes share a service, so a service filter never separates them.
 */
export function deploysMatching(deploys: DoraDeploy[], filter: IncidentFilter | undefined): DoraDeploy[] {
  const services = filter?.services?.length ? new Set(filter.services.map((v) => v.trim().toLowerCase())) : null;
  const systems = filter?.deploySystems?.length ? new Set(filter.deploySystems.map((v) => v.trim().toLowerCase())) : null;
  if (!services && !systems) return deploys;
  return deploys.filter((d) => (!services || services.has(d.service.toLowerCase())) && (!systems || (d.system != null && systems.has(d.system.toLowerCase()))));
}

/** The stored deploys, read again only when they changed (a million rows take seconds to read). */
function storedDeploys(db: Db, fingerprint: string): DoraDeploy[] {
  const kept = deployCache.get(db);
  if (kept && kept.fingerprint === fingerprint) return kept.deploys;
  const deploys = loadDoraDeploys(db);
  deployCache.set(db, { fingerprint, deploys });
  return deploys;
}

/**
 * `computeDora` for pages: the same figures, kept for a minute per range while nothing they
 * read changed (incidents, curation, policy, settings, deploys, links). `asOf` is now.
 */
export function computeDoraCached(db: Db, range: { from?: string; to?: string } = {}, now: number = Date.now(), filter?: IncidentFilter): DoraReport {
  const fingerprint = `${dataFingerprint(db)}#${deployDataFingerprint(db)}`;
  let byRange = cache.get(db);
  if (!byRange) cache.set(db, (byRange = new Map()));
  const key = JSON.stringify([range.from ?? "", range.to ?? "", filter?.services ?? [], filter?.deploySystems ?? []]);
  const hit = byRange.get(key);
  if (hit && hit.fingerprint === fingerprint && now - hit.at >= 0 && now - hit.at < CACHE_MS) return hit.report;
  const report = computeDora(db, { asOf: now, from: range.from, to: range.to, filter });
  if (byRange.size >= MAX_CACHED) byRange.delete(byRange.keys().next().value!);
  byRange.set(key, { fingerprint, at: now, report });
  return report;
}

/** The engine's input over the stored data: the metric's input, the kept deploys (filtered), the links, the settings. */
function loadDoraInput(db: Db, opts: MetricsOptions) {
  const metricInput = loadMetricInput(db, opts);
  const changeSettings = getChangeSettings(db);
  const links = loadDoraLinks(db);
  const input: DoraInput = {
    settings: metricInput.settings,
    policy: metricInput.policy,
    asOf: metricInput.asOf,
    range: metricInput.range,
    incidents: metricInput.incidents,
    deploys: deploysMatching(storedDeploys(db, deployDataFingerprint(db)), opts.filter),
    causes: links.causes,
    remediations: links.remediations,
    dora: { rollbackWindowHours: changeSettings.rollbackWindowHours },
  };
  return { metricInput, input, links, changeSettings };
}

/**
 * The change figures (DORA.md) over the stored deploys, links and incidents, for the same
 * range and asOf as the impact metric (`loadMetricInput`: bad quarters or asOf → 422),
 * with each quarter's cause coverage and the per-service and per-system rankings.
 */
export function computeDora(db: Db, opts: MetricsOptions): DoraReport {
  const { metricInput, input, links, changeSettings } = loadDoraInput(db, opts);
  const facts = classifyDeploys(input);
  const metric = evaluate(metricInput);
  const caused = new Set(links.causes.map((l) => l.incidentId));
  const quarters = aggregateDora(facts).map((q, i) => ({ ...q, causeCoverage: coverage(metric.quarters[i].countedIncidentIds, caused) }));
  return {
    asOf: new Date(input.asOf).toISOString(),
    range: input.range,
    settings: { rollbackWindowHours: changeSettings.rollbackWindowHours, causeWindowHours: changeSettings.causeWindowHours },
    quarters,
    byService: ranked(aggregateDoraOverRange(facts, (d) => d.service)),
    bySystem: ranked(aggregateDoraOverRange(facts, (d) => d.system ?? null)),
    ignoredLinks: facts.ignoredLinks,
  };
}

/** One failed deployment behind a quarter's change fail rate, and why it failed. */
export interface FailedDeployment {
  deploy: DoraDeploy;
  /** The rollback that rolled it back, if one did. */
  rolledBackBy: DoraDeploy | null;
  /** Counted incidents it caused (ids as the engine's, i.e. incident row ids). */
  causedIncidentIds: string[];
  /** Hours to recovery; null when not recovered yet. */
  recoveryHours: number | null;
}

export interface ChangeDrillDown {
  quarter: string;
  failed: FailedDeployment[];
  /** Remediation deploys of the quarter (rollbacks and linked fixes), newest first, at most 200. */
  remediations: DoraDeploy[];
  remediationTotal: number;
}

/**
 * The deploys behind one quarter's change figures: each failed deployment with its
 * rollback, the counted incidents it caused and its recovery time; and the quarter's
 * remediation deploys. The quarter must be a valid id (422 otherwise), as of now.
 */
export function changeDrillDown(db: Db, quarter: string, now: number = Date.now()): ChangeDrillDown {
  const { metricInput, input, links } = loadDoraInput(db, { asOf: now, from: quarter, to: quarter });
  const { deploys } = input;
  const facts = classifyDeploys(input);
  const rollbackOf = new Map<number, number>();
  facts.rolledBack.forEach((d, r) => {
    if (d >= 0 && (!rollbackOf.has(d) || deploys[r].finishedAt < deploys[rollbackOf.get(d)!].finishedAt)) rollbackOf.set(d, r);
  });
  const verdicts = new Map(evaluate(metricInput).incidents.map((v) => [v.id, v.counted]));
  const causesOf = new Map<string, string[]>();
  for (const l of links.causes) {
    if (!verdicts.get(l.incidentId)) continue;
    const list = causesOf.get(l.deployId);
    if (list) list.push(l.incidentId);
    else causesOf.set(l.deployId, [l.incidentId]);
  }
  const failed: FailedDeployment[] = [];
  const remediations: DoraDeploy[] = [];
  for (let k = 0; k < deploys.length; k++) {
    if (facts.quarterIndex[k] !== 0) continue;
    if (facts.remediation[k]) remediations.push(deploys[k]);
    else if (facts.failed[k]) {
      const r = rollbackOf.get(k);
      const h = facts.recoveryHours[k];
      failed.push({ deploy: deploys[k], rolledBackBy: r === undefined ? null : deploys[r], causedIncidentIds: [...new Set(causesOf.get(deploys[k].id) ?? [])], recoveryHours: Number.isNaN(h) ? null : h });
    }
  }
  failed.sort((a, b) => b.deploy.finishedAt - a.deploy.finishedAt);
  remediations.reverse();
  return { quarter: metricInput.range.from, failed, remediations: remediations.slice(0, 200), remediationTotal: remediations.length };
}

/** The quarter's change figures as the report publishes them. */
export function reportChanges(db: Db, quarter: string, asOf: number): ReportChanges {
  const r = computeDora(db, { asOf, from: quarter, to: quarter });
  const q = r.quarters[0];
  return {
    ...quarterChanges(q),
    causeCoverage: q.causeCoverage,
    worstServices: r.byService
      .filter((x) => x.figures.deployments > 0)
      .slice(0, 5)
      .map((x) => ({ service: x.key, deployments: x.figures.deployments, failedDeployments: x.figures.failedDeployments, changeFailRate: x.figures.changeFailRate })),
  };
}
