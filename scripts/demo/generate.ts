/**
 * A deterministic, believable reliability program: about 2.5 years of incidents
 * ending at `asOf`, a peak quarter, then a decline that follows the delivery of an
 * "automatic rollbacks" project by 3–6 months, a project that worked, one that did
 * not, and targets lowered over time. Same `asOf` and seed → same data.
 */
import { TZDate } from "@date-fns/tz";
import { addMonths } from "date-fns";
import type { DemoDatasetInput } from "@/db/queries/demo";
import type { StoredCuratedField } from "@/lib/incidents/fields";
import { impactWindow } from "@/lib/metric/intervals";
import type { Trigger } from "@/lib/metric/types";
import { createRandom, type Random } from "./random";
import {
  CHANGE_DESCRIPTIONS,
  CHANGE_TITLES,
  DEMO_DEPLOY_SYSTEMS,
  DEMO_SERVICES,
  OTHER_DESCRIPTIONS,
  OTHER_TITLES,
  SERVICE_FEATURES,
  SYSTEM_FOR_CHANGE,
  type ChangeType,
} from "./catalog";

export const DEMO_SETTINGS = {
  fiscalYearStartMonth: 1,
  timezone: "America/Los_Angeles",
  fiscalYearLabel: "end" as const,
  maturityDays: 30,
};

const MIN = 60_000;
const DAY = 86_400_000;

/** One generated incident: the shape db/queries/demo.ts loads. */
export type DemoIncident = DemoDatasetInput["incidents"][number];

/** Curated fields only triage fills in (the change and its fix): empty while the trigger is unknown. */
const TRIAGE_FIELDS = ["changeType", "deploySystem", "remediation"] as const satisfies readonly (StoredCuratedField & keyof DemoIncident)[];
/** Instants an incident has only once it is over. */
const END_FIELDS = ["resolvedAt", "impactEnd", "mitigatedAt"] as const satisfies readonly (keyof DemoIncident)[];

function clearFields(incident: DemoIncident, fields: readonly (keyof DemoIncident & (typeof TRIAGE_FIELDS | typeof END_FIELDS)[number])[]): void {
  for (const f of fields) incident[f] = null;
}

export interface DemoProject {
  slug: string;
  name: string;
  ownerTeam: string;
  description: string;
  status: "planned" | "in_progress" | "delivered" | "curtailed";
  deliveredOn: string | null;
  scopeServices: string[];
  scopeDeploySystems: string[];
  scopeChangeTypes: string[];
  lagMinMonths: number;
  lagMaxMonths: number;
  expectedEffectHours: number | null;
}

export interface DemoTarget {
  quarter: string;
  hours: number;
  note: string;
  createdAt: number;
}

export interface DemoDeploy {
  externalId: string;
  startedAt: number;
  finishedAt: number;
  service: string;
  deploySystem: string;
  version: string;
  outcome: "success" | "failed" | "rolled_back";
  isRollback: boolean;
}

export interface DemoDataset {
  settings: typeof DEMO_SETTINGS;
  services: typeof DEMO_SERVICES;
  deploySystems: typeof DEMO_DEPLOY_SYSTEMS;
  incidents: DemoIncident[];
  projects: DemoProject[];
  targets: DemoTarget[];
  deploys: DemoDeploy[];
}

/** Start of the calendar quarter holding `ms`, `offset` quarters away, in the demo's zone. */
function quarterStart(ms: number, offset = 0): number {
  const local = new TZDate(ms, DEMO_SETTINGS.timezone);
  const start = new TZDate(local.getFullYear(), Math.floor(local.getMonth() / 3) * 3, 1, DEMO_SETTINGS.timezone);
  return addMonths(start, offset * 3).getTime();
}

function quarterId(ms: number): string {
  const local = new TZDate(ms, DEMO_SETTINGS.timezone);
  return `FY${local.getFullYear()}-Q${Math.floor(local.getMonth() / 3) + 1}`;
}

function localDate(ms: number): string {
  const d = new TZDate(ms, DEMO_SETTINGS.timezone);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** 0 before `from`, rising linearly to 1 at `to`: how far a project's effect has arrived. */
function ramp(t: number, from: number, to: number): number {
  if (t <= from) return 0;
  if (t >= to) return 1;
  return (t - from) / (to - from);
}

function fill(template: string, service: string, feature: string): string {
  return template.replaceAll("{service}", service).replaceAll("{feature}", feature);
}

const QUARTERS_BACK = 10;
/** Incidents per quarter, oldest first: growth to a peak, then the program's effect. */
const INCIDENTS_PER_QUARTER = [38, 46, 56, 70, 74, 62, 50, 44, 40, 36, 34];

const CHANGE_MIX: [ChangeType, number][] = [
  ["code_deploy", 50],
  ["config", 20],
  ["feature_flag", 12],
  ["infra", 10],
  ["migration", 4],
  ["dependency", 4],
];
const SEVERITY_MIX: [string, number][] = [
  ["SEV1", 4],
  ["SEV2", 18],
  ["SEV3", 48],
  ["SEV4", 30],
];
const MEDIAN_MINUTES: Record<string, number> = { SEV1: 150, SEV2: 80, SEV3: 32, SEV4: 20 };

export function generateDemoData(asOf: number, seed = 73): DemoDataset {
  const rnd = createRandom(seed);
  const firstQuarter = quarterStart(asOf, -QUARTERS_BACK);
  const quarterStarts = Array.from({ length: QUARTERS_BACK + 2 }, (_, k) => quarterStart(firstQuarter, k));

  const rollbacksDelivered = quarterStarts[4] + 45 * DAY;
  const canaryDelivered = quarterStarts[6] + 30 * DAY;
  // Delivered just before the peak: search impact then falls no more than it rose, so the
  // project page shows no drop (the program-wide decline reaches search only later).
  const loadTestsDelivered = quarterStarts[3] + 10 * DAY;
  const projects = demoProjects(rollbacksDelivered, canaryDelivered, loadTestsDelivered, asOf);

  const incidents: DemoIncident[] = [];
  const deploys: DemoDeploy[] = [];
  let seq = 1000;
  for (let k = 0; k <= QUARTERS_BACK; k++) {
    const qStart = quarterStarts[k];
    const qEnd = Math.min(quarterStarts[k + 1], asOf - 2 * 3_600_000);
    const share = (qEnd - qStart) / (quarterStarts[k + 1] - qStart);
    const count = Math.round(INCIDENTS_PER_QUARTER[k] * share);
    const starts = Array.from({ length: count }, () => qStart + rnd.next() * (qEnd - qStart)).sort((a, b) => a - b);
    for (const startedAt of starts) {
      const incident = makeIncident(rnd, ++seq, startedAt, asOf, {
        rollbacks: ramp(startedAt, rollbacksDelivered + 90 * DAY, rollbacksDelivered + 180 * DAY),
        canary: ramp(startedAt, canaryDelivered + 90 * DAY, canaryDelivered + 180 * DAY),
        rollbacksDelivered,
        canaryDelivered,
      });
      incidents.push(incident.record);
      if (incident.cause) deploys.push(incident.cause);
      if (incident.rollback) deploys.push(incident.rollback);
    }
  }
  markOngoing(incidents, asOf);
  deploys.push(...backgroundDeploys(rnd, firstQuarter, asOf));
  deploys.sort((a, b) => a.finishedAt - b.finishedAt);

  return {
    settings: DEMO_SETTINGS,
    services: DEMO_SERVICES,
    deploySystems: DEMO_DEPLOY_SYSTEMS,
    incidents,
    projects,
    targets: demoTargets(quarterStarts, rollbacksDelivered, asOf),
    deploys,
  };
}

interface Effects {
  rollbacks: number;
  canary: number;
  rollbacksDelivered: number;
  canaryDelivered: number;
}

function makeIncident(rnd: Random, seq: number, startedAt: number, asOf: number, fx: Effects) {
  const age = asOf - startedAt;
  const isChange = rnd.chance(0.73);
  const service = rnd.weighted(DEMO_SERVICES.map((s, i) => [s.name, [30, 18, 14, 14, 12, 12][i]] as const));
  const services = rnd.chance(0.15) ? [service, rnd.pick(DEMO_SERVICES.filter((s) => s.name !== service)).name] : [service];
  const feature = rnd.pick(SERVICE_FEATURES[service]);
  const severity = rnd.weighted(SEVERITY_MIX);
  const changeType: ChangeType | null = isChange ? rnd.weighted(CHANGE_MIX) : null;

  let minutes = Math.max(3, rnd.skewed(MEDIAN_MINUTES[severity], 0.75));
  let remediation: string | null = null;
  let exposure: number | null = null;
  if (changeType === "code_deploy") {
    if (rnd.chance(0.85 * fx.rollbacks)) {
      remediation = "automatic_rollback";
      minutes = Math.max(2, rnd.skewed(6, 0.4));
      exposure = Math.min(9.5, rnd.skewed(3, 0.6));
    } else {
      remediation = rnd.weighted([["manual_rollback", 6], ["roll_forward", 3], ["other", 1]] as const);
      exposure = Math.min(100, rnd.skewed(30, 0.8));
    }
  } else if (changeType === "config") {
    if (rnd.chance(0.8 * fx.canary)) {
      remediation = "config_revert";
      minutes = Math.max(2, rnd.skewed(6, 0.4));
      exposure = Math.min(9.5, rnd.skewed(2, 0.5));
    } else {
      remediation = "config_revert";
      exposure = Math.min(100, rnd.skewed(45, 0.6));
    }
  } else if (changeType) {
    remediation = rnd.weighted([["manual_rollback", 4], ["roll_forward", 3], ["other", 2]] as const);
    exposure = Math.min(100, rnd.skewed(25, 0.8));
  } else {
    remediation = rnd.chance(0.5) ? "other" : null;
  }
  if (rnd.chance(0.15)) exposure = null;

  const resolvedAt = startedAt + Math.round(minutes * MIN) + rnd.int(0, 10) * MIN;
  const postHoc = rnd.chance(0.6);
  const impactStart = postHoc ? startedAt - rnd.int(0, 12) * MIN : null;
  const impactEnd = postHoc ? Math.max((impactStart ?? startedAt) + 60_000, resolvedAt - rnd.int(0, 15) * MIN) : null;
  const { start: effStart, end } = impactWindow({ startedAt, resolvedAt, impactStart, impactEnd });
  const effEnd = end ?? resolvedAt;
  const mitigatedAt = rnd.chance(0.9) ? effStart + Math.round((effEnd - effStart) * (0.75 + rnd.next() * 0.25)) : null;
  const detectedAt = effStart + Math.round(Math.min(effEnd - effStart, rnd.skewed(4, 0.6) * MIN));

  const recent = age < 40 * DAY;
  // A program triages and analyses its stragglers within a quarter or so: only the last
  // few months still wait. (Both draws are always made, so the rest of the data stays put.)
  const settled = age > 100 * DAY;
  const untriagedDraw = recent ? rnd.chance(0.75) : rnd.chance(0.02);
  const pendingDraw = age < 60 * DAY ? rnd.chance(0.7) : rnd.chance(0.01);
  const trigger: Trigger = untriagedDraw && !settled ? "unknown" : isChange ? "change" : "other";
  const pending = pendingDraw && !settled;
  const templates = changeType ? CHANGE_TITLES[changeType] : OTHER_TITLES;
  const descriptions = changeType ? CHANGE_DESCRIPTIONS[changeType] : OTHER_DESCRIPTIONS;
  const deploySystem = changeType ? SYSTEM_FOR_CHANGE[changeType](service) : null;
  const tagged = trigger !== "unknown";

  const projects: string[] = [];
  if (tagged && changeType === "code_deploy" && startedAt < fx.rollbacksDelivered && remediation !== "automatic_rollback" && rnd.chance(0.4))
    projects.push("automatic-rollbacks");
  if (tagged && changeType === "config" && startedAt < fx.canaryDelivered && rnd.chance(0.3)) projects.push("config-canary");

  const record: DemoIncident = {
    sourceId: `PD${seq}`,
    title: fill(rnd.pick(templates), service, feature),
    description: fill(rnd.pick(descriptions), service, feature),
    severity,
    status: "resolved",
    startedAt,
    resolvedAt,
    url: `https://example.pagerduty.com/incidents/PD${seq}`,
    sourceServices: services,
    trigger,
    changeType,
    deploySystem,
    services,
    affectedFeatures: rnd.chance(0.2) ? [feature, rnd.pick(SERVICE_FEATURES[services[services.length - 1]])] : [feature],
    customerImpactPct: rnd.chance(0.8) ? Math.round(Math.min(100, rnd.skewed(8, 0.9)) * 10) / 10 : null,
    impactStart,
    impactEnd,
    detectedAt,
    mitigatedAt,
    remediation,
    fleetExposurePct: tagged && exposure !== null ? Math.round(exposure * 10) / 10 : null,
    analysisStatus: pending ? "pending" : "final",
    projects,
    reviewed: tagged && age > 90 * DAY && rnd.chance(0.8),
  };
  if (!tagged) clearFields(record, TRIAGE_FIELDS);

  const cause =
    changeType && changeType !== "infra" && changeType !== "migration"
      ? deployEvent(rnd, `DEP-C${seq}`, effStart - rnd.int(5, 40) * MIN, service, deploySystem!, false)
      : null;
  const rollback =
    cause && mitigatedAt && remediation && remediation.endsWith("rollback")
      ? deployEvent(rnd, `DEP-R${seq}`, mitigatedAt, service, deploySystem!, true)
      : null;
  if (cause && rollback) cause.outcome = "rolled_back";
  // Most tagged incidents have their causing deploy (and rollback) confirmed; a fixed rule,
  // not a draw, so the rest of the demo is the same as before links existed.
  if (cause && tagged && seq % 5 !== 0) {
    record.causeDeploy = cause.externalId;
    record.fixDeploy = rollback?.externalId ?? null;
  }
  return { record, cause, rollback };
}

function deployEvent(rnd: Random, externalId: string, finishedAt: number, service: string, deploySystem: string, isRollback: boolean): DemoDeploy {
  return {
    externalId,
    startedAt: finishedAt - rnd.int(3, 25) * MIN,
    finishedAt,
    service,
    deploySystem,
    version: `v${rnd.int(1, 9)}.${rnd.int(0, 60)}.${rnd.int(0, 30)}`,
    outcome: "success",
    isRollback,
  };
}

/** Routine deploys on weekdays, so a suggestion has to pick the right one out of the noise. */
function backgroundDeploys(rnd: Random, from: number, asOf: number): DemoDeploy[] {
  const out: DemoDeploy[] = [];
  let n = 0;
  for (let day = from; day < asOf - DAY; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const s of DEMO_SERVICES) {
      const count = rnd.int(0, 2);
      for (let i = 0; i < count; i++) {
        const at = day + rnd.int(16, 26) * 3_600_000 + rnd.int(0, 59) * MIN;
        out.push(deployEvent(rnd, `DEP-${++n}`, at, s.name, SYSTEM_FOR_CHANGE.code_deploy(s.name), false));
      }
    }
  }
  return out;
}

/** The newest incident is still open, as one always seems to be. */
function markOngoing(incidents: DemoIncident[], asOf: number) {
  const last = incidents[incidents.length - 1];
  if (!last || asOf - last.startedAt > 3 * DAY) return;
  clearFields(last, END_FIELDS);
  last.status = "investigating";
  last.analysisStatus = "pending";
  last.trigger = "unknown";
  clearFields(last, TRIAGE_FIELDS);
  last.causeDeploy = null;
  last.fixDeploy = null;
}

function demoProjects(rollbacks: number, canary: number, loadTests: number, asOf: number): DemoProject[] {
  return [
    {
      slug: "automatic-rollbacks",
      name: "Automatic rollbacks",
      ownerTeam: "Deploy Infrastructure",
      description: "Roll back a code deploy automatically when its canary's error rate or latency regresses, instead of paging a human.",
      status: "delivered",
      deliveredOn: localDate(rollbacks),
      scopeServices: [],
      scopeDeploySystems: ["spinnaker", "argocd"],
      scopeChangeTypes: ["code_deploy"],
      lagMinMonths: 3,
      lagMaxMonths: 6,
      expectedEffectHours: 30,
    },
    {
      slug: "config-canary",
      name: "Staged config rollout",
      ownerTeam: "Core Platform",
      description: "Push dynamic configuration to 1% of hosts first and halt on errors.",
      status: "delivered",
      deliveredOn: localDate(canary),
      scopeServices: [],
      scopeDeploySystems: ["config-pusher"],
      scopeChangeTypes: ["config"],
      lagMinMonths: 3,
      lagMaxMonths: 6,
      expectedEffectHours: 8,
    },
    {
      slug: "search-load-tests",
      name: "Pre-deploy load tests for search",
      ownerTeam: "Search",
      description: "Run a synthetic load test against every search release before it ships.",
      status: "curtailed",
      deliveredOn: localDate(loadTests),
      scopeServices: ["search"],
      scopeDeploySystems: [],
      scopeChangeTypes: [],
      lagMinMonths: 3,
      lagMaxMonths: 6,
      expectedEffectHours: 5,
    },
    {
      slug: "flag-guardrails",
      name: "Feature-flag guardrails",
      ownerTeam: "Web Experience",
      description: "Cap a flag's first rollout step at 5% and require a metric to watch.",
      status: "in_progress",
      deliveredOn: localDate(asOf + 75 * DAY),
      scopeServices: [],
      scopeDeploySystems: ["flagship"],
      scopeChangeTypes: ["feature_flag"],
      lagMinMonths: 3,
      lagMaxMonths: 6,
      expectedEffectHours: 4,
    },
    {
      slug: "migration-linter",
      name: "Schema migration linter",
      ownerTeam: "Data Platform",
      description: "Reject migrations that take long locks on hot tables.",
      status: "planned",
      deliveredOn: null,
      scopeServices: [],
      scopeDeploySystems: [],
      scopeChangeTypes: ["migration"],
      lagMinMonths: 2,
      lagMaxMonths: 4,
      expectedEffectHours: 2,
    },
  ];
}

/**
 * Targets set two weeks before their quarter, lowered as the program showed results (history
 * kept). Nothing is dated after `asOf`: next quarter's target, due two weeks before it starts,
 * is recorded as set at `asOf` when that day is still ahead.
 */
function demoTargets(quarterStarts: number[], rollbacksDelivered: number, asOf: number): DemoTarget[] {
  const plan: [number, number, string][] = [
    [2, 40, "First target: hold the line while the program starts"],
    [3, 40, "Unchanged"],
    [4, 40, "Hold at 40 while automatic rollbacks are built"],
    [5, 38, "Automatic rollbacks shipping this quarter"],
    [6, 30, "Automatic rollbacks in their lag window"],
    [7, 25, "Rollbacks effect arriving"],
    [8, 15, "Lowered after two quarters under target"],
    [9, 12, "Staged config rollout effect expected"],
    [10, 10, "Keep the gains"],
    [11, 9, "Plan for next quarter"],
  ];
  const targets: DemoTarget[] = [];
  for (const [k, hours, note] of plan) {
    const setAt = Math.min(quarterStarts[k] - 14 * DAY, asOf);
    targets.push({ quarter: quarterId(quarterStarts[k]), hours, note, createdAt: setAt });
  }
  // One target lowered mid-quarter, so the history shows the old value and the reason.
  targets.push({
    quarter: quarterId(quarterStarts[7]),
    hours: 20,
    note: "Lowered mid-quarter: automatic rollbacks ahead of plan",
    createdAt: Math.min(Math.max(quarterStarts[7] + 20 * DAY, rollbacksDelivered), asOf),
  });
  return targets.sort((a, b) => a.createdAt - b.createdAt);
}
