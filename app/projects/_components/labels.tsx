import { inclusiveEndDate, type ProjectPhase } from "@/lib/projects/phase";
import type { ImpactVerdict } from "@/lib/projects/impact";
import { PROJECT_STATUS_LABELS, type ProjectStatus } from "@/lib/projects/status";

const STATUS_BADGE: Record<ProjectStatus, string> = {
  planned: "badge--neutral",
  in_progress: "badge--info",
  delivered: "badge--success",
  curtailed: "badge--warning",
};

export function StatusBadge({ status }: { status: ProjectStatus }) {
  return <span className={`badge ${STATUS_BADGE[status]}`}>{PROJECT_STATUS_LABELS[status]}</span>;
}

export const VERDICT_LABELS: Record<ImpactVerdict, string> = {
  not_delivered: "Not delivered",
  too_early: "Too early to tell",
  no_baseline: "No baseline",
  met: "Met expected effect",
  partial: "Dropped, short of expected",
  no_drop: "No drop",
};

const VERDICT_BADGE: Record<ImpactVerdict, string> = {
  not_delivered: "badge--neutral",
  too_early: "badge--info",
  no_baseline: "badge--neutral",
  met: "badge--success",
  partial: "badge--warning",
  no_drop: "badge--danger",
};

export function VerdictBadge({ verdict }: { verdict: ImpactVerdict }) {
  return (
    <span className={`badge ${VERDICT_BADGE[verdict]}`} data-verdict={verdict}>
      {VERDICT_LABELS[verdict]}
    </span>
  );
}

export const PHASE_LABELS: Record<ProjectPhase, string> = { before: "Before", lag: "Lag", after: "After" };
const PHASE_BADGE: Record<ProjectPhase, string> = { before: "badge--neutral", lag: "badge--warning", after: "badge--info" };

export function PhaseBadge({ phase }: { phase: ProjectPhase }) {
  return (
    <span className={`badge ${PHASE_BADGE[phase]}`} data-phase={phase}>
      {PHASE_LABELS[phase]}
    </span>
  );
}

/** Where a project is now: before delivery, inside its lag window, or past it. */
export function currentPhaseText(window: { delivery: number; lagEnd: number } | null, asOf: number, timezone: string): string {
  if (!window) return "No delivery date";
  const fmt = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);
  if (asOf < window.delivery) return `Delivery due ${fmt(window.delivery)}`;
  if (asOf < window.lagEnd) return `In lag window to ${inclusiveEndDate(window.lagEnd, timezone)}`;
  return "After lag window";
}
