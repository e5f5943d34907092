/**
 * In-scope impact hours per quarter, from the engine's per-incident contributions.
 * Only counted incidents contribute (the engine's `contributions` are empty
 * otherwise). In `union` overlap mode two in-scope incidents overlapping in time
 * both add their hours, so a scope's figure can exceed the quarter's union total.
 */
import type { Analysis } from "@/lib/metric/analysis-types";
import type { EngineIncident } from "@/lib/metric/types";
import { compileScope, type ProjectScope } from "./scope";
import type { QuarterHoursInput } from "./impact";

/** Ids of the incidents (any verdict) inside `scope`. */
export function incidentsInScope(incidents: readonly EngineIncident[], scope: ProjectScope): Set<string> {
  const test = compileScope(scope);
  const out = new Set<string>();
  for (const i of incidents) if (test(i)) out.add(i.id);
  return out;
}

/** Every quarter of `analysis` with the hours counted incidents inside `scope` add to it. */
export function scopedQuarterHours(analysis: Analysis, incidents: readonly EngineIncident[], scope: ProjectScope): QuarterHoursInput[] {
  const test = compileScope(scope);
  const index = new Map<string, number>(analysis.quarters.map((q, i) => [q.quarter, i]));
  const hours = new Float64Array(analysis.quarters.length);
  // analyze() returns incidents in input order; fall back to an id lookup if a caller passes another order.
  const aligned = analysis.incidents.length === incidents.length && analysis.incidents.every((a, k) => a.id === incidents[k].id);
  const byId = aligned ? null : new Map(incidents.map((i) => [i.id, i]));
  analysis.incidents.forEach((inc, k) => {
    if (!inc.counted || !inc.contributions.length) return;
    const source = byId ? byId.get(inc.id) : incidents[k];
    if (!source || !test(source)) return;
    for (const c of inc.contributions) {
      const i = index.get(c.quarter);
      if (i !== undefined) hours[i] += c.hours;
    }
  });
  return analysis.quarters.map((q, i) => ({ quarter: q.quarter, start: q.startMs, end: q.endMs, hours: hours[i], status: q.status }));
}
