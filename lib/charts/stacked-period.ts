/** The stacked breakdown cut to a period. Pure. */
import type { StackedBreakdownData } from "./breakdown";
import { rowsInPeriod } from "./period";

/**
 * `data`'s rows inside `period`; series with no hours in it are dropped (their legend entry
 * would name a source that is not drawn). Series keep their keys and colours, so a service is
 * the same colour in every period.
 */
export function stackedInPeriod(data: StackedBreakdownData, period: { from: string; to: string }): StackedBreakdownData {
  const rows = rowsInPeriod(data.rows, period);
  const series = data.series.filter((s) => rows.some((r) => Number(r[s.key]) > 0));
  return { ...data, series, rows };
}
