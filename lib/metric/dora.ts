/**
 * The change figures (DORA.md): deployments, change fail rate, failed deployment
 * recovery time and deployment rework rate per fiscal quarter.
 *
 * Two steps, both pure: `classifyDeploys` works out each deploy's facts once (is it a
 * remediation, did it fail and why, when did it recover, which quarter holds it), and
 * `aggregateDora` sums those facts per quarter, optionally per key (service, deploy
 * system). Nothing here reads the clock: `asOf` is explicit, as in the metric engine.
 *
 * Hot-path rules, for a million deploys: deploys are visited in one pass per service
 * in time order (sorted only when the caller's order is not already by time), facts
 * live in typed arrays, and only incidents named by a link are classified.
 */
import { quarterBounds, quartersInRange } from "./calendar";
import { compilePolicy, isCountedReason } from "./classify";
import { compareIds } from "./core";
import { toIso } from "./evaluate";
import { effectiveDurationMs, firstQuarterEndingAfter, HOUR_MS, impactWindow } from "./intervals";
import type { EngineIncident, Policy, Quarter, Settings } from "./types";

/** `cause`: this deploy caused the incident; `remediation`: it was made to fix it (DORA.md). */
export const DEPLOY_LINK_KINDS = ["cause", "remediation"] as const;
export type DeployLinkKind = (typeof DEPLOY_LINK_KINDS)[number];

export interface DoraDeploy {
  id: string;
  service: string;
  /** Epoch ms. */
  finishedAt: number;
  isRollback: boolean;
  /** For the per-system figures; absent means unknown. */
  system?: string | null;
}

/** A confirmed link: the deploy caused the incident, or was made to fix it. */
export interface DoraLink {
  incidentId: string;
  deployId: string;
}

export interface DoraSettings {
  /** A rollback rolls back the service's latest deployment at most this many hours earlier. */
  rollbackWindowHours: number;
}

export const DEFAULT_DORA_SETTINGS: DoraSettings = { rollbackWindowHours: 24 };

export interface DoraInput {
  settings: Settings;
  policy: Policy;
  asOf: number;
  range: { from: string; to: string };
  incidents: readonly EngineIncident[];
  deploys: readonly DoraDeploy[];
  causes: readonly DoraLink[];
  remediations: readonly DoraLink[];
  dora?: DoraSettings;
}

export interface DoraQuarter {
  quarter: string;
  start: string;
  end: string;
  deployments: number;
  remediationDeploys: number;
  failedDeployments: number;
  failedDeployIds: string[];
  /** Fractions; null when the quarter has nothing to divide by ("no deploy data"), never 0. */
  changeFailRate: number | null;
  recoveryMedianHours: number | null;
  recoveryP90Hours: number | null;
  unrecovered: number;
  reworkRate: number | null;
}

export type IgnoredLinkReason = "unknown incident" | "unknown deploy";

export interface IgnoredLink extends DoraLink {
  kind: "cause" | "remediation";
  why: IgnoredLinkReason;
}

/** Why a deployment failed; both may hold. */
export const FAIL_CAUSED_COUNTED = 1;
export const FAIL_ROLLED_BACK = 2;

/** Per-deploy facts, indexed as `input.deploys`. */
export interface DeployFacts {
  input: DoraInput;
  quarters: Quarter[];
  /** Quarter index in range, or -1 (outside the range, or after asOf: ignored). */
  quarterIndex: Int32Array;
  /** 1 for a rollback or a deploy named in a remediation link. */
  remediation: Uint8Array;
  /** Bit set of FAIL_* for a failed deployment; 0 otherwise. */
  failed: Uint8Array;
  /** Recovery time in hours of a failed deployment; NaN when not recovered (yet) or not failed. */
  recoveryHours: Float64Array;
  /** Index of the deployment a rollback rolled back, or -1. */
  rolledBack: Int32Array;
  /** Links naming an unknown incident or deploy (DORA.md rule 8), for the app to report. */
  ignoredLinks: IgnoredLink[];
}

/** Indices of `deploys` by service, each list in time order (finishedAt, then id). */
function byServiceInTimeOrder(deploys: readonly DoraDeploy[], known: Uint8Array): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let k = 0; k < deploys.length; k++) {
    if (!known[k]) continue;
    const list = groups.get(deploys[k].service);
    if (list) list.push(k);
    else groups.set(deploys[k].service, [k]);
  }
  const before = (a: number, b: number) => deploys[a].finishedAt - deploys[b].finishedAt || compareIds(deploys[a].id, deploys[b].id);
  for (const list of groups.values()) {
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) if (before(list[i - 1], list[i]) > 0) sorted = false;
    if (!sorted) list.sort(before);
  }
  return groups;
}

/** Rule 2: each rollback rolls back its service's latest earlier deployment within the window. */
function matchRollbacks(input: DoraInput, groups: Map<string, number[]>, remediation: Uint8Array, rolledBack: Int32Array, rollbackAt: Float64Array): void {
  const windowMs = (input.dora ?? DEFAULT_DORA_SETTINGS).rollbackWindowHours * HOUR_MS;
  const { deploys } = input;
  for (const list of groups.values()) {
    // Deployments of this service seen so far, in time order.
    const seen: number[] = [];
    for (const k of list) {
      if (!remediation[k]) {
        seen.push(k);
        continue;
      }
      if (!deploys[k].isRollback) continue;
      const t = deploys[k].finishedAt;
      // The latest deployment strictly before t (one at the same instant is not before).
      let j = seen.length - 1;
      while (j >= 0 && deploys[seen[j]].finishedAt >= t) j--;
      if (j < 0) continue;
      const d = seen[j];
      if (t - deploys[d].finishedAt > windowMs) continue;
      rolledBack[k] = d;
      if (!(rollbackAt[d] <= t)) rollbackAt[d] = t;
    }
  }
}

/**
 * Works out every deploy's facts (DORA.md rules 1–5 and 8). Throws QuarterIdError for a
 * bad range, as the metric engine does.
 */
export function classifyDeploys(input: DoraInput): DeployFacts {
  const { deploys, asOf, incidents } = input;
  const n = deploys.length;
  const quarters = quartersInRange(input.range.from, input.range.to, input.settings);
  const bounds = quarterBounds(quarters);
  const nq = quarters.length;

  // Rule 8: deploys after asOf are ignored; so are links to them. Only linked deploys
  // need an id lookup, so the map holds those, not a million entries.
  const known = new Uint8Array(n);
  const deployIndex = new Map<string, number>();
  for (const link of input.causes) deployIndex.set(link.deployId, -1);
  for (const link of input.remediations) deployIndex.set(link.deployId, -1);
  for (let k = 0; k < n; k++) {
    if (deploys[k].finishedAt > asOf) continue;
    known[k] = 1;
    if (deployIndex.get(deploys[k].id) === -1) deployIndex.set(deploys[k].id, k);
  }
  const incidentById = new Map<string, EngineIncident>();
  for (const inc of incidents) incidentById.set(inc.id, inc);

  const ignoredLinks: IgnoredLink[] = [];
  const resolve = (kind: IgnoredLink["kind"], links: readonly DoraLink[]) => {
    const out: { deploy: number; incident: EngineIncident }[] = [];
    for (const link of links) {
      const incident = incidentById.get(link.incidentId);
      const deploy = deployIndex.get(link.deployId) ?? -1;
      if (!incident) ignoredLinks.push({ ...link, kind, why: "unknown incident" });
      else if (deploy < 0) ignoredLinks.push({ ...link, kind, why: "unknown deploy" });
      else out.push({ deploy, incident });
    }
    return out;
  };
  const causes = resolve("cause", input.causes);
  const remediations = resolve("remediation", input.remediations);

  // Rule 1: rollbacks and deploys named in a remediation link are remediation deploys.
  const remediation = new Uint8Array(n);
  for (let k = 0; k < n; k++) if (known[k] && deploys[k].isRollback) remediation[k] = 1;
  const fixesByIncident = new Map<string, number>();
  for (const { deploy, incident } of remediations) {
    remediation[deploy] = 1;
    const t = deploys[deploy].finishedAt;
    const prev = fixesByIncident.get(incident.id);
    if (prev === undefined || t < prev) fixesByIncident.set(incident.id, t);
  }

  // Rule 2.
  const rolledBack = new Int32Array(n).fill(-1);
  const rollbackAt = new Float64Array(n).fill(NaN);
  matchRollbacks(input, byServiceInTimeOrder(deploys, known), remediation, rolledBack, rollbackAt);

  // Rules 3 and 5: a counted caused incident fails the deployment and may end its recovery.
  const classifier = compilePolicy(input.policy);
  const countedCache = new Map<string, boolean>();
  const counts = (inc: EngineIncident) => {
    let c = countedCache.get(inc.id);
    if (c === undefined) {
      c = isCountedReason(classifier.reason(inc, effectiveDurationMs(inc, asOf)));
      countedCache.set(inc.id, c);
    }
    return c;
  };
  const failed = new Uint8Array(n);
  const recoveredAt = new Float64Array(n).fill(NaN);
  const earlier = (k: number, t: number | null | undefined) => {
    if (t == null || t > asOf) return; // not known yet
    if (!(recoveredAt[k] <= t)) recoveredAt[k] = t;
  };
  for (const { deploy, incident } of causes) {
    if (remediation[deploy] || !counts(incident)) continue;
    failed[deploy] |= FAIL_CAUSED_COUNTED;
    earlier(deploy, fixesByIncident.get(incident.id));
    earlier(deploy, incident.mitigatedAt ?? impactWindow(incident).end);
  }
  for (let k = 0; k < n; k++) {
    if (Number.isNaN(rollbackAt[k])) continue;
    failed[k] |= FAIL_ROLLED_BACK;
    earlier(k, rollbackAt[k]);
  }

  const recoveryHours = new Float64Array(n).fill(NaN);
  const quarterIndex = new Int32Array(n).fill(-1);
  const lo = bounds[0];
  const hi = bounds[nq];
  for (let k = 0; k < n; k++) {
    if (failed[k] && !Number.isNaN(recoveredAt[k])) recoveryHours[k] = Math.max(0, recoveredAt[k] - deploys[k].finishedAt) / HOUR_MS;
    const t = deploys[k].finishedAt;
    if (known[k] && t >= lo && t < hi) quarterIndex[k] = firstQuarterEndingAfter(bounds, t);
  }
  return { input, quarters, quarterIndex, remediation, failed, recoveryHours, rolledBack, ignoredLinks };
}

/** Median of sorted values: the middle one, or the mean of the two middle ones. */
function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Nearest-rank percentile (1-based rank ceil(p·n)) of sorted values. */
function nearestRank(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.max(1, Math.ceil(p * n)) - 1];
}

interface Tally {
  deployments: number;
  remediationDeploys: number;
  failedIds: string[];
  recoveries: number[];
  unrecovered: number;
}

const emptyTally = (): Tally => ({ deployments: 0, remediationDeploys: 0, failedIds: [], recoveries: [], unrecovered: 0 });

function figuresOf(q: Quarter, t: Tally): DoraQuarter {
  const all = t.deployments + t.remediationDeploys;
  const recoveries = t.recoveries.sort((a, b) => a - b);
  return {
    quarter: q.id,
    start: toIso(q.start),
    end: toIso(q.end),
    deployments: t.deployments,
    remediationDeploys: t.remediationDeploys,
    failedDeployments: t.failedIds.length,
    failedDeployIds: t.failedIds.sort(compareIds),
    changeFailRate: t.deployments > 0 ? t.failedIds.length / t.deployments : null,
    recoveryMedianHours: median(recoveries),
    recoveryP90Hours: nearestRank(recoveries, 0.9),
    unrecovered: t.unrecovered,
    reworkRate: all > 0 ? t.remediationDeploys / all : null,
  };
}

/** Tallies the facts into `buckets` per key; `bucketOf` maps a deploy's quarter index to a bucket. */
function tally(facts: DeployFacts, buckets: number, bucketOf: (qi: number) => number, keyOf?: (d: DoraDeploy) => string | null): Map<string, Tally[]> {
  const { deploys } = facts.input;
  const tallies = new Map<string, Tally[]>();
  const tallyFor = (key: string) => {
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = Array.from({ length: buckets }, emptyTally)));
    return t;
  };
  const whole = keyOf ? null : tallyFor("");
  for (let k = 0; k < deploys.length; k++) {
    const qi = facts.quarterIndex[k];
    if (qi < 0) continue;
    let rows = whole;
    if (!rows) {
      const key = keyOf!(deploys[k]);
      if (key == null) continue;
      rows = tallyFor(key);
    }
    const t = rows[bucketOf(qi)];
    if (facts.remediation[k]) {
      t.remediationDeploys++;
      continue;
    }
    t.deployments++;
    if (!facts.failed[k]) continue;
    t.failedIds.push(deploys[k].id);
    const h = facts.recoveryHours[k];
    if (Number.isNaN(h)) t.unrecovered++;
    else t.recoveries.push(h);
  }
  return tallies;
}

/**
 * Per-quarter figures (DORA.md rules 4, 6, 7) for every quarter of the range; with
 * `keyOf`, one row of quarters per key (deploys whose key is null are left out), keys
 * sorted. A deploy outside the range or after asOf is in no quarter.
 */
export function aggregateDora(facts: DeployFacts): DoraQuarter[];
export function aggregateDora(facts: DeployFacts, keyOf: (d: DoraDeploy) => string | null): Map<string, DoraQuarter[]>;
export function aggregateDora(facts: DeployFacts, keyOf?: (d: DoraDeploy) => string | null): DoraQuarter[] | Map<string, DoraQuarter[]> {
  const tallies = tally(facts, facts.quarters.length, (qi) => qi, keyOf);
  const toQuarters = (rows: Tally[]) => rows.map((t, i) => figuresOf(facts.quarters[i], t));
  if (!keyOf) return toQuarters(tallies.get("")!);
  const out = new Map<string, DoraQuarter[]>();
  for (const key of [...tallies.keys()].sort(compareIds)) out.set(key, toQuarters(tallies.get(key)!));
  return out;
}

/**
 * The figures over the whole range at once, per key (for rankings): a median over every
 * failed deployment of the range, not a median of quarterly medians. Keys sorted.
 */
export function aggregateDoraOverRange(facts: DeployFacts, keyOf: (d: DoraDeploy) => string | null): Map<string, DoraQuarter> {
  const { quarters } = facts;
  const span: Quarter = { ...quarters[0], id: `${quarters[0].id}..${quarters[quarters.length - 1].id}`, end: quarters[quarters.length - 1].end };
  const tallies = tally(facts, 1, () => 0, keyOf);
  const out = new Map<string, DoraQuarter>();
  for (const key of [...tallies.keys()].sort(compareIds)) out.set(key, figuresOf(span, tallies.get(key)![0]));
  return out;
}

/** The `dora evaluate` contract: per-quarter figures over the whole input. */
export function evaluateDora(input: DoraInput): { quarters: DoraQuarter[]; ignoredLinks: IgnoredLink[] } {
  const facts = classifyDeploys(input);
  return { quarters: aggregateDora(facts), ignoredLinks: facts.ignoredLinks };
}
