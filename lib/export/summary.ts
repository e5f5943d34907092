/**
 * A short plain-text summary of a quarter's report, to paste into chat or email. Pure.
 */
import { formatShare } from "@/lib/format/share";
import { formatRate, formatRecovery } from "@/lib/format/dora";
import { formatLastDay, formatLocalDate, formatPercentChange } from "./format";
import { statusLabel } from "@/lib/metric/labels";
import { formatDelta, formatHours } from "@/lib/format/hours";
import { targetText, type ReportModel } from "./report-model";

export interface SummaryOptions {
  /** Absolute link to the report, appended as the last line when given. */
  url?: string | null;
  /** When the summary is of a published version: its number and date. */
  published?: { version: number; publishedAt: string } | null;
  /** Top contributors to list (default 3). */
  top?: number;
}

export function buildQuarterSummary(model: ReportModel, opts: SummaryOptions = {}): string {
  const f = model.figure;
  const lines: string[] = [];
  const period = `${formatLocalDate(model.start, model.timezone)} to ${formatLastDay(model.end, model.timezone)}`;
  const pub = opts.published ? `, published v${opts.published.version} on ${formatLocalDate(opts.published.publishedAt, model.timezone)}` : "";
  lines.push(`Deploy Safety ${model.quarter} (${period}; ${statusLabel(f.status).toLowerCase()}${pub})`);

  let head = `Customer impact from change-triggered incidents: ${formatHours(f.hours)} across ${f.countedIncidents} counted incident${f.countedIncidents === 1 ? "" : "s"}`;
  if (f.target != null) {
    head += `; target ${formatHours(f.target)} (${targetText(model, formatHours).toLowerCase()})`;
  } else {
    head += "; no target set";
  }
  lines.push(head + ".");
  if (f.upperBoundHours > f.hours + 1e-9) {
    lines.push(`Up to ${formatHours(f.upperBoundHours)} if every untriaged incident turns out change-triggered.`);
  }
  const cmp: string[] = [];
  if (model.previous) {
    const pct = formatPercentChange(f.hours, model.previous.hours);
    cmp.push(`vs ${model.previous.quarter}: ${formatDelta(f.hours - model.previous.hours)}${pct ? ` (${pct})` : ""}`);
  }
  if (model.peak && model.peak.quarter !== model.quarter) {
    const pct = formatPercentChange(f.hours, model.peak.hours);
    cmp.push(`vs peak ${model.peak.quarter} (${formatHours(model.peak.hours)}): ${pct ?? formatDelta(f.hours - model.peak.hours)}`);
  } else if (model.peak && model.peak.quarter === model.quarter && model.peak.hours > 0) {
    cmp.push("this is the highest quarter so far");
  }
  if (cmp.length) lines.push(cmp.join("; ") + ".");

  const top = model.topIncidents.slice(0, opts.top ?? 3);
  if (top.length) {
    lines.push("Top contributors:");
    for (const i of top) lines.push(`- ${i.sourceId} ${i.title}: ${formatHours(i.hours)}${i.share != null ? ` (${formatShare(i.share)})` : ""}`);
  }
  const ns = model.northStar;
  lines.push(
    `North Star: ${formatShare(ns.fastRemediation.share)} remediated fast (${ns.fastRemediation.numerator}/${ns.fastRemediation.denominator}), ` +
      `${formatShare(ns.earlyDetection.share)} detected early (${ns.earlyDetection.numerator}/${ns.earlyDetection.denominator}).`,
  );
  if (model.changes) {
    const ch = model.changes;
    lines.push(
      ch.deployments + ch.remediationDeploys === 0
        ? "Changes: no deploy data."
        : `Changes: ${ch.deployments} deployment${ch.deployments === 1 ? "" : "s"}, change fail rate ${formatRate(ch.changeFailRate)} (${ch.failedDeployments} failed), ` +
            `recovery median ${formatRecovery(ch.recoveryMedianHours)}, rework ${formatRate(ch.reworkRate)}.`,
    );
  }
  const c = model.completeness;
  const notes: string[] = [];
  if (c.candidates > 0) notes.push(`triage ${formatShare(c.share)} complete (${c.untriaged} untriaged)`);
  if (c.unreviewedCounted > 0) notes.push(`${c.unreviewedCounted} counted incident${c.unreviewedCounted === 1 ? "" : "s"} with unreviewed tags`);
  if (notes.length) lines.push(`Data: ${notes.join("; ")}.`);
  if (model.narrative) lines.push("", model.narrative.trim());
  if (opts.url) lines.push("", opts.url);
  return lines.join("\n") + "\n";
}
