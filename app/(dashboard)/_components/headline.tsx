import Link from "next/link";
import { BurnDownChart } from "@/app/_components/charts/burndown-chart";
import type { BurnDown } from "@/lib/charts/burndown";
import { formatHours } from "@/lib/format/hours";
import { closedFigureText, formatSignedPercent, type Headline } from "@/lib/charts/headline";
import { STATUS_LABELS } from "@/lib/metric/labels";
import styles from "./dashboard.module.css";

function versus(hours: number, target: number | null) {
  if (target == null) return <span className="muted">no target set</span>;
  const diff = hours - target;
  return diff > 0 ? (
    <span className={styles.bad}>over target by {formatHours(diff)}</span>
  ) : (
    <span className={styles.good}>under target by {formatHours(-diff)}</span>
  );
}

/** The three headline cards: current quarter as a budget, last ended quarter, change from peak. */
export function DashboardHeadline({ headline, burnDown, timezone }: { headline: Headline; burnDown: BurnDown | null; timezone: string }) {
  const { current, lastEnded } = headline;
  return (
    <div className={`grid grid--3 ${styles.headline}`} data-testid="headline">
      <section className={`card ${styles.statCard}`} aria-labelledby="h-current">
        <div className="stat">
          <span className="stat__label" id="h-current">
            {current ? `${current.quarter} so far (in progress)` : "Current quarter"}
          </span>
          {current && burnDown ? (
            <>
              <span className="stat__value" data-testid="current-hours">
                {formatHours(current.hours)}
                <span className="muted small"> of {current.target == null ? "no target" : formatHours(current.target)}</span>
              </span>
              <span className="stat__sub">
                {Math.round(burnDown.elapsedShare * 100)}% of the quarter gone
                {burnDown.budgetSoFar != null ? `; an even spend would be ${formatHours(burnDown.budgetSoFar)} by now` : ""}.
              </span>
              <span className="stat__sub">
                Forecast at quarter end: <strong>{formatHours(burnDown.forecastHours)}</strong>{" "}
                {current.target != null ? versus(burnDown.forecastHours, current.target) : null}
                {burnDown.earlyForecast ? " (early in the quarter: a rough guess)" : ""}
              </span>
            </>
          ) : (
            <span className="stat__sub">No quarter is in progress in the range shown.</span>
          )}
        </div>
        {burnDown ? <BurnDownChart data={burnDown} timezone={timezone} /> : null}
      </section>

      <section className={`card ${styles.statCard}`} aria-labelledby="h-last">
        <div className="stat">
          <span className="stat__label" id="h-last">
            {lastEnded ? `Last ended quarter: ${lastEnded.quarter}` : "Last ended quarter"}
          </span>
          {lastEnded ? (
            <>
              <span className="stat__value" data-testid="last-hours">
                {formatHours(lastEnded.hours)}
                <span className="muted small"> of {lastEnded.target == null ? "no target" : formatHours(lastEnded.target)}</span>
              </span>
              <span className="stat__sub">{versus(lastEnded.hours, lastEnded.target)}</span>
              <span className="stat__sub">
                <span className={`badge ${lastEnded.status === "final" ? "badge--neutral" : "badge--warning"}`} data-testid="last-status">
                  {STATUS_LABELS[lastEnded.status]}
                </span>
                {lastEnded.closed ? (
                  <>
                    {" "}
                    <span className="badge badge--success">Closed</span>{" "}
                    <span data-testid="last-reported">{closedFigureText(lastEnded.reported, lastEnded.hours, formatHours)}</span>{" "}
                    <Link href={`/reports/${lastEnded.quarter}`} className="small">
                      report
                    </Link>
                  </>
                ) : null}
              </span>
            </>
          ) : (
            <span className="stat__sub">No quarter has ended yet in the range shown.</span>
          )}
        </div>
      </section>

      <section className={`card ${styles.statCard}`} aria-labelledby="h-peak">
        <div className="stat">
          <span className="stat__label" id="h-peak">
            Change from peak
          </span>
          {headline.changeFromPeak != null && headline.peak && lastEnded ? (
            <>
              <span className="stat__value" data-testid="peak-change">
                {formatSignedPercent(headline.changeFromPeak)}
              </span>
              <span className="stat__sub">
                {lastEnded.quarter} is {headline.changeFromPeakText}, when it was {formatHours(headline.peak.hours)}.
              </span>
            </>
          ) : (
            <span className="stat__sub">Needs at least one ended quarter with counted hours.</span>
          )}
        </div>
      </section>
    </div>
  );
}
