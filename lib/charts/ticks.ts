/**
 * Round axis ticks: an axis that ends at 51 or 98, or ticks at 0/3/6/12, makes the reader
 * do arithmetic. Pure; shared by the interactive charts and the report's SVG/PDF chart.
 */

export interface NiceScale {
  /** The axis maximum: the first tick at or above the largest value. */
  max: number;
  step: number;
  /** 0, step, 2·step … max (rounded to 1e-6 against float drift). */
  ticks: number[];
}

/**
 * A "nice" axis from 0 to at least `max`, in about `tickCount` steps of 1, 2, 2.5 or 5 × 10ⁿ.
 * A max of 0, a negative or a non-finite value gives 0..1 in quarters.
 * @example niceScale(51) // { max: 60, step: 20, ticks: [0, 20, 40, 60] }
 */
export function niceScale(max: number, tickCount = 4): NiceScale {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 0.25, ticks: [0, 0.25, 0.5, 0.75, 1] };
  const rough = max / tickCount;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= rough - 1e-12) ?? 10 * mag;
  const top = Math.round(Math.ceil(max / step - 1e-9) * step * 1e6) / 1e6;
  const ticks: number[] = [];
  for (let k = 0; k * step <= top + step / 2; k++) ticks.push(Math.round(k * step * 1e6) / 1e6);
  return { max: top, step, ticks };
}

/** The largest finite value among `values` (nulls and NaN ignored), 0 when there is none. */
export function maxOf(values: Iterable<number | null | undefined>): number {
  let m = 0;
  for (const v of values) if (v != null && Number.isFinite(v) && v > m) m = v;
  return m;
}
