/**
 * Portfolio view: the sources of impact over a period, ranked, beside the projects
 * that cover each one, so a gap in coverage shows.
 *
 * - A source is one value of a dimension (a service, a deploy system, a change
 *   type); its hours are the engine's breakdown rows summed over the chosen quarters
 *   (counted contributions only). "unknown" collects incidents missing the value.
 * - Cumulative share is each source's running total over the sum of all sources'
 *   hours. For services (multi-valued) and in union mode, sources can add up to
 *   more than the headline total, so the denominator is the sum of the rows, not
 *   the metric: the share always ends at 100%.
 * - A project covers a source when its scope names that value in that dimension
 *   (case-insensitive). A project with an empty dimension does not cover every value
 *   of it: it is defined by its other dimensions. Curtailed projects are listed but
 *   never close a gap; "unknown" cannot be covered (tag those incidents instead).
 */
import type { QuarterAnalysis } from "@/lib/metric/analysis-types";
import { scopeValues, type ProjectScope, type ScopeDimension } from "./scope";

export const DIMENSIONS: { key: ScopeDimension; label: string; plural: string }[] = [
  { key: "service", label: "Service", plural: "services" },
  { key: "deploySystem", label: "Deploy system", plural: "deploy systems" },
  { key: "changeType", label: "Change type", plural: "change types" },
];

export interface PortfolioProject {
  slug: string;
  name: string;
  status: "planned" | "in_progress" | "delivered" | "curtailed";
  scope: ProjectScope;
}

export interface SourceRow {
  key: string;
  hours: number;
  incidents: number;
  /** hours / total of all rows (0–1). */
  share: number;
  /** Running share including this row (0–1). */
  cumulativeShare: number;
  covering: { slug: string; name: string; status: PortfolioProject["status"] }[];
  /** No covering project that is not curtailed. */
  gap: boolean;
  /** The "unknown" bucket: incidents missing this value. */
  unknown: boolean;
}

export interface SourceRanking {
  dimension: ScopeDimension;
  quarters: string[];
  totalHours: number;
  rows: SourceRow[];
}

/** Ranks `dimension`'s sources over `quarters` (rules in the file comment); ties by name. */
export function rankSources(quarters: readonly QuarterAnalysis[], dimension: ScopeDimension, projects: readonly PortfolioProject[]): SourceRanking {
  const acc = new Map<string, { hours: number; incidents: number }>();
  for (const q of quarters) {
    for (const r of q.breakdowns[dimension].rows) {
      const a = acc.get(r.key) ?? { hours: 0, incidents: 0 };
      a.hours += r.hours;
      a.incidents += r.incidents;
      acc.set(r.key, a);
    }
  }
  const entries = [...acc].filter(([, v]) => v.hours > 0).sort((a, b) => b[1].hours - a[1].hours || a[0].localeCompare(b[0]));
  const total = entries.reduce((s, [, v]) => s + v.hours, 0);
  let running = 0;
  const rows = entries.map(([key, v]): SourceRow => {
    running += v.hours;
    const unknown = key === "unknown";
    const norm = key.trim().toLowerCase();
    const covering = unknown
      ? []
      : projects
          .filter((p) => scopeValues(p.scope, dimension).some((s) => s.trim().toLowerCase() === norm))
          .map((p) => ({ slug: p.slug, name: p.name, status: p.status }));
    return {
      key,
      hours: v.hours,
      incidents: v.incidents,
      share: total ? v.hours / total : 0,
      cumulativeShare: total ? running / total : 0,
      covering,
      gap: !covering.some((c) => c.status !== "curtailed"),
      unknown,
    };
  });
  return { dimension, quarters: quarters.map((q) => q.quarter), totalHours: total, rows };
}
