import "server-only";
import type { Db } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { incidentSummaries } from "@/db/queries/dashboard-reads";
import { failingSources } from "@/db/queries/delivery";
import { readUntriagedEngineIncidents } from "@/db/queries/triage";
import { toBurnDown } from "@/lib/charts/burndown";
import { appLink, reportPath } from "@/lib/delivery/app-url";
import type { DeliveryMessage, MessageLine } from "@/lib/delivery/message";
import { formatLocalDate } from "@/lib/export/format";
import { formatHours } from "@/lib/format/hours";
import { quarterForInstant } from "@/lib/metric/calendar";
import { computeAnalysis } from "@/server/metrics";
import { resolveAppUrl } from "./app-url";
import { NO_APP_URL_NOTE } from "./queue";

const DAY_MS = 86_400_000;

/**
 * The weekly digest at `asOf`: the current quarter so far against its budget (the target
 * spread evenly) and its run-rate forecast; incidents newly counted since `since` (their
 * impact began after it) with the hours each adds; the untriaged queue with its oldest item;
 * live sources whose syncs are failing. Links under the app's public URL, none without one.
 */
export function buildDigest(db: Db, opts: { asOf: number; since: number }): DeliveryMessage {
  const settings = getSettings(db);
  const q = quarterForInstant(opts.asOf, settings).id;
  const analysis = computeAnalysis(db, { asOf: opts.asOf, from: q, to: q });
  const quarter = analysis.quarters.find((x) => x.quarter === q);
  const appUrl = resolveAppUrl(db);
  const facts: DeliveryMessage["facts"] = [];
  let headline = `${q}: no incidents yet.`;
  if (quarter) {
    const burn = toBurnDown(quarter, analysis.incidents, opts.asOf, analysis.overlap);
    facts.push({ label: "So far", value: formatHours(burn.hoursSoFar) });
    facts.push({ label: "Budget so far", value: burn.budgetSoFar === null ? "no target" : formatHours(burn.budgetSoFar) });
    facts.push({ label: "Forecast for the quarter", value: `${formatHours(burn.forecastHours)}${burn.earlyForecast ? " (early: under 14 days in)" : ""}` });
    facts.push({ label: "Target", value: burn.target === null ? "none set" : formatHours(burn.target) });
    if (quarter.upperBoundHours > quarter.hours + 1e-9) facts.push({ label: "Up to, with untriaged", value: formatHours(quarter.upperBoundHours) });
    const verdict =
      burn.target === null
        ? "no target is set"
        : burn.forecastHours > burn.target + 1e-9
          ? `the forecast is over the ${formatHours(burn.target)} target`
          : `the forecast is within the ${formatHours(burn.target)} target`;
    headline = `${q} so far: ${formatHours(burn.hoursSoFar)} of customer impact from changes, ${Math.round(burn.elapsedShare * 100)}% into the quarter; ${verdict}.`;
  }

  const fresh = analysis.incidents
    .filter((i) => i.counted && i.startMs >= opts.since && i.startMs < opts.asOf)
    .map((i) => ({ id: i.id, hours: i.contributions.find((c) => c.quarter === q)?.hours ?? 0 }))
    .sort((a, b) => b.hours - a.hours);
  const titles = incidentSummaries(db, fresh.map((f) => f.id));
  const newly: MessageLine[] = fresh.slice(0, 10).map((f) => {
    const s = titles.get(f.id);
    return { text: `${s?.sourceId ?? f.id} ${s?.title ?? ""}: ${formatHours(f.hours)}`.replace(/ :/, ":"), url: appLink(appUrl, `/incidents/${f.id}`) };
  });
  if (fresh.length > 10) newly.push({ text: `and ${fresh.length - 10} more`, url: appLink(appUrl, `/incidents?quarter=${q}&counted=yes`) });

  const untriaged = readUntriagedEngineIncidents(db);
  const queue: MessageLine[] = [];
  if (untriaged.length) {
    const oldest = untriaged.reduce((a, b) => (b.startedAt < a.startedAt ? b : a));
    const s = incidentSummaries(db, [String(oldest.id)]).get(String(oldest.id));
    const days = Math.floor((opts.asOf - oldest.startedAt) / DAY_MS);
    queue.push({ text: `${untriaged.length} incident${untriaged.length === 1 ? "" : "s"} waiting for triage`, url: appLink(appUrl, "/incidents/triage") });
    queue.push({
      text: `Oldest: ${s?.sourceId ?? oldest.id} ${s?.title ?? ""}, started ${formatLocalDate(new Date(oldest.startedAt).toISOString(), settings.timezone)} (${days} day${days === 1 ? "" : "s"} ago)`,
      url: appLink(appUrl, `/incidents/${oldest.id}`),
    });
  }
  const sources = failingSources(db).map((s) => ({ text: `${s.name}: ${s.failures} failed sync${s.failures === 1 ? "" : "s"} in a row${s.error ? ` (${s.error})` : ""}`, url: appLink(appUrl, "/settings/sources") }));

  const sections: DeliveryMessage["sections"] = [
    { title: `Newly counted since ${formatLocalDate(new Date(opts.since).toISOString(), settings.timezone)}`, lines: newly },
    { title: "Untriaged queue", lines: queue },
  ];
  if (sources.length) sections.push({ title: "Sources failing to sync", lines: sources });
  const dashboard = appLink(appUrl, "/");
  return {
    kind: "digest",
    subject: `Deploy Safety weekly digest: ${q}`,
    headline,
    facts,
    sections,
    link: dashboard ? { label: "Open the dashboard", url: dashboard } : null,
    note: appUrl ? null : NO_APP_URL_NOTE,
  };
}

/** The message announcing a published report; email attaches its PDF. */
export function buildReportMessage(db: Db, quarter: string, version: number): DeliveryMessage {
  const appUrl = resolveAppUrl(db);
  const url = appLink(appUrl, reportPath(quarter, version));
  return {
    kind: "report",
    subject: `Deploy Safety report ${quarter} (version ${version})`,
    headline: `The ${quarter} report was published (version ${version}).${url ? "" : " The PDF is attached to email."}`,
    facts: [],
    sections: [],
    link: url ? { label: `Open the ${quarter} report`, url } : null,
    note: appUrl ? null : NO_APP_URL_NOTE,
    attachReport: { quarter, version },
  };
}
