/** Number formatting shared by charts, tables and headlines. */

/** A 0–1 share as a whole percentage; "no data" for null. */
export function formatShare(share: number | null | undefined): string {
  if (share == null || !Number.isFinite(share)) return "no data";
  return `${Math.round(share * 100)}%`;
}

/** Rounds hours for chart values so tooltips and axes don't print 15 decimals. */
export function roundHours(h: number): number {
  return Math.round(h * 1000) / 1000;
}
