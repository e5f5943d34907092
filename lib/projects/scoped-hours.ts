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
  const inScope = incidentsInScope(incidents, scope);
  const hours = new Map<string, number>(analysis.quarters.map((q) => [q.quarter, 0]));
  for (const inc of analysis.incidents) {
    if (!inc.counted || !inScope.has(inc.id)) continue;
    for (const c of inc.contributions) hours.set(c.quarter, (hours.get(c.quarter) ?? 0) + c.hours);
  }
  return analysis.quarters.map((q) => ({ quarter: q.quarter, start: q.startMs, end: q.endMs, hours: hours.get(q.quarter) ?? 0, status: q.status }));
}
