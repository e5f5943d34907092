/**
 * Hours of customer impact as every screen, report, PDF and summary shows them. Pure;
 * safe in client components. Exact figures stay in the data (JSON keeps them whole,
 * CSV to 0.001 h); this is only how a person reads them.
 *
 * The rule: one decimal place ("12.5 h", "0.0 h" for none), so a quarter's figure reads
 * the same on the dashboard, the report and its PDF; a figure under 1 h that is not
 * zero gets two ("0.25 h"), so an incident of a few minutes does not read as nothing.
 * Half away from zero at the last shown digit, thousands grouped ("1,234.5 h").
 */

const ONE = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const TWO = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `h` rounded as formatHours shows it (one decimal, two under 1 h). */
function shown(h: number): { text: string; zero: boolean } {
  const abs = Math.abs(h);
  const twoDigits = abs < 1 && Math.round(abs * 100) !== 0;
  const text = (twoDigits ? TWO : ONE).format(h);
  return { text, zero: !/[1-9]/.test(text) };
}

/** Hours for display ("12.5 h", "0.25 h", "1,234.0 h"); "—" for null or a non-finite value. `unit: false` drops " h". */
export function formatHours(hours: number | null | undefined, unit = true): string {
  if (hours == null || !Number.isFinite(hours)) return "—";
  const { text, zero } = shown(hours);
  // A negative figure that rounds to zero reads "0.0", not "-0.0".
  const s = zero ? text.replace(/^-/, "") : text;
  return unit ? `${s} h` : s;
}

/** A signed change in hours ("+3.2 h", "−0.25 h", "±0.0 h" when it shows as zero), with a true minus sign. */
export function formatDelta(delta: number): string {
  if (!Number.isFinite(delta)) return "—";
  if (shown(delta).zero) return `±${formatHours(0)}`;
  return `${delta > 0 ? "+" : "−"}${formatHours(Math.abs(delta))}`;
}

/**
 * Hours rounded to 0.001 h (3.6 s) for data a machine reads: chart values (so tooltips and
 * axes never print 15 decimals) and CSV cells. JSON keeps the exact figure.
 */
export function roundHours(h: number): number {
  return Math.round(h * 1000) / 1000;
}
