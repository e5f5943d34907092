/**
 * The dashboard's URL state: filters (service, deployment system), breakdown
 * dimension, ranking period and the drilled-down quarter. Invalid values are dropped
 * and reported, never thrown.
 */
import { z } from "zod";
import { isBreakdownDimension, isRankingPeriod, type BreakdownDimension, type RankingPeriod } from "@/lib/charts/breakdown";
import { isQuarterId } from "@/lib/metric/calendar";

export interface DashboardParams {
  services: string[];
  deploySystems: string[];
  dim: BreakdownDimension;
  /** Dimension of the ranking of largest sources. */
  rank: BreakdownDimension;
  period: RankingPeriod;
  quarter: string | null;
  /** The period's ends as the URL gave them (checked against the data by resolvePeriod); null when absent. */
  from: string | null;
  to: string | null;
  /** Human messages for values that were ignored. */
  ignored: string[];
}

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s.length > 0 && s.length <= 200)));

export function parseDashboardParams(raw: Record<string, string | string[] | undefined>): DashboardParams {
  const ignored: string[] = [];
  const one = (k: string) => {
    const v = raw[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const services = list.parse(raw.service);
  const deploySystems = list.parse(raw.deploySystem);
  let dim: BreakdownDimension = "service";
  const d = one("dim");
  if (d !== undefined) {
    if (isBreakdownDimension(d)) dim = d;
    else ignored.push(`Unknown breakdown "${d}"; showing by service.`);
  }
  let rank: BreakdownDimension = "service";
  const r = one("rank");
  if (r !== undefined) {
    if (isBreakdownDimension(r)) rank = r;
    else ignored.push(`Unknown ranking dimension "${r}"; ranking by service.`);
  }
  let period: RankingPeriod = "last4";
  const p = one("period");
  if (p !== undefined) {
    if (isRankingPeriod(p)) period = p;
    else ignored.push(`Unknown ranking period "${p}"; showing the last 4 quarters.`);
  }
  let quarter: string | null = null;
  const q = one("quarter");
  if (q !== undefined && q !== "") {
    if (isQuarterId(q.trim())) quarter = q.trim();
    else ignored.push(`"${q}" is not a quarter id (expected e.g. FY2025-Q1).`);
  }
  const end = (k: string) => {
    const v = one(k)?.trim();
    return v ? v : null;
  };
  return { services, deploySystems, dim, rank, period, quarter, from: end("from"), to: end("to"), ignored };
}

/** Query string for `params` with `changes` applied (null removes a key). */
export function dashboardHref(
  params: Pick<DashboardParams, "services" | "deploySystems" | "dim" | "rank" | "period" | "quarter"> & Partial<Pick<DashboardParams, "from" | "to">>,
  changes: Partial<Record<"dim" | "period" | "quarter" | "from" | "to", string | null>> = {},
): string {
  const sp = new URLSearchParams();
  for (const s of params.services) sp.append("service", s);
  for (const s of params.deploySystems) sp.append("deploySystem", s);
  const dim = "dim" in changes ? changes.dim : params.dim;
  const period = "period" in changes ? changes.period : params.period;
  const quarter = "quarter" in changes ? changes.quarter : params.quarter;
  if (dim && dim !== "service") sp.set("dim", dim);
  if (params.rank !== "service") sp.set("rank", params.rank);
  if (period && period !== "last4") sp.set("period", period);
  if (quarter) sp.set("quarter", quarter);
  const from = "from" in changes ? changes.from : params.from;
  const to = "to" in changes ? changes.to : params.to;
  if (from) sp.set("from", from);
  if (to) sp.set("to", to);
  const s = sp.toString();
  return s ? `/?${s}` : "/";
}
