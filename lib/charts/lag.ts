/**
 * Lag windows of project deliveries, placed on a quarterly axis. A project's effect
 * is expected between lagMin and lagMax months after delivery (default 3–6), so a
 * flat quarter inside that window is not yet evidence that it failed. Pure.
 */
import { TZDate } from "@date-fns/tz";
import { quarterForInstant } from "@/lib/metric/calendar";
import type { Settings } from "@/lib/metric/types";

export interface ProjectDelivery {
  slug: string;
  name: string;
  status: "planned" | "in_progress" | "delivered" | "curtailed";
  /** Local calendar date YYYY-MM-DD in the organisation's time zone. */
  deliveredOn: string;
  lagMinMonths: number;
  lagMaxMonths: number;
}

export interface LagMarker {
  slug: string;
  name: string;
  status: ProjectDelivery["status"];
  deliveredOn: string;
  /** Quarter holding the delivery date (null when outside the chart). */
  deliveryQuarter: string | null;
  /** First and last quarter of the shaded lag window, clipped to the chart (null when entirely outside). */
  lagFrom: string | null;
  lagTo: string | null;
  /** Local dates where the lag window starts and ends. */
  lagStartDate: string;
  lagEndDate: string;
  /** A sentence for tooltips and the table view. */
  description: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function localDate(ms: number, tz: string): string {
  const d = new TZDate(ms, tz);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Local midnight of `date` plus `months` calendar months, epoch ms; null for a malformed date. */
export function localDatePlusMonths(date: string, months: number, tz: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const ms = new TZDate(Number(m[1]), Number(m[2]) - 1 + months, Number(m[3]), 0, 0, 0, 0, tz).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Markers for delivered (and curtailed) projects on a chart whose x-axis is `quarterIds`
 * (in order). Projects not yet delivered, or delivered after `asOf`, are left out: their
 * date is a plan, not a delivery. A window partly outside the chart is clipped to it.
 */
export function toLagMarkers(projects: readonly ProjectDelivery[], quarterIds: readonly string[], settings: Settings, asOf: number): LagMarker[] {
  if (quarterIds.length === 0) return [];
  const index = new Map(quarterIds.map((q, i) => [q, i]));
  const first = 0;
  const last = quarterIds.length - 1;
  const out: LagMarker[] = [];
  for (const p of projects) {
    if (p.status !== "delivered" && p.status !== "curtailed") continue;
    const delivered = localDatePlusMonths(p.deliveredOn, 0, settings.timezone);
    if (delivered == null || delivered > asOf) continue;
    const lagMin = Math.max(0, p.lagMinMonths);
    const lagMax = Math.max(lagMin, p.lagMaxMonths);
    const start = localDatePlusMonths(p.deliveredOn, lagMin, settings.timezone)!;
    // The window is half-open: the instant lagMax months after delivery is outside it.
    const end = localDatePlusMonths(p.deliveredOn, lagMax, settings.timezone)! - 1;
    const qi = index.get(quarterForInstant(delivered, settings).id);
    const fromId = quarterForInstant(start, settings).id;
    const toId = quarterForInstant(end, settings).id;
    let from = index.get(fromId);
    let to = index.get(toId);
    // Clip a window that starts before or runs past the chart.
    const before = (id: string) => id < quarterIds[first];
    const after = (id: string) => id > quarterIds[last];
    if (from === undefined && before(fromId)) from = first;
    if (to === undefined && after(toId)) to = last;
    const visible = from !== undefined && to !== undefined && !after(fromId) && !before(toId);
    out.push({
      slug: p.slug,
      name: p.name,
      status: p.status,
      deliveredOn: p.deliveredOn,
      deliveryQuarter: qi === undefined ? null : quarterIds[qi],
      lagFrom: visible ? quarterIds[from!] : null,
      lagTo: visible ? quarterIds[to!] : null,
      lagStartDate: localDate(start, settings.timezone),
      lagEndDate: localDate(end, settings.timezone),
      description: `${p.name} ${p.status === "curtailed" ? "(curtailed) " : ""}delivered ${p.deliveredOn}; effect expected ${lagMin}–${lagMax} months later (${localDate(start, settings.timezone)} to ${localDate(end, settings.timezone)}).`,
    });
  }
  return out.sort((a, b) => (a.deliveredOn < b.deliveredOn ? -1 : a.deliveredOn > b.deliveredOn ? 1 : 0));
}
