/**
 * The quarterly report as a PDF (@react-pdf/renderer: pure JavaScript, no browser).
 * Same data and formatting as the page; the chart is drawn from the same layout
 * (report-chart.ts) with Svg primitives; text is real PDF text, so it is selectable.
 * Sections never split across pages (wrap={false}); table rows never split.
 */
import { Document, Font, G, Line, Link, Page, Rect, renderToBuffer, StyleSheet, Svg, Text, View } from "@react-pdf/renderer";
import path from "node:path";
import type { ReactElement } from "react";
import type { Breakdown } from "@/lib/metric/analysis-types";
import { formatShare } from "@/lib/format/share";
import { formatRate, formatRecovery } from "@/lib/format/dora";
import { formatLastDay, formatLocalDate, formatPercentChange } from "./format";
import { reasonLabel, statusLabel } from "@/lib/metric/labels";
import { formatDelta, formatHours } from "@/lib/format/hours";
import { CHART_COLORS, layoutReportChart, reportChartLegend, toReportChartData } from "./report-chart";
import { targetText, type ReportModel } from "./report-model";

export interface PdfRestatement {
  reported: number;
  now: number;
  moved: { sourceId: string; title: string; before: number; after: number }[];
}

export interface ReportPdfOptions {
  published?: { version: number; publishedAt: string; publishedBy: string | null } | null;
  restatement?: PdfRestatement | null;
  /** Absolute base URL for incident links ("https://ds.example.com"), when known. */
  baseUrl?: string | null;
  /** Absolute link to this report's page, printed under the title when known. */
  reportUrl?: string | null;
}

// No hyphenation: ids, emails and tags must stay whole (and searchable) in the text.
Font.registerHyphenationCallback((word) => [word]);

/**
 * DejaVu Sans Condensed, embedded (subset to the glyphs used): the PDF's built-in Helvetica
 * covers Windows-1252 only, so a Polish, Czech, Greek or Russian title, or a minus sign,
 * would come out garbled. DejaVu covers Latin, Greek, Cyrillic and the symbols we print; not
 * CJK. Read from node_modules at the project root (where `npm start` and the CLI run), not
 * through the bundler.
 */
const FONT_DIR = path.join(process.cwd(), "node_modules", "dejavu-fonts-ttf", "ttf");
const FONT = "ReportSans";
const FONT_BOLD = "ReportSans-Bold";
Font.register({ family: FONT, src: path.join(FONT_DIR, "DejaVuSansCondensed.ttf") });
Font.register({ family: FONT_BOLD, src: path.join(FONT_DIR, "DejaVuSansCondensed-Bold.ttf") });

const s = StyleSheet.create({
  page: { paddingTop: 36, paddingBottom: 48, paddingHorizontal: 40, fontFamily: FONT, fontSize: 9.5, color: "#1c2430" },
  kicker: { fontSize: 8.5, color: "#5a6472", textTransform: "uppercase", letterSpacing: 0.6 },
  h1: { fontSize: 20, fontFamily: FONT_BOLD, marginTop: 2, marginBottom: 4, lineHeight: 1.2 },
  sub: { color: "#5a6472", marginBottom: 10 },
  h2: { fontSize: 12, fontFamily: FONT_BOLD, marginBottom: 6 },
  section: { marginTop: 14 },
  stats: { flexDirection: "row", gap: 8, marginTop: 4 },
  stat: { flex: 1, borderWidth: 1, borderColor: "#d9dde3", borderRadius: 4, padding: 7 },
  statLabel: { fontSize: 8, color: "#5a6472" },
  statValue: { fontSize: 15, fontFamily: FONT_BOLD, marginTop: 2 },
  statSub: { fontSize: 8, color: "#5a6472", marginTop: 1 },
  note: { borderWidth: 1, borderColor: "#f0d58c", backgroundColor: "#fff4d6", padding: 7, borderRadius: 4, marginTop: 8 },
  info: { borderWidth: 1, borderColor: "#b3d1ef", backgroundColor: "#e6f0fa", padding: 7, borderRadius: 4, marginTop: 8 },
  table: { borderTopWidth: 1, borderColor: "#d9dde3" },
  tr: { flexDirection: "row", borderBottomWidth: 1, borderColor: "#e5e8ec", paddingVertical: 3 },
  th: { fontFamily: FONT_BOLD, fontSize: 8, color: "#5a6472", textTransform: "uppercase" },
  num: { textAlign: "right" },
  muted: { color: "#5a6472" },
  small: { fontSize: 8 },
  legend: { flexDirection: "row", gap: 12, fontSize: 8, color: "#5a6472", marginTop: 4 },
  swatch: { width: 8, height: 8, marginRight: 3 },
  // No lineHeight on the page: a render-prop Text that inherits one comes out empty (react-pdf 4.x).
  footer: { position: "absolute", bottom: 22, left: 40, right: 40, fontSize: 8, color: "#5a6472", textAlign: "right" },
  cols: { flexDirection: "row", gap: 12 },
  col: { flex: 1 },
  link: { color: "#0b5cad", textDecoration: "none" },
});

const CHART_W = 515;
const CHART_H = 210;

function Chart({ model }: { model: ReportModel }) {
  const l = layoutReportChart(toReportChartData(model.series, model.quarter), CHART_W, CHART_H);
  return (
    <Svg width={CHART_W} height={CHART_H} viewBox={`0 0 ${CHART_W} ${CHART_H}`}>
      {l.gridLines.map((g) => (
        <G key={`g${g.label}`}>
          <Line x1={l.plot.x} x2={l.plot.x + l.plot.width} y1={g.y} y2={g.y} stroke={CHART_COLORS.grid} strokeWidth={0.6} />
          <Text x={l.plot.x - 5} y={g.y + 2.5} style={{ fontFamily: FONT, fontSize: 7 }} fill={CHART_COLORS.text} textAnchor="end">
            {g.label}
          </Text>
        </G>
      ))}
      {l.bars.map((b) => (
        <G key={b.quarter}>
          {b.pending ? <Rect x={b.pending.x} y={b.pending.y} width={b.pending.width} height={b.pending.height} fill={CHART_COLORS.pending} fillOpacity={0.45} /> : null}
          <Rect x={b.hours.x} y={b.hours.y} width={b.hours.width} height={Math.max(b.hours.height, 0.01)} fill={b.current ? CHART_COLORS.current : CHART_COLORS.hours} />
          {b.target ? <Line x1={b.target.x1} x2={b.target.x2} y1={b.target.y} y2={b.target.y} stroke={CHART_COLORS.target} strokeWidth={1.4} strokeDasharray="3 2" /> : null}
          <Text x={b.labelX} y={b.valueY} style={{ fontFamily: FONT, fontSize: 7 }} fill={CHART_COLORS.target} textAnchor="middle">
            {b.valueLabel}
          </Text>
          <Text x={b.labelX} y={l.plot.y + l.plot.height + 12} style={{ fontFamily: FONT, fontSize: 7.5 }} fill={CHART_COLORS.text} textAnchor="middle">
            {b.quarter}
          </Text>
        </G>
      ))}
      <Line x1={l.plot.x} x2={l.plot.x + l.plot.width} y1={l.plot.y + l.plot.height} y2={l.plot.y + l.plot.height} stroke={CHART_COLORS.text} strokeWidth={0.8} />
      <Text x={4} y={10} style={{ fontFamily: FONT, fontSize: 7 }} fill={CHART_COLORS.text}>
        hours
      </Text>
    </Svg>
  );
}

function Swatch({ color, label }: { color: string; label: string }) {
  return (
    <View style={{ flexDirection: "row", alignItems: "center" }}>
      <View style={[s.swatch, { backgroundColor: color }]} />
      <Text>{label}</Text>
    </View>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string | null }) {
  return (
    <View style={s.stat}>
      <Text style={s.statLabel}>{label}</Text>
      <Text style={s.statValue}>{value}</Text>
      {sub ? <Text style={s.statSub}>{sub}</Text> : null}
    </View>
  );
}

function BreakdownTable({ title, b }: { title: string; b: Breakdown }) {
  const rows = b.rows.slice(0, 8);
  return (
    <View style={s.col} wrap={false}>
      <Text style={{ fontFamily: FONT_BOLD, marginBottom: 3 }}>{title}</Text>
      <View style={s.table}>
        {rows.length === 0 ? <Text style={[s.muted, { paddingVertical: 3 }]}>No counted impact.</Text> : null}
        {rows.map((r) => (
          <View style={s.tr} key={r.key}>
            <Text style={{ flex: 1 }}>{r.key}</Text>
            <Text style={[s.num, { width: 48 }]}>{formatHours(r.hours)}</Text>
            <Text style={[s.num, s.muted, { width: 24 }]}>{r.incidents}</Text>
          </View>
        ))}
      </View>
      {b.rows.length > rows.length ? <Text style={[s.small, s.muted]}>and {b.rows.length - rows.length} more</Text> : null}
      {b.note ? <Text style={[s.small, s.muted, { marginTop: 2 }]}>{b.note}</Text> : null}
    </View>
  );
}

/** The report document. */
export function ReportPdfDocument({ model, options = {} }: { model: ReportModel; options?: ReportPdfOptions }): ReactElement {
  const f = model.figure;
  const period = `${formatLocalDate(model.start, model.timezone)} to ${formatLastDay(model.end, model.timezone)} (${model.timezone})`;
  const pub = options.published;
  const stamp = pub
    ? `Published version ${pub.version} on ${formatLocalDate(pub.publishedAt, model.timezone)}${pub.publishedBy ? ` by ${pub.publishedBy}` : ""}; figures as of ${formatLocalDate(model.asOf, model.timezone)}`
    : `Live figures as of ${formatLocalDate(model.asOf, model.timezone)} (not published)`;
  const prevPct = model.previous ? formatPercentChange(f.hours, model.previous.hours) : null;
  const peakPct = model.peak ? formatPercentChange(f.hours, model.peak.hours) : null;
  const link = (id: string) => (options.baseUrl ? `${options.baseUrl.replace(/\/$/, "")}/incidents/${id}` : null);
  const ns = model.northStar;
  const legend = reportChartLegend(toReportChartData(model.series, model.quarter));
  const c = model.completeness;
  return (
    <Document title={`Deploy Safety report ${model.quarter}`} author="Deploy Safety" subject={`Quarterly report ${model.quarter}`} creator="Deploy Safety">
      <Page size="A4" style={s.page}>
        <Text
          fixed
          style={s.footer}
          render={({ pageNumber, totalPages }) => `Deploy Safety · ${model.quarter} · policy v${model.policy.versionId} · page ${pageNumber} of ${totalPages}`}
        />
        <View wrap={false}>
          <Text style={s.kicker}>Deploy Safety · quarterly report</Text>
          <Text style={s.h1}>{model.quarter}</Text>
          <Text style={s.sub}>
            {period} · {statusLabel(f.status)} · {stamp}
          </Text>
          {options.reportUrl ? (
            <Link src={options.reportUrl} style={[s.sub, s.link]}>
              {options.reportUrl}
            </Link>
          ) : null}
          <View style={s.stats}>
            <Stat label="Hours of customer impact" value={formatHours(f.hours)} sub={f.upperBoundHours > f.hours + 1e-9 ? `up to ${formatHours(f.upperBoundHours)} with untriaged` : `${f.countedIncidents} counted incidents`} />
            <Stat label="Target" value={formatHours(f.target)} sub={targetText(model, formatHours)} />
            <Stat label={model.previous ? `vs ${model.previous.quarter}` : "Previous quarter"} value={model.previous ? formatDelta(f.hours - model.previous.hours) : "—"} sub={model.previous ? `${formatHours(model.previous.hours)}${prevPct ? `, ${prevPct}` : ""}` : "No earlier quarter"} />
            <Stat label={model.peak ? `vs peak ${model.peak.quarter}` : "Peak"} value={peakPct ?? "—"} sub={model.peak ? (model.peak.quarter === model.quarter ? "This is the peak" : formatHours(model.peak.hours)) : null} />
          </View>
          {f.provisionalMessages.length ? (
            <View style={s.note}>
              <Text style={{ fontFamily: FONT_BOLD }}>Provisional</Text>
              {f.provisionalMessages.map((m) => (
                <Text key={m}>{m}</Text>
              ))}
            </View>
          ) : null}
          {options.restatement ? (
            <View style={s.info}>
              <Text style={{ fontFamily: FONT_BOLD }}>
                {`Restated: reported ${formatHours(options.restatement.reported)}, now ${formatHours(options.restatement.now)} (${formatDelta(options.restatement.now - options.restatement.reported)})`}
              </Text>
              {options.restatement.moved.slice(0, 8).map((m) => (
                <Text key={m.sourceId}>{`${m.sourceId} ${m.title}: ${formatHours(m.before)} → ${formatHours(m.after)}`}</Text>
              ))}
            </View>
          ) : null}
        </View>

        <View style={s.section} wrap={false}>
          <Text style={s.h2}>Quarterly hours</Text>
          <Chart model={model} />
          <View style={s.legend}>
            <Swatch color={CHART_COLORS.hours} label="Counted hours" />
            <Swatch color={CHART_COLORS.current} label={model.quarter} />
            {legend.pending ? <Swatch color={CHART_COLORS.pending} label="Untriaged (upper bound)" /> : null}
            {legend.target ? <Text>- - - Target</Text> : null}
          </View>
        </View>

        {model.narrative ? (
          <View style={s.section}>
            <Text style={s.h2}>Program lead&apos;s notes</Text>
            {model.narrative.split(/\n{2,}/).map((p, i) => (
              <Text key={i} style={{ marginBottom: 4 }}>
                {p}
              </Text>
            ))}
          </View>
        ) : null}

        <View style={s.section}>
          <Text style={s.h2} minPresenceAhead={60}>
            Top contributing incidents
          </Text>
          {model.topIncidents.length === 0 ? <Text style={s.muted}>No incident counted in this quarter.</Text> : null}
          {model.topIncidents.length ? (
            <View style={s.table}>
              <View style={s.tr}>
                <Text style={[s.th, { width: 70 }]}>Incident</Text>
                <Text style={[s.th, { flex: 1 }]}>Title</Text>
                <Text style={[s.th, { width: 40 }]}>Sev</Text>
                <Text style={[s.th, s.num, { width: 50 }]}>Hours</Text>
                <Text style={[s.th, s.num, { width: 36 }]}>Share</Text>
              </View>
              {model.topIncidents.map((i) => {
                const href = link(i.id);
                return (
                  <View style={s.tr} key={i.id} wrap={false}>
                    {href ? (
                      <Link src={href} style={[s.link, { width: 70 }]}>
                        {i.sourceId}
                      </Link>
                    ) : (
                      <Text style={{ width: 70 }}>{i.sourceId}</Text>
                    )}
                    <Text style={{ flex: 1 }}>
                      {i.title}
                      {i.reviewed ? "" : " (tags unreviewed)"}
                    </Text>
                    <Text style={{ width: 40 }}>{i.severity}</Text>
                    <Text style={[s.num, { width: 50 }]}>{formatHours(i.hours)}</Text>
                    <Text style={[s.num, { width: 36 }]}>{formatShare(i.share)}</Text>
                  </View>
                );
              })}
            </View>
          ) : null}
          <Text style={[s.small, s.muted, { marginTop: 3 }]}>
            {f.countedIncidents} counted incident{f.countedIncidents === 1 ? "" : "s"} in total. Reasons: {Array.from(new Set(model.topIncidents.map((i) => reasonLabel(i.reason)))).join("; ") || "—"}.
          </Text>
        </View>

        <View style={s.section} wrap={false}>
          <Text style={s.h2}>Where the impact came from</Text>
          <View style={s.cols}>
            <BreakdownTable title="By service" b={model.breakdowns.service} />
            <BreakdownTable title="By deploy system" b={model.breakdowns.deploySystem} />
            <BreakdownTable title="By change type" b={model.breakdowns.changeType} />
          </View>
        </View>

        {model.changes ? <ChangesSection c={model.changes} /> : null}

        <View style={s.section} wrap={false}>
          <View style={s.cols}>
            <View style={s.col}>
              <Text style={s.h2}>North Star</Text>
              <Text>
                Fast remediation: {formatShare(ns.fastRemediation.share)} ({ns.fastRemediation.numerator} of {ns.fastRemediation.denominator}; {ns.fastRemediation.noData} without data)
              </Text>
              <Text>
                Early detection: {formatShare(ns.earlyDetection.share)} ({ns.earlyDetection.numerator} of {ns.earlyDetection.denominator}; {ns.earlyDetection.noData} without data)
              </Text>
            </View>
            <View style={s.col}>
              <Text style={s.h2}>Data completeness</Text>
              <Text>
                Triage: {formatShare(c.share)} of {c.candidates} candidate incidents triaged ({c.untriaged} untriaged)
              </Text>
              <Text>
                Unreviewed tags: {c.unreviewedCounted} of {f.countedIncidents} counted incidents
              </Text>
            </View>
          </View>
        </View>

        <View style={s.section} wrap={false}>
          <Text style={s.h2}>Projects</Text>
          {model.projects.length === 0 ? <Text style={s.muted}>No reliability projects recorded.</Text> : null}
          {model.projects.length ? (
            <View style={s.table}>
              {model.projects.map((p) => (
                <View style={s.tr} key={p.slug}>
                  <Text style={{ flex: 1 }}>{p.name}</Text>
                  <Text style={{ width: 70 }}>{p.status.replace("_", " ")}</Text>
                  <Text style={{ width: 70 }}>{p.deliveredOn ?? "—"}</Text>
                  <Text style={{ width: 170 }}>{p.phase ?? "—"}</Text>
                </View>
              ))}
            </View>
          ) : null}
        </View>

        <View style={s.section} wrap={false}>
          <Text style={[s.small, s.muted]}>
            {`Computed with counting policy version ${model.policy.versionId}${model.policy.note ? ` ("${model.policy.note}")` : ""}, overlap mode ${model.policy.overlap}. ` +
                "Hours are the customer-impact windows of counted change-triggered incidents clipped to the quarter. Breakdowns count a multi-service incident under each of its services, so their parts may add up to more than the total."}
          </Text>
        </View>
      </Page>
    </Document>
  );
}

/** The quarter's change figures (DORA), or "no deploy data". */
function ChangesSection({ c }: { c: NonNullable<ReportModel["changes"]> }) {
  const none = c.deployments + c.remediationDeploys === 0;
  return (
    <View style={s.section} wrap={false}>
      <Text style={s.h2}>Changes</Text>
      {none ? (
        <Text style={s.muted}>No deploy data for this quarter.</Text>
      ) : (
        <View style={s.stats}>
          <View style={s.stat}>
            <Text style={s.statLabel}>Deployments</Text>
            <Text style={s.statValue}>{c.deployments}</Text>
            <Text style={s.statSub}>{c.remediationDeploys} rollbacks and fixes</Text>
          </View>
          <View style={s.stat}>
            <Text style={s.statLabel}>Change fail rate</Text>
            <Text style={s.statValue}>{formatRate(c.changeFailRate)}</Text>
            <Text style={s.statSub}>{c.failedDeployments} failed</Text>
          </View>
          <View style={s.stat}>
            <Text style={s.statLabel}>Recovery (median)</Text>
            <Text style={s.statValue}>{formatRecovery(c.recoveryMedianHours)}</Text>
            <Text style={s.statSub}>p90 {formatRecovery(c.recoveryP90Hours)}{c.unrecovered ? `; ${c.unrecovered} not recovered` : ""}</Text>
          </View>
          <View style={s.stat}>
            <Text style={s.statLabel}>Rework rate</Text>
            <Text style={s.statValue}>{formatRate(c.reworkRate)}</Text>
            <Text style={s.statSub}>
              {c.causeCoverage.counted ? `cause confirmed for ${c.causeCoverage.withCause} of ${c.causeCoverage.counted} counted` : "no counted incident"}
            </Text>
          </View>
        </View>
      )}
      {c.worstServices.length ? (
        <Text style={[s.small, { marginTop: 4 }]}>
          Highest change fail rate: {c.worstServices.map((w) => `${w.service} ${formatRate(w.changeFailRate)} (${w.failedDeployments} of ${w.deployments})`).join(" · ")}
        </Text>
      ) : null}
    </View>
  );
}

/** Renders the report to PDF bytes. */
export async function renderReportPdf(model: ReportModel, options: ReportPdfOptions = {}): Promise<Buffer> {
  return renderToBuffer(<ReportPdfDocument model={model} options={options} />);
}
