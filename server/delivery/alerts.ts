import "server-only";
import type { Db } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { incidentSummaries } from "@/db/queries/dashboard-reads";
import { getChannel } from "@/db/queries/delivery";
import { getDeliverySetting, setDeliverySetting } from "@/db/queries/delivery-settings";
import { readUntriagedEngineIncidents } from "@/db/queries/triage";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { toBurnDown } from "@/lib/charts/burndown";
import { ALERTS_OFF, alertsFormSchema, type AlertsConfig } from "@/lib/delivery/alerts";
import { appLink } from "@/lib/delivery/app-url";
import type { DeliveryMessage } from "@/lib/delivery/message";
import { formatHours } from "@/lib/format/hours";
import { quarterForInstant } from "@/lib/metric/calendar";
import { computeAnalysis } from "@/server/metrics";
import { resolveAppUrl } from "./app-url";
import { NO_APP_URL_NOTE, queueMessage } from "./queue";

const DAY_MS = 86_400_000;

export function getAlertsConfig(db: Db): AlertsConfig {
  const stored = getDeliverySetting(db, "alerts");
  return stored && typeof stored === "object" ? { ...ALERTS_OFF, ...(stored as Partial<AlertsConfig>) } : ALERTS_OFF;
}

export function saveAlertsConfig(db: Db, input: unknown, actor: AuditActor, now = Date.now()): AlertsConfig {
  const r = alertsFormSchema.safeParse(input);
  if (!r.success) throw new ValidationError("The alerts were not saved: fix the fields marked below.", issuesFromZod(r.error).map((i) => ({ ...i, field: i.field.split(".")[0] })));
  const missing = r.data.channelIds.filter((id) => !getChannel(db, id));
  if (missing.length) throw new ValidationError("The alerts were not saved: fix the fields marked below.", [{ field: "channelIds", message: `no channel ${missing.join(", ")}` }]);
  if (r.data.channelIds.some((id) => getChannel(db, id)?.kind === "webhook")) throw new ValidationError("The alerts were not saved: fix the fields marked below.", [{ field: "channelIds", message: "an outgoing webhook receives events, not alerts" }]);
  const on = r.data.forecastOverTarget || r.data.incidentHours !== null || r.data.untriagedDays !== null;
  if (on && r.data.channelIds.length === 0) throw new ValidationError("The alerts were not saved: fix the fields marked below.", [{ field: "channelIds", message: "choose at least one channel for the alerts" }]);
  setDeliverySetting(db, "alerts", r.data, { actor, now });
  return r.data;
}

function alert(subject: string, headline: string, link: { label: string; url: string | null }, appUrl: string | null): DeliveryMessage {
  return { kind: "alert", subject, headline, facts: [], sections: [], link: link.url ? { label: link.label, url: link.url } : null, note: appUrl ? null : NO_APP_URL_NOTE };
}

/**
 * Checks the alert rules at `now` and queues each alert that fires. Each fires once per
 * cause: the dedupe key names the cause (the quarter whose forecast crossed its target, the
 * incident), so later evaluations that find the same cause queue nothing. Returns rows added.
 */
export function evaluateAlerts(db: Db, now: number): number {
  const cfg = getAlertsConfig(db);
  if (!cfg.channelIds.length || (!cfg.forecastOverTarget && cfg.incidentHours === null && cfg.untriagedDays === null)) return 0;
  const appUrl = resolveAppUrl(db);
  const q = quarterForInstant(now, getSettings(db)).id;
  const found: { key: string; message: DeliveryMessage }[] = [];
  if (cfg.forecastOverTarget || cfg.incidentHours !== null) {
    const analysis = computeAnalysis(db, { asOf: now, from: q, to: q });
    const quarter = analysis.quarters.find((x) => x.quarter === q);
    if (quarter && cfg.forecastOverTarget) {
      const burn = toBurnDown(quarter, analysis.incidents, now, analysis.overlap);
      if (burn.target !== null && burn.forecastHours > burn.target + 1e-9) {
        found.push({
          key: `alert:forecast:${q}:target-${burn.target}`,
          message: alert(
            `Deploy Safety alert: ${q} forecast over target`,
            `${q}'s forecast is ${formatHours(burn.forecastHours)}, over its ${formatHours(burn.target)} target (${formatHours(burn.hoursSoFar)} so far).`,
            { label: "Open the dashboard", url: appLink(appUrl, "/") },
            appUrl,
          ),
        });
      }
    }
    if (cfg.incidentHours !== null) {
      const big = analysis.incidents.filter((i) => i.counted && (i.contributions.find((c) => c.quarter === q)?.hours ?? 0) > cfg.incidentHours!);
      const names = incidentSummaries(db, big.map((i) => i.id));
      for (const i of big) {
        const hours = i.contributions.find((c) => c.quarter === q)!.hours;
        const s = names.get(i.id);
        found.push({
          key: `alert:incident-hours:${i.id}:${cfg.incidentHours}`,
          message: alert(
            `Deploy Safety alert: ${s?.sourceId ?? i.id} adds ${formatHours(hours)}`,
            `${s?.sourceId ?? i.id} ${s?.title ?? ""} adds ${formatHours(hours)} to ${q}, more than the ${formatHours(cfg.incidentHours)} alert threshold.`,
            { label: "Open the incident", url: appLink(appUrl, `/incidents/${i.id}`) },
            appUrl,
          ),
        });
      }
    }
  }
  if (cfg.untriagedDays !== null) {
    const old = readUntriagedEngineIncidents(db).filter((e) => now - e.startedAt > cfg.untriagedDays! * DAY_MS);
    const names = incidentSummaries(db, old.map((e) => String(e.id)));
    for (const e of old) {
      const s = names.get(String(e.id));
      found.push({
        key: `alert:untriaged:${e.id}:${cfg.untriagedDays}`,
        message: alert(
          `Deploy Safety alert: ${s?.sourceId ?? e.id} untriaged for ${Math.floor((now - e.startedAt) / DAY_MS)} days`,
          `${s?.sourceId ?? e.id} ${s?.title ?? ""} has waited for triage more than ${cfg.untriagedDays} days.`,
          { label: "Triage it", url: appLink(appUrl, `/incidents/${e.id}`) },
          appUrl,
        ),
      });
    }
  }
  let added = 0;
  for (const f of found) added += queueMessage(db, { channelIds: cfg.channelIds, kind: "alert", message: f.message, dedupeKey: f.key, now });
  return added;
}
