/**
 * Suspects for an incident's causing change, and candidates for its remediation: the
 * deploys of its services around the impact, ranked, each with the evidence a person
 * weighs before confirming one. Pure: deploys in, ranked lists out.
 */
import { HOUR_MS } from "@/lib/metric/intervals";
import type { DeployLike } from "./deploys";

const MINUTE_MS = 60_000;

export interface CauseSuspect {
  deploy: DeployLike;
  /** Minutes between the deploy finishing and the impact starting (0 = same minute). */
  minutesBefore: number;
  /** Higher is more likely; only the order is meaningful. */
  score: number;
  /** Short reasons, most telling first. */
  evidence: string[];
}

export interface RemediationCandidate {
  deploy: DeployLike;
  /** Minutes after the impact started. */
  minutesAfter: number;
  evidence: string[];
}

export interface CauseWindow {
  /** The impact start (epoch ms). */
  impactStart: number;
  /** The impact end, or null while ongoing. */
  impactEnd: number | null;
  services: readonly string[];
}

const norm = (s: string) => s.trim().toLowerCase();

function describeGap(minutes: number): string {
  if (minutes < 1) return "Finished as the impact started";
  if (minutes < 120) return `Finished ${minutes} min before the impact started`;
  return `Finished ${Math.round(minutes / 60)} h before the impact started`;
}

/**
 * Deploys to the incident's services (case-insensitive) that finished in
 * [impactStart − windowHours, impactStart], rollbacks left out (a rollback ends an
 * incident, it does not start one). Ranked: a deploy later rolled back or marked failed
 * first, then the nearest to the impact; ties by id.
 */
export function rankCauseSuspects(incident: CauseWindow, deploys: readonly DeployLike[], windowHours: number): CauseSuspect[] {
  const services = new Set(incident.services.map(norm));
  const from = incident.impactStart - windowHours * HOUR_MS;
  const rolledBackServices = new Set(
    deploys.filter((d) => d.isRollback && d.finishedAt >= incident.impactStart && services.has(norm(d.service))).map((d) => norm(d.service)),
  );
  const suspects: CauseSuspect[] = [];
  for (const deploy of deploys) {
    if (deploy.isRollback || !services.has(norm(deploy.service))) continue;
    if (deploy.finishedAt < from || deploy.finishedAt > incident.impactStart) continue;
    const minutesBefore = Math.round((incident.impactStart - deploy.finishedAt) / MINUTE_MS);
    const evidence = [describeGap(minutesBefore)];
    // Nearness decays over hours; an outcome the deploy tool recorded weighs more.
    let score = 1 / (1 + minutesBefore / 60);
    if (deploy.outcome === "rolled_back" || deploy.outcome === "failed") {
      score += 2;
      evidence.push(`the deploy tool recorded it as ${deploy.outcome === "rolled_back" ? "rolled back" : "failed"}`);
    }
    suspects.push({ deploy, minutesBefore, score, evidence });
  }
  suspects.sort((a, b) => b.score - a.score || a.deploy.id - b.deploy.id);
  // Only the latest deploy of a service before a rollback of it is what the rollback undid.
  const latestPerService = new Map<string, CauseSuspect>();
  for (const s of suspects) {
    const key = norm(s.deploy.service);
    const seen = latestPerService.get(key);
    if (!seen || s.deploy.finishedAt > seen.deploy.finishedAt) latestPerService.set(key, s);
  }
  for (const [service, s] of latestPerService) {
    if (rolledBackServices.has(service)) s.evidence.push(`${s.deploy.service} was rolled back after the impact started`);
  }
  return suspects;
}

/**
 * Deploys to the incident's services that finished after the impact started and no later
 * than `windowHours` after it ended (or after now while ongoing): rollbacks first, then in
 * time order. What a person marks as the incident's remediation.
 */
export function remediationCandidates(incident: CauseWindow, deploys: readonly DeployLike[], windowHours: number, asOf: number): RemediationCandidate[] {
  const services = new Set(incident.services.map(norm));
  const until = (incident.impactEnd ?? asOf) + windowHours * HOUR_MS;
  return deploys
    .filter((d) => services.has(norm(d.service)) && d.finishedAt > incident.impactStart && d.finishedAt <= until)
    .sort((a, b) => Number(b.isRollback) - Number(a.isRollback) || a.finishedAt - b.finishedAt || a.id - b.id)
    .map((deploy) => {
      const minutesAfter = Math.round((deploy.finishedAt - incident.impactStart) / MINUTE_MS);
      const what = `${deploy.service}${deploy.version ? ` ${deploy.version}` : ""}`;
      const evidence = [`${deploy.isRollback ? "Rollback of" : "Deploy of"} ${what} ${minutesAfter} min after the impact started`];
      if (incident.impactEnd != null && Math.abs(deploy.finishedAt - incident.impactEnd) <= 15 * MINUTE_MS) evidence.push("within 15 min of the impact ending");
      return { deploy, minutesAfter, evidence };
    });
}
