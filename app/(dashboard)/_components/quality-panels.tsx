import Link from "next/link";
import { ChartFrame } from "@/app/_components/charts/chart-frame";
import { PercentChart } from "@/app/_components/charts/percent-chart";
import { getDb } from "@/db/client";
import { listTimeExcludedIncidents } from "@/db/queries/metric-input";
import { formatShare } from "@/lib/format/share";
import { toExcludedSummary, type CompletenessSummary, type ExcludedSummary, type NorthStarRow } from "@/lib/charts/quality";
import type { Ratio } from "@/lib/metric/analysis-types";
import { AUTOMATIC_REMEDIATION_LIMIT_MIN, EARLY_DETECTION_FLEET_PCT, MANUAL_REMEDIATION_LIMIT_MIN } from "@/lib/metric/breakdowns";
import { FailingSources } from "./failing-sources";

function RatioCell({ r }: { r: Ratio }) {
  if (r.share == null) {
    return (
      <td className="num">
        <span className="badge badge--neutral">no data</span>
        {r.noData ? <span className="small muted"> ({r.noData} missing)</span> : null}
      </td>
    );
  }
  return (
    <td className="num">
      {formatShare(r.share)}{" "}
      <span className="small muted">
        ({r.numerator}/{r.denominator}
        {r.noData ? `, ${r.noData} no data` : ""})
      </span>
    </td>
  );
}

/** North Star: fast remediation and early detection shares per quarter; "no data" stays "no data". */
export function NorthStarPanel({ rows }: { rows: NorthStarRow[] }) {
  const anyData = rows.some((r) => r.fastPct != null || r.earlyPct != null);
  const table = (
    <table className="table" data-testid="northstar-table">
      <caption>Share of counted incidents; incidents missing the needed field are listed as no data, not guessed.</caption>
      <thead>
        <tr>
          <th scope="col">Quarter</th>
          <th scope="col" className="num">
            Remediated fast
          </th>
          <th scope="col" className="num">
            Caught early
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.quarter}>
            <th scope="row">{r.quarter}</th>
            <RatioCell r={r.fastRemediation} />
            <RatioCell r={r.earlyDetection} />
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="northstar"
      title="North Star"
      description={`Remediated within ${AUTOMATIC_REMEDIATION_LIMIT_MIN} min automatically / ${MANUAL_REMEDIATION_LIMIT_MIN} min manually; caught before ${EARLY_DETECTION_FLEET_PCT}% fleet exposure. Gaps mean no data.`}
      chart={
        anyData ? (
          <PercentChart
            testId="northstar-chart"
            label="North Star shares per quarter"
            rows={rows.map((r) => ({ quarter: r.quarter, fast: r.fastPct, early: r.earlyPct }))}
            series={[
              { key: "fast", label: "Remediated fast" },
              { key: "early", label: "Caught early" },
            ]}
          />
        ) : (
          <p className="muted" data-testid="northstar-nodata">
            No data: no counted incident records remediation time or fleet exposure yet.
          </p>
        )
      }
      table={table}
    />
  );
}

/** How many excluded incidents the panel lists by name; the rest are counted. */
const EXCLUDED_SHOWN = 20;

/** Incidents left out of every figure because a stored time is out of bounds: each by name, with why. */
export function ExcludedIncidents({ data }: { data: ExcludedSummary }) {
  if (data.total === 0) return null;
  const more = data.total - data.rows.length;
  return (
    <div className="alert alert--warning" role="status" data-testid="excluded-incidents" style={{ marginTop: "0.75rem" }}>
      <strong>
        {data.total} incident{data.total === 1 ? " is" : "s are"} left out of every figure
      </strong>{" "}
      because a time is out of range (before TIME_MIN or further ahead than TIME_MAX_FUTURE_HOURS). Correct the time at its source and import the
      incident again (impact and detection times can also be corrected on its page); it counts again once every time is in range.
      <ul className="small" style={{ margin: "0.5rem 0 0" }}>
        {data.rows.map((r) => (
          <li key={r.id} data-testid="excluded-incident">
            <Link href={`/incidents/${r.id}`}>{r.label}</Link>: {r.reason}
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="small" style={{ margin: "0.25rem 0 0" }}>and {more} more.</p> : null}
    </div>
  );
}

/**
 * Data completeness: share triaged per quarter and the untriaged count, with the way to the
 * queue; below, any incident the figures leave out because a stored time is out of bounds.
 * `excluded` defaults to what the database holds now.
 */
export function CompletenessPanel({ data, excluded }: { data: CompletenessSummary; excluded?: ExcludedSummary }) {
  const left = excluded ?? toExcludedSummary(listTimeExcludedIncidents(getDb(), { limit: EXCLUDED_SHOWN }));
  const table = (
    <table className="table" data-testid="completeness-table">
      <caption>Incidents the severity rules would count, and how many have their trigger known.</caption>
      <thead>
        <tr>
          <th scope="col">Quarter</th>
          <th scope="col" className="num">
            Candidates
          </th>
          <th scope="col" className="num">
            Triaged
          </th>
          <th scope="col" className="num">
            Untriaged
          </th>
          <th scope="col" className="num">
            Share triaged
          </th>
        </tr>
      </thead>
      <tbody>
        {data.rows.map((r) => (
          <tr key={r.quarter}>
            <th scope="row">{r.quarter}</th>
            <td className="num">{r.candidates}</td>
            <td className="num">{r.triaged}</td>
            <td className="num">{r.untriaged}</td>
            <td className="num">{r.triagedPct == null ? <span className="badge badge--neutral">no data</span> : `${r.triagedPct}%`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame
      id="completeness"
      title="Data completeness"
      description={
        <>
          <strong data-testid="untriaged-count">{data.untriagedTotal}</strong> incident{data.untriagedTotal === 1 ? "" : "s"} still untriaged that
          could count. <Link href="/incidents/triage">Open the triage queue</Link>
        </>
      }
      chart={
        <PercentChart
          testId="completeness-chart"
          label="Share triaged per quarter"
          rows={data.rows.map((r) => ({ quarter: r.quarter, triaged: r.triagedPct }))}
          series={[{ key: "triaged", label: "Share triaged" }]}
        />
      }
      table={table}
      footer={
        <>
          <FailingSources />
          <ExcludedIncidents data={left} />
        </>
      }
    />
  );
}
