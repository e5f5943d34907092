/**
 * Lag windows of project deliveries, placed on a quarterly axis. A project's effect
 * is expected between lagMin and lagMax months after delivery (default 3–6), so a
 * flat quarter inside that window is not yet evidence that it failed. Pure.
 */
import { lagWindowDates, localDateInstant } from "@/lib/projects/phase";
import type { Settings } from "@/lib/metric/types";
import type { ProjectDelivery } from "@/lib/validation/project";

export interface LagMarker {
  slug: string;
  name: string;
  status: ProjectDelivery["status"];
  deliveredOn: string;
  /** Quarter holding the delivery date (null when outside the chart). */
  deliveryQuarter: string | null;
  /** First and last quarter the lag window touches, clipped to the chart (null when entirely outside). */
  lagFrom: string | null;
  lagTo: string | null;
  /**
   * Positions on a numeric x-axis where quarter i is centred on i and spans
   * [i − 0.5, i + 0.5): exact to the day, clipped to [−0.5, n − 0.5]. Null when off the chart.
   */
  deliveryPos: number | null;
  lagStartPos: number | null;
  lagEndPos: number | null;
  /** Local dates where the lag window starts and ends, both inclusive (lib/projects/phase `lagWindowDates`). */
  lagStartDate: string;
  lagEndDate: string;
  /** A sentence for tooltips and the table view. */
  description: string;
}

/** A chart's quarters, in order, with their boundaries (QuarterAnalysis fits). */
export interface AxisQuarter {
  quarter: string;
  startMs: number;
  endMs: number;
}

/** Local midnight of `date` plus `months` calendar months (clamped like lib/projects/phase), epoch ms; null for a malformed date. */
export function localDatePlusMonths(date: string, months: number, tz: string): number | null {
  try {
    return localDateInstant(date, tz, months);
  } catch {
    return null;
  }
}

/** Index of the quarter holding `t`, or −1 before the axis / axis.length after it. */
function quarterIndex(axis: readonly AxisQuarter[], t: number): number {
  if (t < axis[0].startMs) return -1;
  for (let i = 0; i < axis.length; i++) if (t < axis[i].endMs) return i;
  return axis.length;
}

/** Position of instant `t` on the axis (see LagMarker), clipped to the chart. */
export function axisPosition(axis: readonly AxisQuarter[], t: number): number {
  const i = quarterIndex(axis, t);
  if (i < 0) return -0.5;
  if (i >= axis.length) return axis.length - 0.5;
  const q = axis[i];
  return i - 0.5 + (t - q.startMs) / (q.endMs - q.startMs);
}

/**
 * Markers for delivered (and curtailed) projects on a chart of `axis` quarters.
 * Projects not yet delivered, or delivered after `asOf`, are left out: their date is a
 * plan, not a delivery. The lag window is [delivery + lagMin, delivery + lagMax) months.
 */
export function toLagMarkers(projects: readonly ProjectDelivery[], axis: readonly AxisQuarter[], settings: Settings, asOf: number): LagMarker[] {
  if (axis.length === 0) return [];
  const first = axis[0].startMs;
  const last = axis[axis.length - 1].endMs;
  const out: LagMarker[] = [];
  for (const p of projects) {
    if ((p.status !== "delivered" && p.status !== "curtailed") || !p.deliveredOn) continue;
    const delivered = localDatePlusMonths(p.deliveredOn, 0, settings.timezone);
    if (delivered == null || delivered > asOf) continue;
    const lagMin = Math.max(0, p.lagMinMonths);
    const lagMax = Math.max(lagMin, p.lagMaxMonths);
    const start = localDatePlusMonths(p.deliveredOn, lagMin, settings.timezone)!;
    const end = localDatePlusMonths(p.deliveredOn, lagMax, settings.timezone)!;
    const dates = lagWindowDates({ lagStart: start, lagEnd: end }, settings.timezone);
    const inside = (t: number) => t >= first && t < last;
    const windowVisible = end > first && start < last;
    const fromI = windowVisible ? Math.max(0, quarterIndex(axis, start)) : -1;
    const toI = windowVisible ? Math.min(axis.length - 1, quarterIndex(axis, end - 1)) : -1;
    out.push({
      slug: p.slug,
      name: p.name,
      status: p.status,
      deliveredOn: p.deliveredOn,
      deliveryQuarter: inside(delivered) ? axis[quarterIndex(axis, delivered)].quarter : null,
      lagFrom: windowVisible ? axis[fromI].quarter : null,
      lagTo: windowVisible ? axis[toI].quarter : null,
      deliveryPos: inside(delivered) ? axisPosition(axis, delivered) : null,
      lagStartPos: windowVisible ? axisPosition(axis, start) : null,
      lagEndPos: windowVisible ? axisPosition(axis, end) : null,
      lagStartDate: dates.from,
      lagEndDate: dates.to,
      description: `${p.name}${p.status === "curtailed" ? " (curtailed)" : ""} delivered ${p.deliveredOn}; effect expected ${lagMin}–${lagMax} months later (${dates.from} to ${dates.to}).`,
    });
  }
  return out.sort((a, b) => (a.deliveredOn < b.deliveredOn ? -1 : a.deliveredOn > b.deliveredOn ? 1 : 0));
}
