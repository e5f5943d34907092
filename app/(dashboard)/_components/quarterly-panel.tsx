"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { ChartFrame } from "@/app/_components/charts/chart-frame";
import { QuarterlyChart } from "@/app/_components/charts/quarterly-chart";
import { formatHours } from "@/lib/format/hours";
import { closedFigureText } from "@/lib/charts/headline";
import { type QuarterlyDatum } from "@/lib/charts/quarterly";
import { STATUS_LABELS } from "@/lib/metric/labels";
import styles from "./dashboard.module.css";

/**
 * The quarterly chart with its table. Clicking a bar (or a table link, for keyboard
 * users) puts `?quarter=` in the URL; the server renders the drill-down below.
 */
export function QuarterlyPanel({ data, selected, hrefFor }: { data: QuarterlyDatum[]; selected: string | null; hrefFor: Record<string, string> }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const select = (q: string) => {
    const href = hrefFor[q];
    if (!href) return;
    start(() => {
      router.push(`${href}#drilldown`, { scroll: false });
    });
  };
  const table = (
    <table className="table" data-testid="quarterly-table">
      <caption>Hours of customer impact per quarter. Use a quarter&apos;s link to list the incidents behind it.</caption>
      <thead>
        <tr>
          <th scope="col">Quarter</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Hours
          </th>
          <th scope="col" className="num">
            Target
          </th>
          <th scope="col" className="num">
            Upper bound
          </th>
          <th scope="col" className="num">
            Counted
          </th>
          <th scope="col">Why provisional</th>
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.quarter} data-quarter={d.quarter} aria-current={selected === d.quarter ? "true" : undefined}>
            <th scope="row">
              <Link href={`${hrefFor[d.quarter]}#drilldown`} scroll={false}>
                {d.quarter}
              </Link>
            </th>
            <td>
              {STATUS_LABELS[d.status]}
              {d.reported != null ? <div className="small muted">Closed: {closedFigureText(d.reported, d.hours, formatHours)}</div> : null}
            </td>
            <td className="num" data-hours={d.hours}>
              {formatHours(d.hours)}
            </td>
            <td className="num">{d.target == null ? "—" : formatHours(d.target)}</td>
            <td className="num">{formatHours(d.upperBound)}</td>
            <td className="num">{d.counted}</td>
            <td className="small">{d.reasons.join(" ") || "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="quarterly"
      title="Hours per quarter"
      description="Click a bar to see the incidents behind it. Hatched bars are provisional; hover one to see why."
      chart={
        <div className={pending ? styles.pending : undefined} aria-busy={pending}>
          <QuarterlyChart data={data} selectedQuarter={selected} onSelectQuarter={select} />
        </div>
      }
      table={table}
    />
  );
}
