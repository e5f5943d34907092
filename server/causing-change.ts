import "server-only";
import type { Db } from "@/db/client";
import { lastAuditAt } from "@/db/queries/audit";
import { DEPLOY_LINK_AUDIT, getChangeSettings, listIncidentDeployLinks, type IncidentDeployLink } from "@/db/queries/deploy-links";
import { deploysNear, toDeployLike } from "@/db/queries/deploys";
import { getIncident } from "@/db/queries/incidents";
import { HOUR_MS, impactWindow } from "@/lib/metric/intervals";
import { rankCauseSuspects, remediationCandidates, type CauseSuspect, type RemediationCandidate } from "@/lib/suggestions/causes";
import type { DeployLike } from "@/lib/suggestions/deploys";

export interface CausingChangeView {
  windowHours: number;
  services: string[];
  suspects: CauseSuspect[];
  remediations: RemediationCandidate[];
  /** Confirmed links, as deploys; a confirmed deploy outside the window is still listed. */
  causes: DeployLike[];
  fixes: DeployLike[];
  /** The deploy linked from a suggestion (the incident's "linked deploy"), which counts as a cause. */
  linkedDeploy: DeployLike | null;
  /** When someone last set the causes to none, and none are set now: "none of these". */
  noneConfirmedAt: number | null;
}

/**
 * The incident page's "Causing change" panel: deploys of its services in the window
 * before the impact (settings: causeWindowHours), ranked with evidence; deploys after it
 * started, as remediation candidates; and what is confirmed. Null for an unknown incident.
 */
export function causingChangeView(db: Db, incidentId: number, asOf: number = Date.now()): CausingChangeView | null {
  const detail = getIncident(db, incidentId);
  if (!detail) return null;
  const { incident: i, curation: c } = detail;
  const { causeWindowHours } = getChangeSettings(db);
  const window = impactWindow({ ...i, ...c });
  const services = [...new Set([...c.services, ...i.sourceServices].map((s) => s.trim()).filter(Boolean))];
  const around = deploysNear(db, services, window.start - causeWindowHours * HOUR_MS, (window.end ?? asOf) + causeWindowHours * HOUR_MS);
  const incident = { impactStart: window.start, impactEnd: window.end, services };
  const links = listIncidentDeployLinks(db, incidentId);
  const of = (kind: IncidentDeployLink["kind"]) => links.filter((l) => l.kind === kind).map((l) => toDeployLike(l.deploy));
  const causes = of("cause");
  const lastSet = lastAuditAt(db, DEPLOY_LINK_AUDIT.cause, "incident", String(incidentId));
  return {
    windowHours: causeWindowHours,
    services,
    suspects: rankCauseSuspects(incident, around, causeWindowHours),
    remediations: remediationCandidates(incident, around, causeWindowHours, asOf),
    causes,
    fixes: of("remediation"),
    linkedDeploy: detail.linkedDeploy ? toDeployLike(detail.linkedDeploy) : null,
    noneConfirmedAt: causes.length === 0 && !detail.linkedDeploy && lastSet != null ? lastSet : null,
  };
}
