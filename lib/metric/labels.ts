/**
 * The words for the engine's verdicts, one table each, used by the dashboard and its
 * drill-down, the incident list, the policy preview, the report page, its PDF and summary,
 * and the incident exports (`reasonText`). Change a wording here and every one follows.
 */
import type { CountReason, QuarterStatus } from "./types";

/** Why an incident counts toward a quarter, or does not. */
export const REASON_LABELS: Record<CountReason, string> = {
  duplicate: "Duplicate of another incident",
  override_exclude: "Excluded by an override",
  override_include: "Included by an override",
  not_change_triggered: "Not change-triggered",
  untriaged: "Not yet triaged",
  high_severity: "High severity, change-triggered",
  medium_selected: "Medium severity, selected by the medium rule",
  medium_not_selected: "Medium severity, not selected by the medium rule",
  low_severity: "Low severity",
  unmapped_severity: "Severity not mapped by the policy",
};

/** The label for a reason as stored (a string from the database or a report); an unknown one as it is. */
export function reasonLabel(reason: string): string {
  return (REASON_LABELS as Record<string, string>)[reason] ?? reason;
}

/**
 * What keeps an ended quarter provisional past its maturity date: an incident of its
 * upper-bound set that is untriaged, awaiting impact analysis, or still ongoing.
 */
export type HoldReason = "untriaged" | "awaiting_analysis" | "ongoing";

/** Lower case: they read inside a sentence ("holds provisional: untriaged, still ongoing"). */
export const HOLD_LABELS: Record<HoldReason, string> = {
  untriaged: "untriaged",
  awaiting_analysis: "awaiting impact analysis",
  ongoing: "still ongoing",
};

export const STATUS_LABELS: Record<QuarterStatus, string> = {
  final: "Final",
  provisional: "Provisional",
  in_progress: "In progress",
  future: "Future",
};

/** The label for a quarter status as stored; an unknown one as it is. */
export function statusLabel(status: string): string {
  return (STATUS_LABELS as Record<string, string>)[status] ?? status;
}
