/**
 * How the change figures read on screen, in reports and exports: "no deploy data" where a
 * rate has nothing to divide by (never 0%), hours with one decimal.
 */
export const NO_DEPLOY_DATA = "no deploy data";

/** A rate (fraction) as a percentage with one decimal below 10% ("2.5%"), whole above; null → "no deploy data". */
export function formatRate(rate: number | null): string {
  if (rate == null || !Number.isFinite(rate)) return NO_DEPLOY_DATA;
  const pct = rate * 100;
  return `${pct < 10 && pct > 0 ? pct.toFixed(1) : Math.round(pct)}%`;
}

/** Recovery hours ("0.8 h", "26 h"); null → "—" (nothing recovered yet, or nothing failed). */
export function formatRecovery(hours: number | null): string {
  if (hours == null || !Number.isFinite(hours)) return "—";
  return `${hours < 10 ? hours.toFixed(1) : Math.round(hours)} h`;
}
