/**
 * Attribution by scope: does an incident fall inside a project's scope?
 *
 * A scope has three dimensions: services, deploy systems and change types.
 * - Within a dimension, values match case-insensitively after trimming; an
 *   incident matches the services dimension when it shares at least one service.
 * - Across dimensions the test is AND over the non-empty ones: an empty
 *   dimension places no constraint. "spinnaker + code_deploy" means code deploys
 *   shipped through spinnaker, not everything either touches.
 * - An incident missing a value (no deploy system, no change type, no services)
 *   never matches a non-empty dimension: unknown is not guessed.
 * - A scope with every dimension empty matches nothing: a project must say what
 *   it covers.
 */

export interface ProjectScope {
  services: string[];
  deploySystems: string[];
  changeTypes: string[];
}

export interface ScopedIncident {
  services: string[];
  deploySystem?: string | null;
  changeType?: string | null;
}

export type ScopeDimension = "service" | "deploySystem" | "changeType";

function norm(v: string): string {
  return v.trim().toLowerCase();
}

/** A compiled scope test; compile once, call per incident. */
export function compileScope(scope: ProjectScope): (incident: ScopedIncident) => boolean {
  const services = new Set(scope.services.map(norm).filter(Boolean));
  const systems = new Set(scope.deploySystems.map(norm).filter(Boolean));
  const types = new Set(scope.changeTypes.map(norm).filter(Boolean));
  if (!services.size && !systems.size && !types.size) return () => false;
  const inServices = memoMatch(services);
  const inSystems = memoMatch(systems);
  const inTypes = memoMatch(types);
  return (i) => {
    if (services.size && !i.services.some(inServices)) return false;
    if (systems.size && (i.deploySystem == null || !inSystems(i.deploySystem))) return false;
    if (types.size && (i.changeType == null || !inTypes(i.changeType))) return false;
    return true;
  };
}

/** `raw → wanted.has(norm(raw))`, remembered per distinct raw value (a scope test runs over 100k incidents per project). */
function memoMatch(wanted: Set<string>): (raw: string) => boolean {
  const seen = new Map<string, boolean>();
  return (raw) => {
    let hit = seen.get(raw);
    if (hit === undefined) {
      hit = wanted.has(norm(raw));
      if (seen.size < 10_000) seen.set(raw, hit);
    }
    return hit;
  };
}

/** True when `incident` falls inside `scope` (rules in the file comment). */
export function matchesScope(incident: ScopedIncident, scope: ProjectScope): boolean {
  return compileScope(scope)(incident);
}

/** True when every dimension of the scope is empty (it matches nothing). */
export function isEmptyScope(scope: ProjectScope): boolean {
  return !scope.services.length && !scope.deploySystems.length && !scope.changeTypes.length;
}

/** The scope's values for one dimension. */
export function scopeValues(scope: ProjectScope, dimension: ScopeDimension): string[] {
  return dimension === "service" ? scope.services : dimension === "deploySystem" ? scope.deploySystems : scope.changeTypes;
}

/** Human summary: `deploy systems spinnaker, argocd AND change types code_deploy`. */
export function describeScope(scope: ProjectScope): string {
  const parts: string[] = [];
  if (scope.services.length) parts.push(`services ${scope.services.join(", ")}`);
  if (scope.deploySystems.length) parts.push(`deploy systems ${scope.deploySystems.join(", ")}`);
  if (scope.changeTypes.length) parts.push(`change types ${scope.changeTypes.join(", ")}`);
  return parts.length ? parts.join(" AND ") : "nothing (empty scope)";
}
