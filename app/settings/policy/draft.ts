/**
 * The policy editor's form state and its conversion to a Policy. Numbers stay strings
 * while typed, so a half-typed value is shown as the person typed it.
 */
import type { Policy, SeverityClass } from "@/lib/metric/types";

export interface PolicyDraft {
  severity: Array<{ id: number; key: string; cls: SeverityClass }>;
  requireChangeTriggered: boolean;
  match: "any" | "all";
  minDurationMinutes: string;
  minCustomerImpactPct: string;
  features: string;
  services: string;
  overlap: "sum" | "union";
}

export function draftFromPolicy(p: Policy): PolicyDraft {
  return {
    severity: Object.entries(p.severityClasses).map(([key, cls], id) => ({ id, key, cls })),
    requireChangeTriggered: p.requireChangeTriggered,
    match: p.mediumRule.match,
    minDurationMinutes: p.mediumRule.minDurationMinutes == null ? "" : String(p.mediumRule.minDurationMinutes),
    minCustomerImpactPct: p.mediumRule.minCustomerImpactPct == null ? "" : String(p.mediumRule.minCustomerImpactPct),
    features: (p.mediumRule.features ?? []).join(", "),
    services: (p.mediumRule.services ?? []).join(", "),
    overlap: p.overlap,
  };
}

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** Draft → Policy plus local errors (keyed like the server's issue fields) for values that aren't numbers. */
export function policyFromDraft(d: PolicyDraft): { policy: Policy; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const num = (s: string, field: string): number | undefined => {
    if (s.trim() === "") return undefined;
    const n = Number(s);
    if (!Number.isFinite(n)) errors[field] = "must be a number, or empty for no condition";
    return n;
  };
  const severityClasses: Policy["severityClasses"] = {};
  d.severity.forEach((r, i) => {
    const key = r.key.trim();
    if (!key) errors[`severity.${i}`] = "severity name must not be empty";
    else if (Object.prototype.hasOwnProperty.call(severityClasses, key)) errors[`severity.${i}`] = `"${key}" is listed twice`;
    else severityClasses[key] = r.cls;
  });
  const mediumRule: Policy["mediumRule"] = { match: d.match };
  const dur = num(d.minDurationMinutes, "mediumRule.minDurationMinutes");
  if (dur !== undefined) mediumRule.minDurationMinutes = dur;
  const pct = num(d.minCustomerImpactPct, "mediumRule.minCustomerImpactPct");
  if (pct !== undefined) mediumRule.minCustomerImpactPct = pct;
  const features = list(d.features);
  if (features.length) mediumRule.features = features;
  const services = list(d.services);
  if (services.length) mediumRule.services = services;
  return { policy: { severityClasses, requireChangeTriggered: d.requireChangeTriggered, mediumRule, overlap: d.overlap }, errors };
}

/** Stable comparison of two policies (key order ignored). */
export function samePolicy(a: Policy, b: Policy): boolean {
  const norm = (p: Policy) =>
    JSON.stringify({
      s: Object.entries(p.severityClasses).sort(([x], [y]) => (x < y ? -1 : 1)),
      r: p.requireChangeTriggered,
      m: [p.mediumRule.match, p.mediumRule.minDurationMinutes ?? null, p.mediumRule.minCustomerImpactPct ?? null, p.mediumRule.features ?? [], p.mediumRule.services ?? []],
      o: p.overlap,
    });
  return norm(a) === norm(b);
}
