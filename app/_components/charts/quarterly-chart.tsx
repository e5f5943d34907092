"use client";

/**
 * The quarterly chart: a bar per quarter (hours), the untriaged upper bound as a
 * hatched band stacked above it, and each quarter's target as a black mark.
 * Final quarters are solid, provisional ones hatched, the in-progress one dotted with
 * a dashed outline; the tooltip says why a quarter is provisional.
 *
 * Render-only: feed it `toQuarterlyChartData(analysis.quarters)` from lib/charts/quarterly.
 * Reused by the projects and reports screens.
 *
 * @example <QuarterlyChart data={rows} onSelectQuarter={(q) => router.push(`?quarter=${q}`)} />
 */
import { Bar, CartesianGrid, ComposedChart, Scatter, Tooltip, XAxis, YAxis, usePlotArea, type TooltipContentProps } from "recharts";
import type { BarShapeProps } from "recharts";
import { formatHours } from "@/lib/format/hours";
import { closedFigureText } from "@/lib/charts/headline";
import { CHART_COLOURS } from "@/lib/charts/palette";
import { quarterlyScale, targetHalfWidth, type QuarterlyDatum } from "@/lib/charts/quarterly";
import { STATUS_LABELS } from "@/lib/metric/labels";
import { ChartPatterns, Swatch, barStyle } from "./chart-patterns";
import styles from "./charts.module.css";

export interface QuarterlyChartProps {
  data: QuarterlyDatum[];
  /** Pixel height; width follows the container. */
  height?: number;
  /** Called with the quarter id when a bar (or its band) is clicked. */
  onSelectQuarter?: (quarter: string) => void;
  /** Outlined more heavily. */
  selectedQuarter?: string | null;
  /** Draw the untriaged upper-bound band (default true). */
  showBand?: boolean;
  /** Draw the legend under the chart (default true). */
  showLegend?: boolean;
  /** Accessible name of the chart. */
  label?: string;
}

function QuarterBar(props: BarShapeProps & { selected?: string | null; clickable: boolean }) {
  const { x, y, width, height, payload, selected, clickable } = props;
  const d = payload as QuarterlyDatum;
  if (!(height > 0)) return <g />;
  const style = barStyle(d.status);
  return (
    <rect
      x={x}
      y={y}
      width={width}
      height={height}
      {...style}
      strokeWidth={selected === d.quarter ? 3 : 1}
      className={`ds-bar ds-bar--${d.status}`}
      data-quarter={d.quarter}
      data-status={d.status}
      style={clickable ? { cursor: "pointer" } : undefined}
    />
  );
}

function BandBar(props: BarShapeProps & { clickable: boolean }) {
  const { x, y, width, height, payload, clickable } = props;
  const d = payload as QuarterlyDatum;
  if (!(height > 0)) return <g />;
  return (
    <rect
      x={x}
      y={y}
      width={width}
      height={height}
      fill="url(#ds-hatch-band)"
      stroke={CHART_COLOURS.upperBound}
      strokeDasharray="3 2"
      className="ds-band"
      data-quarter={d.quarter}
      style={clickable ? { cursor: "pointer" } : undefined}
    />
  );
}

/**
 * A quarter's target as a short rule across its bar. Its half-width is at most 30 px and at
 * most 35% of a quarter's slot on the axis, so with many quarters (a real archive shows
 * dozens) neighbouring marks, and the white edge around each, never touch.
 */
function TargetMark(props: { cx?: number; cy?: number; payload?: QuarterlyDatum; count: number }) {
  const { cx, cy, payload, count } = props;
  const plot = usePlotArea();
  if (cx == null || cy == null || payload?.target == null) return <g />;
  const half = targetHalfWidth(plot?.width ?? 0, count);
  return (
    <g className="ds-target-mark" data-quarter={payload.quarter}>
      <line x1={cx - half} x2={cx + half} y1={cy} y2={cy} stroke="#ffffff" strokeWidth={6} />
      <line x1={cx - half} x2={cx + half} y1={cy} y2={cy} stroke={CHART_COLOURS.target} strokeWidth={3} />
    </g>
  );
}

function QuarterTooltip({ active, payload }: TooltipContentProps) {
  const d = active && payload?.length ? (payload[0].payload as QuarterlyDatum) : null;
  if (!d) return null;
  return (
    <div className={styles.tooltip} data-testid="quarter-tooltip">
      <strong>{d.quarter}</strong> <span className={styles.status}>{STATUS_LABELS[d.status]}</span>
      <dl>
        <dt>Hours</dt>
        <dd>{formatHours(d.hours)}</dd>
        {d.reported != null ? (
          <>
            <dt>Closed</dt>
            <dd>{closedFigureText(d.reported, d.hours, formatHours)}</dd>
          </>
        ) : null}
        <dt>Target</dt>
        <dd>{d.target == null ? "none set" : formatHours(d.target)}</dd>
        {d.band > 0 ? (
          <>
            <dt>Upper bound</dt>
            <dd>{formatHours(d.upperBound)}</dd>
          </>
        ) : null}
        <dt>Counted incidents</dt>
        <dd>{d.counted}</dd>
      </dl>
      {d.reasons.length ? (
        <>
          <div className={styles.why}>{d.status === "provisional" ? "Provisional because:" : "Note:"}</div>
          <ul>
            {d.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** The chart's legend as HTML, so it is readable at any size and by screen readers. */
export function QuarterlyLegend({ showBand = true, showTarget = true }: { showBand?: boolean; showTarget?: boolean }) {
  return (
    <ul className={`legend ${styles.legendList}`} aria-label="Legend">
      <li>
        <Swatch kind="final" />
        Final
      </li>
      <li>
        <Swatch kind="provisional" />
        Provisional (may still change)
      </li>
      <li>
        <Swatch kind="in_progress" />
        In progress (so far)
      </li>
      {showBand ? (
        <li>
          <Swatch kind="band" />
          Upper bound if untriaged incidents are change-triggered
        </li>
      ) : null}
      {showTarget ? (
        <li>
          <Swatch kind="target" />
          Target
        </li>
      ) : null}
    </ul>
  );
}

export function QuarterlyChart({ data, height = 340, onSelectQuarter, selectedQuarter = null, showBand = true, showLegend = true, label = "Hours of customer impact per quarter" }: QuarterlyChartProps) {
  const clickable = !!onSelectQuarter;
  const scale = quarterlyScale(data);
  // The legend names only what is drawn: no band row without untriaged impact, no target row without targets.
  const anyBand = showBand && data.some((d) => d.band > 0);
  const anyTarget = data.some((d) => d.target != null);
  const click = (item: { payload?: unknown }) => {
    const q = (item.payload as QuarterlyDatum | undefined)?.quarter;
    if (q && onSelectQuarter) onSelectQuarter(q);
  };
  return (
    <div className="ds-chart" data-testid="quarterly-chart">
      <ChartPatterns />
      <div style={{ width: "100%", height }}>
        <ComposedChart responsive style={{ width: "100%", height }} data={data} margin={{ top: 12, right: 16, bottom: 4, left: 4 }} accessibilityLayer title={label}>
          <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
          <XAxis dataKey="quarter" tick={{ fontSize: 12, fill: CHART_COLOURS.axis }} interval="preserveStartEnd" />
          <YAxis
            domain={[0, scale.max]}
            ticks={scale.ticks}
            interval={0}
            tick={{ fontSize: 12, fill: CHART_COLOURS.axis }}
            width={52}
            label={{ value: "hours", angle: -90, position: "insideLeft", fontSize: 12, fill: CHART_COLOURS.axis }}
          />
          <Tooltip content={QuarterTooltip} cursor={{ fill: "rgba(11, 92, 173, 0.08)" }} isAnimationActive={false} />
          <Bar
            dataKey="hours"
            name="Hours"
            stackId="q"
            maxBarSize={64}
            isAnimationActive={false}
            shape={(p: BarShapeProps) => <QuarterBar {...p} selected={selectedQuarter} clickable={clickable} />}
            onClick={click}
          />
          {showBand ? (
            <Bar dataKey="band" name="Untriaged upper bound" stackId="q" maxBarSize={64} isAnimationActive={false} shape={(p: BarShapeProps) => <BandBar {...p} clickable={clickable} />} onClick={click} />
          ) : null}
          <Scatter dataKey="target" name="Target" isAnimationActive={false} shape={(p: object) => <TargetMark {...p} count={data.length} />} legendType="none" />
        </ComposedChart>
      </div>
      {showLegend ? <QuarterlyLegend showBand={anyBand} showTarget={anyTarget} /> : null}
    </div>
  );
}
