import "server-only";
import { Gauge, Registry } from "prom-client";
import type { Db } from "@/db/client";
import { listChannels } from "@/db/queries/delivery";
import type { DashboardModel } from "@/server/dashboard/model";

/** How many quarters the endpoint reports: the current one and the seven before it. */
export const OPENMETRICS_QUARTERS = 8;

/**
 * The figures as OpenMetrics text (prom-client, the Prometheus project's Node client), for
 * Grafana and alerting stacks: per quarter (the current one and the recent ones) the hours,
 * the untriaged upper bound, the target, counted and untriaged incidents and triage
 * completeness; the current quarter's forecast; and delivery's health. A fresh registry per
 * scrape, so nothing is kept between requests.
 */
export async function renderOpenMetrics(db: Db, model: DashboardModel): Promise<{ body: string; contentType: string }> {
  const registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const hours = g("deploy_safety_impact_hours", "Hours of customer impact from counted change-triggered incidents", ["quarter", "status"]);
  const upper = g("deploy_safety_impact_upper_bound_hours", "Hours if every untriaged candidate turned out change-triggered", ["quarter"]);
  const target = g("deploy_safety_target_hours", "The quarter's target in hours (absent when none is set)", ["quarter"]);
  const counted = g("deploy_safety_counted_incidents", "Incidents counted in the quarter", ["quarter"]);
  const untriaged = g("deploy_safety_untriaged_incidents", "Untriaged candidate incidents overlapping the quarter", ["quarter"]);
  const completeness = g("deploy_safety_triage_completeness_ratio", "Share of the quarter's candidate incidents that are triaged (absent with no candidates)", ["quarter"]);
  const current = g("deploy_safety_current_quarter_info", "The quarter in progress (value 1)", ["quarter"]);
  const forecast = g("deploy_safety_forecast_hours", "Run-rate forecast of the current quarter's hours at its end", ["quarter"]);
  const asOf = g("deploy_safety_figures_computed_timestamp_seconds", "When the figures were computed");
  const failures = g("deploy_safety_delivery_channel_consecutive_failures", "Failed delivery attempts in a row per channel", ["channel", "kind"]);
  const outbox = g("deploy_safety_delivery_outbox_messages", "Messages in the delivery outbox by status", ["status"]);

  const quarters = model.metrics.quarters.filter((q) => q.status !== "future").slice(-OPENMETRICS_QUARTERS);
  const rows = new Map(model.completeness.rows.map((r) => [r.quarter, r]));
  for (const q of quarters) {
    hours.set({ quarter: q.quarter, status: q.status }, q.hours);
    upper.set({ quarter: q.quarter }, q.upperBoundHours);
    if (q.target !== null) target.set({ quarter: q.quarter }, q.target);
    counted.set({ quarter: q.quarter }, q.countedIncidents);
    const c = rows.get(q.quarter);
    if (c) {
      untriaged.set({ quarter: q.quarter }, c.untriaged);
      if (c.candidates > 0) completeness.set({ quarter: q.quarter }, c.triaged / c.candidates);
    }
  }
  if (model.burnDown) {
    current.set({ quarter: model.burnDown.quarter }, 1);
    forecast.set({ quarter: model.burnDown.quarter }, model.burnDown.forecastHours);
  }
  asOf.set(model.asOf / 1000);
  for (const ch of listChannels(db)) failures.set({ channel: ch.name, kind: ch.kind }, ch.consecutiveFailures);
  const counts = db.$client.prepare("SELECT status, count(*) AS n FROM delivery_outbox GROUP BY status").all() as { status: string; n: number }[];
  for (const status of ["pending", "sent", "failed"]) outbox.set({ status }, counts.find((c) => c.status === status)?.n ?? 0);
  return { body: await registry.metrics(), contentType: registry.contentType };
}
