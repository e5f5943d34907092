import type { SeverityClass } from "./types";

/**
 * The severity vocabularies the default policy classifies out of the box, so incidents
 * from the common tools count (or not) without a policy edit. Keys match
 * case-insensitively after trimming (classify.ts), so `Sev 1` is the key `SEV 1`.
 *
 * One scale under all of them, five levels:
 *
 * | level | SEV forms                 | PagerDuty / Opsgenie | Jira     | incident.io, Statuspage | urgency | class  |
 * |-------|---------------------------|----------------------|----------|-------------------------|---------|--------|
 * | 0–1   | SEV0/SEV1, SEV-1, Sev 1, S1 | P0, P1             | Highest, Blocker | critical        | high    | high   |
 * | 2     | SEV2, SEV-2, Sev 2, S2    | P2                   | High     | major                   |         | high   |
 * | 3     | SEV3, SEV-3, Sev 3, S3    | P3                   | Medium   | minor                   |         | medium |
 * | 4–5   | SEV4/5, SEV-4, Sev 4, S4  | P4, P5               | Low, Lowest, Trivial | none        | low     | low    |
 *
 * Medium incidents count only when the medium rule selects them (by default: 10 minutes
 * or longer). The table is docs/metric.md's; a saved policy is never rewritten by it.
 */
const SEV_LEVELS: readonly [number, SeverityClass][] = [
  [0, "high"],
  [1, "high"],
  [2, "high"],
  [3, "medium"],
  [4, "low"],
  [5, "low"],
];

/** `SEV1`, `SEV-1`, `SEV 1` (`Sev 1`), `S1` for each level. */
function sevForms(): Record<string, SeverityClass> {
  const out: Record<string, SeverityClass> = {};
  for (const [n, cls] of SEV_LEVELS) for (const key of [`SEV${n}`, `SEV-${n}`, `SEV ${n}`, `S${n}`]) out[key] = cls;
  return out;
}

export const DEFAULT_SEVERITY_CLASSES: Record<string, SeverityClass> = {
  ...sevForms(),
  // PagerDuty priorities (also Opsgenie's P1–P5); P0 where an organisation adds one.
  P0: "high",
  P1: "high",
  P2: "high",
  P3: "medium",
  P4: "low",
  P5: "low",
  // incident.io's default severities, Statuspage's impact levels, Jira Server's legacy priorities.
  critical: "high",
  major: "high",
  minor: "medium",
  none: "low",
  blocker: "high",
  trivial: "low",
  // Jira's default priorities; `High`/`Low` are also PagerDuty's urgencies.
  Highest: "high",
  High: "high",
  Medium: "medium",
  Low: "low",
  Lowest: "low",
};
