/**
 * Per-quarter breakdowns and North Star figures over counted incidents.
 * Accumulators are filled incident by incident, then turned into rows.
 */
import type { Breakdown, NorthStar, QuarterBreakdowns, Ratio } from "./analysis-types";
import type { SeverityClassOrUnmapped } from "./classify";
import type { EngineIncident } from "./types";

const MINUTE_MS = 60_000;
/** Remediation time limits of the North Star. */
export const AUTOMATIC_REMEDIATION_LIMIT_MIN = 10;
export const MANUAL_REMEDIATION_LIMIT_MIN = 20;
/** Detected "early" when fleet exposure at detection was below this percentage. */
export const EARLY_DETECTION_FLEET_PCT = 10;

type Buckets = Map<string, { hours: number; incidents: number }>;

function add(b: Buckets, key: string, hours: number) {
  const row = b.get(key);
  if (row) {
    row.hours += hours;
    row.incidents += 1;
  } else b.set(key, { hours, incidents: 1 });
}

function keyOf(v: string | null | undefined): string {
  const t = v?.trim();
  return t ? t : "unknown";
}

const limitCache = new Map<string, number | null>();

/** The North Star's time limit for a remediation (automatic… → 10 min, any other → 20), or null when none is recorded. Cached per distinct string. */
function remediationLimitMinutes(remediation: string | null | undefined): number | null {
  if (remediation == null) return null;
  let limit = limitCache.get(remediation);
  if (limit === undefined) {
    const r = remediation.trim().toLowerCase();
    limit = !r ? null : r.startsWith("automatic") ? AUTOMATIC_REMEDIATION_LIMIT_MIN : MANUAL_REMEDIATION_LIMIT_MIN;
    if (limitCache.size < 1000) limitCache.set(remediation, limit);
  }
  return limit;
}

function ratio(): Ratio {
  return { numerator: 0, denominator: 0, noData: 0, share: null };
}

/** Accumulates one quarter's breakdowns and North Star. */
export class QuarterAccumulator {
  private service: Buckets = new Map();
  private deploySystem: Buckets = new Map();
  private changeType: Buckets = new Map();
  private severityClass: Buckets = new Map();
  private remediation: Buckets = new Map();
  private fast = ratio();
  private early = ratio();

  /** Adds a counted incident contributing `hours` to this quarter; `impactStart` is its effective start (ms). */
  addCounted(incident: EngineIncident, cls: SeverityClassOrUnmapped, hours: number, impactStart: number): void {
    const svc = incident.services;
    if (svc.length === 0) add(this.service, "unknown", hours);
    else if (svc.length === 1) add(this.service, keyOf(svc[0]), hours);
    else for (const s of new Set(svc.map(keyOf))) add(this.service, s, hours);
    add(this.deploySystem, keyOf(incident.deploySystem), hours);
    add(this.changeType, keyOf(incident.changeType), hours);
    add(this.severityClass, cls, hours);
    add(this.remediation, keyOf(incident.remediation), hours);

    const limitMin = remediationLimitMinutes(incident.remediation);
    const ttr = incident.mitigatedAt == null ? NaN : incident.mitigatedAt - impactStart;
    // A mitigation before the impact started is inconsistent data: noData, not a guess.
    if (limitMin === null || !(ttr >= 0)) this.fast.noData++;
    else {
      const limit = limitMin * MINUTE_MS;
      this.fast.denominator++;
      if (ttr <= limit) this.fast.numerator++;
    }
    const fleet = incident.fleetExposurePct;
    if (fleet == null || Number.isNaN(fleet)) this.early.noData++;
    else {
      this.early.denominator++;
      if (fleet < EARLY_DETECTION_FLEET_PCT) this.early.numerator++;
    }
  }

  breakdowns(unionMode: boolean): QuarterBreakdowns {
    const unionNote = "Overlap mode is union: shared hours appear in every overlapping incident's bucket, so parts may sum to more than the total.";
    const make = (b: Buckets, multiValued: boolean): Breakdown => ({
      rows: [...b.entries()]
        .map(([key, v]) => ({ key, hours: v.hours, incidents: v.incidents }))
        .sort((x, y) => y.hours - x.hours || (x.key < y.key ? -1 : 1)),
      partsMayExceedTotal: multiValued || unionMode,
      note: multiValued
        ? "An incident involving several services counts in each of them, so parts may sum to more than the total."
        : unionMode
          ? unionNote
          : null,
    });
    return {
      service: make(this.service, true),
      deploySystem: make(this.deploySystem, false),
      changeType: make(this.changeType, false),
      severityClass: make(this.severityClass, false),
      remediation: make(this.remediation, false),
    };
  }

  northStar(): NorthStar {
    const done = (r: Ratio): Ratio => ({ ...r, share: r.denominator ? r.numerator / r.denominator : null });
    return { fastRemediation: done(this.fast), earlyDetection: done(this.early) };
  }
}
