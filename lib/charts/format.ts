/** Number formatting shared by charts, tables and headlines. */

/** Hours for display: one decimal under 100, whole hours above; "—" for null. */
export function formatHours(h: number | null | undefined, unit = true): string {
  if (h == null || !Number.isFinite(h)) return "—";
  const abs = Math.abs(h);
  const s = abs >= 100 ? h.toFixed(0) : abs >= 10 ? h.toFixed(1) : h.toFixed(2);
  return unit ? `${s} h` : s;
}

/** A 0–1 share as a whole percentage; "no data" for null. */
export function formatShare(share: number | null | undefined): string {
  if (share == null || !Number.isFinite(share)) return "no data";
  return `${Math.round(share * 100)}%`;
}

/** Rounds hours for chart values so tooltips and axes don't print 15 decimals. */
export function roundHours(h: number): number {
  return Math.round(h * 1000) / 1000;
}
