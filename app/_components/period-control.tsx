import Link from "next/link";
import type { ResolvedPeriod } from "@/lib/charts/period";
import styles from "./period-control.module.css";

/**
 * The period a screen shows, in its URL (`?from=&to=`): quick choices as links and a
 * from/to pair of quarter menus in a plain GET form. Links and a form need no script, work
 * with Tab and Enter, and the back button undoes a change. `keep` carries the screen's other
 * parameters (filters, dimension) through a change of period; a drilled-down quarter is
 * dropped by the caller, since it may fall outside the new period.
 */
export function PeriodControl({
  action,
  period,
  quarters,
  keep,
  hrefFor,
  id = "period",
}: {
  /** The screen's path, e.g. "/" or "/projects". */
  action: string;
  period: ResolvedPeriod;
  /** Quarter ids to offer in the menus, oldest first. */
  quarters: readonly string[];
  /** Other query parameters to keep (repeated keys as arrays). */
  keep: Record<string, string | string[]>;
  /** The link of a quick choice. */
  hrefFor: (range: { from: string; to: string }) => string;
  id?: string;
}) {
  const options = [...new Set([...quarters, period.from, period.to])].sort();
  return (
    <div className={styles.period} data-testid="period-control" data-from={period.from} data-to={period.to}>
      <nav aria-label="Period" className={styles.label}>
        <span id={`${id}-label`}>
          Period: {period.from} to {period.to}
        </span>
        <ul className={styles.choices} aria-labelledby={`${id}-label`}>
          {period.choices.map((c) => (
            <li key={c.key}>
              <Link href={hrefFor(c)} prefetch={false} aria-current={period.activeKey === c.key ? "true" : undefined} data-choice={c.key} title={`${c.from} to ${c.to}`}>
                {c.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {/* Keyed by the period: after a client-side navigation the menus show the new period, not the old defaultValue. */}
      <form key={`${period.from}..${period.to}`} method="get" action={action} className={styles.range} aria-label="Choose the period">
        {Object.entries(keep).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x, i) => <input key={`${k}-${i}`} type="hidden" name={k} value={x} />))}
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <select id={`${id}-from`} name="from" defaultValue={period.from}>
            {options.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <select id={`${id}-to`} name="to" defaultValue={period.to}>
            {options.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Show period
        </button>
      </form>
    </div>
  );
}
