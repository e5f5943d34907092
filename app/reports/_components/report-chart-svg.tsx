import { CHART_COLORS, layoutReportChart, reportChartLegend, toReportChartData } from "@/lib/export/report-chart";
import { formatHours } from "@/lib/format/hours";
import type { ReportSeriesPoint } from "@/lib/export/report-model";

const W = 720;
const H = 280;

/**
 * The quarterly chart as inline SVG, from the same layout the PDF draws: it prints
 * exactly as shown and needs no JavaScript. The table fallback lists the figures.
 */
export function ReportChartSvg({ series, quarter }: { series: ReportSeriesPoint[]; quarter: string }) {
  const data = toReportChartData(series, quarter);
  const l = layoutReportChart(data, W, H);
  const legend = reportChartLegend(data);
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby="report-chart-title" data-testid="report-chart" style={{ maxHeight: 320, display: "block" }}>
        <title id="report-chart-title">{`Hours of customer impact per quarter, ${series[0]?.quarter ?? ""} to ${quarter}`}</title>
        {l.gridLines.map((g) => (
          <g key={g.label}>
            <line x1={l.plot.x} x2={l.plot.x + l.plot.width} y1={g.y} y2={g.y} stroke={CHART_COLORS.grid} strokeWidth={1} />
            <text x={l.plot.x - 6} y={g.y + 4} fontSize={11} fill={CHART_COLORS.text} textAnchor="end">
              {g.label}
            </text>
          </g>
        ))}
        {l.bars.map((b) => (
          <g key={b.quarter}>
            {b.pending ? <rect {...b.pending} fill={CHART_COLORS.pending} fillOpacity={0.45} /> : null}
            <rect {...b.hours} fill={b.current ? CHART_COLORS.current : CHART_COLORS.hours}>
              <title>{`${b.quarter}: ${b.valueLabel} h`}</title>
            </rect>
            {b.target ? <line x1={b.target.x1} x2={b.target.x2} y1={b.target.y} y2={b.target.y} stroke={CHART_COLORS.target} strokeWidth={2} strokeDasharray="5 3" /> : null}
            <text x={b.labelX} y={b.valueY} fontSize={11} fill={CHART_COLORS.target} textAnchor="middle">
              {b.valueLabel}
            </text>
            <text x={b.labelX} y={l.plot.y + l.plot.height + 16} fontSize={11} fill={CHART_COLORS.text} textAnchor="middle" fontWeight={b.current ? 700 : 400}>
              {b.quarter}
            </text>
          </g>
        ))}
        <line x1={l.plot.x} x2={l.plot.x + l.plot.width} y1={l.plot.y + l.plot.height} y2={l.plot.y + l.plot.height} stroke={CHART_COLORS.text} />
        <text x={4} y={12} fontSize={11} fill={CHART_COLORS.text}>
          hours
        </text>
      </svg>
      <figcaption className="legend" style={{ marginTop: "0.4rem" }}>
        <span>
          <span className="legend__swatch" style={{ background: CHART_COLORS.hours }} />
          Counted hours
        </span>
        <span>
          <span className="legend__swatch" style={{ background: CHART_COLORS.current }} />
          {quarter}
        </span>
        {legend.pending ? (
          <span>
            <span className="legend__swatch" style={{ background: CHART_COLORS.pending, opacity: 0.6 }} />
            Untriaged (upper bound)
          </span>
        ) : null}
        {legend.target ? (
          <span>
            <span className="legend__swatch" style={{ background: "none", borderTop: `2px dashed ${CHART_COLORS.target}`, height: 0, verticalAlign: "middle" }} />
            Target
          </span>
        ) : null}
      </figcaption>
      <details className="no-print small" style={{ marginTop: "0.4rem" }}>
        <summary>Figures as a table</summary>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Quarter</th>
                <th scope="col" className="num">Hours</th>
                <th scope="col" className="num">Upper bound</th>
                <th scope="col" className="num">Target</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {series.map((p) => (
                <tr key={p.quarter}>
                  <td>{p.quarter}</td>
                  <td className="num">{formatHours(p.hours)}</td>
                  <td className="num">{formatHours(p.upperBoundHours)}</td>
                  <td className="num">{formatHours(p.target)}</td>
                  <td>{p.status.replace("_", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
