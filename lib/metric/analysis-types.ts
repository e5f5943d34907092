/** Output types of `analyze`, `compareHere` and `computeRestatement`. Plain JSON-ready data. */
import type { SeverityClassOrUnmapped } from "./classify";
import type { CountReason, EvaluationResult, QuarterResult } from "./types";

/** Hours an incident adds to one quarter. */
export interface QuarterShare {
  quarter: string;
  /** |effective window ∩ quarter| in hours. */
  hours: number;
}

export interface IncidentAnalysis {
  id: string;
  counted: boolean;
  reason: CountReason;
  severityClass: SeverityClassOrUnmapped;
  /** Effective window, epoch ms; `endMs` is asOf for an ongoing incident. (Numbers, not ISO strings: 100k toISOString calls cost more than the rest of the pass.) */
  startMs: number;
  endMs: number;
  ongoing: boolean;
  /** Whole effective window in hours (not clipped to any quarter). */
  durationHours: number;
  /** Counts in upperBoundHours: counted, or untriaged and selected by the severity rules. */
  inUpperBound: boolean;
  /** Overlap with each quarter of the range, whether counted or not (empty when outside the range). */
  overlaps: QuarterShare[];
  /**
   * What the incident adds to each quarter's `hours`: equal to `overlaps` when counted, else [].
   * In `union` mode shared instants appear in every overlapping incident's contribution,
   * so contributions may sum to more than the quarter's hours.
   */
  contributions: QuarterShare[];
}

/** One bucket of a breakdown. `key` "unknown" collects missing values. */
export interface BreakdownRow {
  key: string;
  /** Sum of the bucket's incidents' contributions (hours). */
  hours: number;
  incidents: number;
}

export interface Breakdown {
  rows: BreakdownRow[];
  /** True when rows may sum to more than the quarter's hours (multi-valued dimension, or union mode). */
  partsMayExceedTotal: boolean;
  note: string | null;
}

export interface QuarterBreakdowns {
  service: Breakdown;
  deploySystem: Breakdown;
  changeType: Breakdown;
  severityClass: Breakdown;
  remediation: Breakdown;
}

/** `numerator / denominator`; incidents missing a needed field are in `noData`, never guessed. */
export interface Ratio {
  numerator: number;
  denominator: number;
  noData: number;
  /** numerator / denominator, or null when denominator is 0. */
  share: number | null;
}

export interface NorthStar {
  /** Counted incidents remediated within 10 min (automatic remediation) or 20 min (manual). */
  fastRemediation: Ratio;
  /** Counted incidents detected before fleet exposure reached 10%. */
  earlyDetection: Ratio;
}

export interface Completeness {
  /** Incidents overlapping the quarter that the severity rules (5–8) select, duplicates excluded. */
  candidates: number;
  /** …of which triaged (trigger ≠ unknown). */
  triaged: number;
  untriaged: number;
  /** triaged / candidates, or null with no candidates. */
  share: number | null;
}

export interface BlipPoint {
  minDurationMinutes: number;
  hours: number;
}

export interface ProvisionalReasons {
  /** Ended less than maturityDays ago. */
  recent: boolean;
  /** When the maturity period ends (ISO), for an ended quarter; else null. */
  maturesAt: string | null;
  /** Incidents in the upper-bound set overlapping the quarter with analysis pending. */
  awaitingAnalysis: number;
  /** …with no end yet. */
  ongoing: number;
  /** Untriaged incidents overlapping the quarter that would count if change-triggered. */
  untriaged: number;
  /** upperBoundHours − hours. */
  untriagedHours: number;
  /** Human sentences for a tooltip; empty unless status is provisional. */
  messages: string[];
}

export interface QuarterAnalysis extends QuarterResult {
  /** Boundaries in epoch ms. */
  startMs: number;
  endMs: number;
  breakdowns: QuarterBreakdowns;
  northStar: NorthStar;
  completeness: Completeness;
  /** Hours at medium-rule minDurationMinutes 5, 10, 20, 30 (everything else as in the policy). */
  blipSensitivity: BlipPoint[];
  provisional: ProvisionalReasons;
}

export interface Analysis {
  asOf: string;
  overlap: "sum" | "union";
  quarters: QuarterAnalysis[];
  /** Every input incident, input order. */
  incidents: IncidentAnalysis[];
  /** Exactly what `evaluate` returns for the same input. */
  evaluation: EvaluationResult;
}
