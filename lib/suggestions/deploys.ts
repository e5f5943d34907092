import type { DeployInput } from "@/lib/validation/deploy";

/** A deploy event as suggestions read it: a stored deploy (its id), its start aside. Instants are epoch ms. */
export interface DeployLike extends Omit<DeployInput, "startedAt"> {
  id: number;
}

/** A deploy that finished shortly before the impact started, on a service the incident affected. */
export interface DeploySuggestion {
  kind: "deploy";
  trigger: "change";
  deploy: DeployLike;
  /** Minutes between the deploy finishing and the impact starting (0 = same minute). */
  minutesBefore: number;
  /** One sentence naming the deploy, its version and deploy system. */
  evidence: string;
}

const MINUTE_MS = 60_000;

/**
 * Deploys to any of `services` (case-insensitive) that finished in the closed window
 * [impactStart − windowMinutes, impactStart], nearest first. Rollback deploys are
 * left out: a rollback is how an incident ends, not what starts it.
 */
export function deploySuggestions(
  incident: { services: readonly string[]; impactStart: number },
  deploys: readonly DeployLike[],
  windowMinutes: number,
): DeploySuggestion[] {
  const services = new Set(incident.services.map((s) => s.trim().toLowerCase()));
  if (services.size === 0) return [];
  const from = incident.impactStart - windowMinutes * MINUTE_MS;
  return deploys
    .filter((d) => !d.isRollback && services.has(d.service.trim().toLowerCase()) && d.finishedAt >= from && d.finishedAt <= incident.impactStart)
    .sort((a, b) => b.finishedAt - a.finishedAt || a.id - b.id)
    .map((deploy) => {
      const minutesBefore = Math.round((incident.impactStart - deploy.finishedAt) / MINUTE_MS);
      const what = `${deploy.service}${deploy.version ? ` ${deploy.version}` : ""}`;
      const via = deploy.deploySystem ? ` via ${deploy.deploySystem}` : "";
      const ref = deploy.externalId ? ` (${deploy.externalId})` : "";
      const when = minutesBefore === 0 ? "as the impact started" : `${minutesBefore} min before the impact started`;
      return { kind: "deploy" as const, trigger: "change" as const, deploy, minutesBefore, evidence: `Deploy of ${what}${via}${ref} finished ${when}.` };
    });
}
