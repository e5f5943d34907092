/**
 * "Why it counts": the engine's verdict on one incident and the hours it adds to each
 * quarter, computed with the pure engine so the incident page can recompute it in the
 * browser as fields change, before anything is saved.
 */
import { QuarterIdError, quarterForInstant, quarterIdFromOrdinal, quarterOrdinal } from "@/lib/metric/calendar";
import { compilePolicy, isCountedReason, type SeverityClassOrUnmapped } from "@/lib/metric/classify";
import { evaluate } from "@/lib/metric/evaluate";
import { HOUR_MS, impactWindow } from "@/lib/metric/intervals";
import { excludedBecause, type ExcludedIncident, type TimeBounds } from "@/lib/metric/time-bounds";
import type { CountReason, EngineIncident, Policy, Settings } from "@/lib/metric/types";
import type { CurationValues } from "@/lib/validation/curation";
import { ENGINE_CURATED_FIELDS, pickFields } from "./fields";

export interface QuarterHours {
  quarter: string;
  hours: number;
}

export interface Explanation {
  counted: boolean;
  /** The policy's verdict; when `excluded` is set the figures leave the incident out whatever it says. */
  reason: CountReason;
  /** Set when a time is out of the bounds on time: every figure leaves the incident out. */
  excluded: ExcludedIncident | null;
  /** One sentence a person can read. */
  sentence: string;
  severityClass: SeverityClassOrUnmapped;
  /** Effective window, epoch ms; `ongoing` when it has no end yet (measured to asOf). */
  start: number;
  end: number;
  ongoing: boolean;
  invalidWindow: boolean;
  durationHours: number;
  /** Hours this incident adds to each quarter it overlaps (empty when not counted). */
  quarters: QuarterHours[];
  /** What it would add if tagged change-triggered (for untriaged / not-change incidents). */
  ifChangeTriggered: { counted: boolean; reason: CountReason; quarters: QuarterHours[] } | null;
  /** True when overlapping incidents share hours (`union`): the quarter's figure may move by less. */
  unionMode: boolean;
}

export function reasonSentence(reason: CountReason, ctx: { severity: string; policy: Policy; overrideReason?: string | null }): string {
  const m = ctx.policy.mediumRule;
  switch (reason) {
    case "duplicate":
      return "Marked as a duplicate of another incident: only the original counts.";
    case "override_exclude":
      return `Excluded by an override${ctx.overrideReason ? `: “${ctx.overrideReason}”` : "."}`;
    case "override_include":
      return `Included by an override${ctx.overrideReason ? `: “${ctx.overrideReason}”` : "."}`;
    case "not_change_triggered":
      return "Not change-triggered, so the policy leaves it out.";
    case "untriaged":
      return "Not triaged yet: it counts only once someone tags it change-triggered.";
    case "high_severity":
      return `Change-triggered and ${ctx.severity} is a high severity: it counts.`;
    case "medium_selected":
      return `Change-triggered and ${ctx.severity} is medium; the medium rule (${describeMedium(m)}) selects it: it counts.`;
    case "medium_not_selected":
      return `${ctx.severity} is medium and the medium rule (${describeMedium(m)}) does not select it.`;
    case "low_severity":
      return `${ctx.severity} is a low severity: it never counts.`;
    case "unmapped_severity":
      return `The policy does not map severity “${ctx.severity}” to a class, so it does not count.`;
  }
}

function describeMedium(m: Policy["mediumRule"]): string {
  const parts: string[] = [];
  if (m.minDurationMinutes != null) parts.push(`lasts ≥ ${m.minDurationMinutes} min`);
  if (m.minCustomerImpactPct != null) parts.push(`customer impact ≥ ${m.minCustomerImpactPct}%`);
  if (m.features?.length) parts.push(`affects ${m.features.join("/")}`);
  if (m.services?.length) parts.push(`touches ${m.services.join("/")}`);
  return parts.length ? parts.join(m.match === "all" ? " and " : " or ") : "no conditions";
}

function quarterShares(incident: EngineIncident, settings: Settings, policy: Policy, asOf: number, start: number, end: number): QuarterHours[] {
  if (end <= start) return [];
  // A time outside the calendar (a row stored before the bounds on time): no quarter to name, and the figures leave it out.
  let from: string, to: string;
  try {
    from = quarterForInstant(start, settings).id;
    to = quarterForInstant(end - 1, settings).id;
  } catch (err) {
    if (err instanceof QuarterIdError) return [];
    throw err;
  }
  // A window can run for years while ongoing; the engine caps ranges, so clamp to 400 quarters.
  const toId = quarterOrdinal(to) - quarterOrdinal(from) > 399 ? quarterIdFromOrdinal(quarterOrdinal(from) + 399) : to;
  const res = evaluate({ settings, policy: { ...policy, overlap: "sum" }, targets: {}, asOf, range: { from, to: toId }, incidents: [incident] });
  return res.quarters.filter((q) => q.hours > 0).map((q) => ({ quarter: q.quarter, hours: q.hours }));
}

/**
 * Explains one incident under `policy` at `asOf`. Pure. With `timeBounds` (the bounds the
 * figures apply to stored rows) an incident with a time outside them is explained as left
 * out of every figure, as the figures treat it, whatever the policy would say.
 */
export function explainIncident(
  incident: EngineIncident,
  ctx: { settings: Settings; policy: Policy; asOf: number; overrideReason?: string | null; timeBounds?: TimeBounds },
): Explanation {
  const { settings, policy, asOf } = ctx;
  const excluded = ctx.timeBounds ? excludedBecause(incident, ctx.timeBounds) : null;
  const classifier = compilePolicy(policy);
  const { start, end: rawEnd } = impactWindow(incident);
  const end = rawEnd ?? asOf;
  const duration = Math.max(0, end - start);
  const reason = classifier.reason(incident, duration);
  const counted = !excluded && isCountedReason(reason);
  let ifChange: Explanation["ifChangeTriggered"] = null;
  if (!excluded && !counted && (reason === "untriaged" || reason === "not_change_triggered")) {
    const as = { ...incident, trigger: "change" as const };
    const r = classifier.reason(as, duration);
    ifChange = { counted: isCountedReason(r), reason: r, quarters: isCountedReason(r) ? quarterShares(as, settings, policy, asOf, start, end) : [] };
  }
  return {
    counted,
    reason,
    excluded,
    sentence: excluded
      ? `Left out of every figure because a time is out of bounds: ${excluded.reason}.`
      : reasonSentence(reason, { severity: incident.severity, policy, overrideReason: ctx.overrideReason }),
    severityClass: classifier.severityClass(incident.severity),
    start,
    end,
    ongoing: rawEnd == null,
    invalidWindow: end < start,
    durationHours: duration / HOUR_MS,
    quarters: counted ? quarterShares(incident, settings, policy, asOf, start, end) : [],
    ifChangeTriggered: ifChange,
    unionMode: policy.overlap === "union",
  };
}

/** The source fields the engine reads of an incident. */
export interface IncidentSourceTimes {
  id: number;
  severity: string;
  startedAt: number;
  resolvedAt: number | null;
}

/** One incident as the engine reads it: its source times with a set of curated values (saved or a draft). */
export function toEngineIncident(src: IncidentSourceTimes, v: CurationValues, duplicateOfId: number | null): EngineIncident {
  return {
    id: String(src.id),
    severity: src.severity,
    startedAt: src.startedAt,
    resolvedAt: src.resolvedAt,
    ...pickFields(v, ENGINE_CURATED_FIELDS),
    duplicateOf: duplicateOfId == null ? null : String(duplicateOfId),
  };
}
