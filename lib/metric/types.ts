/**
 * Types of the metric engine (see ../shared/spec/METRIC.md). Pure data: no framework,
 * no database. Instants inside the engine are epoch milliseconds (UTC); the edges
 * (case files, API) speak ISO-8601.
 */

import { DEFAULT_SEVERITY_CLASSES } from "./severity-vocabulary";

/*
 * Enum tuples, declared once: zod (`z.enum(TRIGGERS)`), drizzle (`text({ enum: TRIGGERS })`)
 * and the importer read these, so a new value is one change here.
 */
/** `unknown` means untriaged. */
export const TRIGGERS = ["change", "other", "unknown"] as const;
export const SEVERITY_CLASSES = ["high", "medium", "low"] as const;
export const OVERLAP_MODES = ["sum", "union"] as const;
export const ANALYSIS_STATUSES = ["pending", "final"] as const;
export const OVERRIDES = ["include", "exclude"] as const;
export const FISCAL_YEAR_LABELS = ["start", "end"] as const;
export const MEDIUM_RULE_MATCHES = ["any", "all"] as const;

export type Trigger = (typeof TRIGGERS)[number];
export type SeverityClass = (typeof SEVERITY_CLASSES)[number];
export type OverlapMode = (typeof OVERLAP_MODES)[number];
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];
export type Override = (typeof OVERRIDES)[number];
export type QuarterStatus = "future" | "in_progress" | "provisional" | "final";

/** Why an incident counts or not. `duplicate` is ours: a record marked as another's duplicate never counts. */
export type CountReason =
  | "duplicate"
  | "override_exclude"
  | "override_include"
  | "not_change_triggered"
  | "untriaged"
  | "high_severity"
  | "medium_selected"
  | "medium_not_selected"
  | "low_severity"
  | "unmapped_severity";

export interface Settings {
  /** 1–12: the month in which Q1 starts. */
  fiscalYearStartMonth: number;
  /** IANA zone; quarters start at local midnight on the 1st. */
  timezone: string;
  /** `end`: a fiscal year is named by the calendar year in which it ends; `start`: the year it starts. */
  fiscalYearLabel: (typeof FISCAL_YEAR_LABELS)[number];
  /** Days after a quarter ends during which it stays provisional. */
  maturityDays: number;
}

export interface MediumRule {
  match: (typeof MEDIUM_RULE_MATCHES)[number];
  minDurationMinutes?: number | null;
  minCustomerImpactPct?: number | null;
  features?: string[];
  services?: string[];
}

export interface Policy {
  severityClasses: Record<string, SeverityClass>;
  requireChangeTriggered: boolean;
  mediumRule: MediumRule;
  overlap: OverlapMode;
}

/** Target hours by quarter id (`FY2024-Q1`). */
export type Targets = Record<string, number>;

/** One incident as the engine reads it. Instants are epoch ms. */
export interface EngineIncident {
  id: string;
  severity: string;
  trigger: Trigger;
  startedAt: number;
  resolvedAt: number | null;
  impactStart: number | null;
  impactEnd: number | null;
  customerImpactPct: number | null;
  affectedFeatures: string[];
  services: string[];
  override: Override | null;
  analysisStatus: AnalysisStatus;
  /** Extras for breakdowns and North Star figures; absent means unknown. */
  deploySystem?: string | null;
  changeType?: string | null;
  remediation?: string | null;
  detectedAt?: number | null;
  mitigatedAt?: number | null;
  fleetExposurePct?: number | null;
  /** Id of the incident this one duplicates; a duplicate never counts. */
  duplicateOf?: string | null;
}

/** A quarter in the fiscal calendar. `start` inclusive, `end` exclusive, epoch ms. */
export interface Quarter {
  id: string;
  fiscalYear: number;
  index: 1 | 2 | 3 | 4;
  start: number;
  end: number;
}

export interface QuarterResult {
  quarter: string;
  /** ISO-8601 instants (UTC, `Z`). */
  start: string;
  end: string;
  hours: number;
  upperBoundHours: number;
  countedIncidentIds: string[];
  target: number | null;
  status: QuarterStatus;
}

export interface IncidentResult {
  id: string;
  counted: boolean;
  reason: CountReason;
}

/** The contract of `cli evaluate`, `cli metrics --json` and `GET /api/metrics/quarters`. */
export interface EvaluationResult {
  quarters: QuarterResult[];
  incidents: IncidentResult[];
}

export interface EvaluationInput {
  settings: Settings;
  policy: Policy;
  targets: Targets;
  /** The instant "now" for this evaluation; nothing in the engine reads the clock. */
  asOf: number;
  /** Inclusive range of quarter ids. */
  range: { from: string; to: string };
  incidents: readonly EngineIncident[];
}

export const DEFAULT_SETTINGS: Settings = {
  fiscalYearStartMonth: 1,
  timezone: "UTC",
  fiscalYearLabel: "end",
  maturityDays: 30,
};

/** The default policy of a new database (METRIC.md), with the tools' severity vocabularies. */
export const DEFAULT_POLICY: Policy = {
  // METRIC.md's keys plus the common tools' vocabularies (severity-vocabulary.ts).
  severityClasses: DEFAULT_SEVERITY_CLASSES,
  requireChangeTriggered: true,
  mediumRule: { match: "any", minDurationMinutes: 10 },
  overlap: "sum",
};
