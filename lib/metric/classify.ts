/**
 * Does an incident count? METRIC.md's rules in order, with our rule 0 (duplicates).
 */
import { effectiveDurationMs } from "./intervals";
import type { CountReason, EngineIncident, MediumRule, Policy, SeverityClass } from "./types";

/** A severity's class, or `unmapped` when no key of `severityClasses` matches. */
export type SeverityClassOrUnmapped = SeverityClass | "unmapped";

/** Reasons under which an incident counts. */
export const COUNTED_REASONS: ReadonlySet<CountReason> = new Set(["override_include", "high_severity", "medium_selected"]);

const MINUTE_MS = 60_000;

/**
 * The policy compiled for fast per-incident use. Severity keys are matched
 * case-insensitively after trimming (`" sev1 "` matches key `SEV1`); results are
 * cached per raw severity string, so 100k incidents cost a few map lookups.
 */
export interface Classifier {
  /** Class of a raw severity. */
  severityClass(severity: string): SeverityClassOrUnmapped;
  /** Whether the medium rule selects the incident; `durationMs` is its whole effective window. */
  mediumSelects(incident: EngineIncident, durationMs: number): boolean;
  /** Rules 0–8. `durationMs` is the effective window's length (not clipped to any quarter). */
  reason(incident: EngineIncident, durationMs: number): CountReason;
  /** Rules 5–8 only: what the severity rules say, as if the incident were change-triggered. */
  severityReason(incident: EngineIncident, durationMs: number): CountReason;
}

function normalizedSet(values: readonly string[] | undefined): Set<string> | null {
  if (!values || values.length === 0) return null;
  return new Set(values.map((v) => v.trim().toLowerCase()));
}

function sharesAny(values: readonly string[], wanted: Set<string>): boolean {
  for (const v of values) if (wanted.has(v.trim().toLowerCase())) return true;
  return false;
}

/**
 * Compiles a medium rule. Each present, non-empty key is one condition:
 * `minDurationMinutes` (duration ≥ N min), `minCustomerImpactPct` (pct not null and ≥ P),
 * `features` / `services` (shares an entry, case-insensitive). `any` needs one,
 * `all` needs every one; a rule with no conditions selects nothing.
 */
export function compileMediumRule(rule: MediumRule): (incident: EngineIncident, durationMs: number) => boolean {
  const conditions: ((i: EngineIncident, d: number) => boolean)[] = [];
  if (rule.minDurationMinutes != null) {
    const min = rule.minDurationMinutes * MINUTE_MS;
    conditions.push((_i, d) => d >= min);
  }
  if (rule.minCustomerImpactPct != null) {
    const p = rule.minCustomerImpactPct;
    conditions.push((i) => i.customerImpactPct != null && i.customerImpactPct >= p);
  }
  const features = normalizedSet(rule.features);
  if (features) conditions.push((i) => sharesAny(i.affectedFeatures, features));
  const services = normalizedSet(rule.services);
  if (services) conditions.push((i) => sharesAny(i.services, services));
  if (conditions.length === 0) return () => false;
  if (rule.match === "all") return (i, d) => conditions.every((c) => c(i, d));
  return (i, d) => conditions.some((c) => c(i, d));
}

/** Builds a Classifier for `policy`. */
export function compilePolicy(policy: Policy): Classifier {
  const classes = new Map<string, SeverityClass>();
  for (const [key, cls] of Object.entries(policy.severityClasses)) classes.set(key.trim().toLowerCase(), cls);
  const cache = new Map<string, SeverityClassOrUnmapped>();
  const severityClass = (severity: string): SeverityClassOrUnmapped => {
    let cls = cache.get(severity);
    if (cls === undefined) {
      cls = classes.get(String(severity ?? "").trim().toLowerCase()) ?? "unmapped";
      cache.set(severity, cls);
    }
    return cls;
  };
  const mediumSelects = compileMediumRule(policy.mediumRule);
  const severityReason = (incident: EngineIncident, durationMs: number): CountReason => {
    switch (severityClass(incident.severity)) {
      case "high":
        return "high_severity";
      case "medium":
        return mediumSelects(incident, durationMs) ? "medium_selected" : "medium_not_selected";
      case "low":
        return "low_severity";
      default:
        return "unmapped_severity";
    }
  };
  const requireChange = policy.requireChangeTriggered;
  return {
    severityClass,
    mediumSelects,
    severityReason,
    reason(incident, durationMs) {
      if (incident.duplicateOf != null && incident.duplicateOf !== "") return "duplicate";
      if (incident.override === "exclude") return "override_exclude";
      if (incident.override === "include") return "override_include";
      if (requireChange && incident.trigger === "other") return "not_change_triggered";
      if (requireChange && incident.trigger === "unknown") return "untriaged";
      return severityReason(incident, durationMs);
    },
  };
}

/** True when `reason` means the incident counts. */
export function isCountedReason(reason: CountReason): boolean {
  return COUNTED_REASONS.has(reason);
}

/**
 * Classifies one incident against `policy` at `asOf` (epoch ms; an ongoing incident's
 * window runs to `asOf`). For many incidents, compile once with `compilePolicy`.
 */
export function classifyIncident(incident: EngineIncident, policy: Policy, asOf: number): { counted: boolean; reason: CountReason } {
  const reason = compilePolicy(policy).reason(incident, effectiveDurationMs(incident, asOf));
  return { counted: isCountedReason(reason), reason };
}
