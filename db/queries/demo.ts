import { createHash } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  auditLog,
  deployEvents,
  deploySystems,
  incidentCuration,
  incidentProjects,
  incidents,
  projects,
  quarterClosures,
  quarterTargets,
  reportNarratives,
  services,
  settings,
} from "../schema";

export const DEMO_SOURCE = "demo-pagerduty";
export const DEMO_ACTOR = "demo data";

/** The shape the demo generator (scripts/demo) produces; kept structural so db/ does not import scripts/. */
export interface DemoDatasetInput {
  settings: { fiscalYearStartMonth: number; timezone: string; fiscalYearLabel: "start" | "end"; maturityDays: number };
  services: readonly { name: string; ownerTeam: string }[];
  deploySystems: readonly { name: string; description: string }[];
  incidents: {
    sourceId: string;
    title: string;
    description: string;
    severity: string;
    status: string;
    startedAt: number;
    resolvedAt: number | null;
    url: string;
    sourceServices: string[];
    trigger: "change" | "other" | "unknown";
    changeType: string | null;
    deploySystem: string | null;
    services: string[];
    affectedFeatures: string[];
    customerImpactPct: number | null;
    impactStart: number | null;
    impactEnd: number | null;
    detectedAt: number | null;
    mitigatedAt: number | null;
    remediation: string | null;
    fleetExposurePct: number | null;
    analysisStatus: "pending" | "final";
    projects: string[];
    reviewed: boolean;
  }[];
  projects: (Omit<typeof projects.$inferInsert, "createdAt" | "updatedAt" | "isDemo" | "id">)[];
  targets: { quarter: string; hours: number; note: string; createdAt: number }[];
  deploys: Omit<typeof deployEvents.$inferInsert, "id" | "createdAt" | "isDemo">[];
}

export function countIncidents(db: Db): number {
  return db.select({ n: sql<number>`count(*)` }).from(incidents).get()?.n ?? 0;
}

export function isDemoDataLoaded(db: Db): boolean {
  return db.select({ demo: settings.demoData }).from(settings).where(eq(settings.id, 1)).get()?.demo ?? false;
}

/** Loads the demo program in one transaction and marks the database as holding demo data. */
export function loadDemoData(db: Db, data: DemoDatasetInput, now: number = Date.now()): { incidents: number; deploys: number; projects: number } {
  return db.transaction((tx) => {
    tx.insert(settings)
      .values({ id: 1, ...data.settings, demoData: true, updatedAt: now, updatedBy: DEMO_ACTOR })
      .onConflictDoUpdate({ target: settings.id, set: { ...data.settings, demoData: true, updatedAt: now, updatedBy: DEMO_ACTOR } })
      .run();
    for (const s of data.services) tx.insert(services).values({ name: s.name, ownerTeam: s.ownerTeam }).onConflictDoNothing().run();
    for (const d of data.deploySystems) tx.insert(deploySystems).values({ name: d.name, description: d.description }).onConflictDoNothing().run();

    const projectIds = new Map<string, number>();
    for (const p of data.projects) {
      const row = tx.insert(projects).values({ ...p, isDemo: true, createdAt: now, updatedAt: now }).returning({ id: projects.id }).get();
      projectIds.set(p.slug, row.id);
    }

    for (const i of data.incidents) {
      const source = {
        source: DEMO_SOURCE,
        sourceId: i.sourceId,
        title: i.title,
        description: i.description,
        severity: i.severity,
        status: i.status,
        startedAt: i.startedAt,
        resolvedAt: i.resolvedAt,
        url: i.url,
        sourceServices: i.sourceServices,
        customFields: {},
      };
      const hash = createHash("sha256").update(JSON.stringify(source)).digest("hex");
      const row = tx
        .insert(incidents)
        .values({ ...source, sourceHash: hash, isDemo: true, createdAt: i.startedAt, updatedAt: i.startedAt })
        .returning({ id: incidents.id })
        .get();
      tx.insert(incidentCuration)
        .values({
          incidentId: row.id,
          trigger: i.trigger,
          changeType: i.changeType,
          deploySystem: i.deploySystem,
          services: i.services,
          affectedFeatures: i.affectedFeatures,
          customerImpactPct: i.customerImpactPct,
          impactStart: i.impactStart,
          impactEnd: i.impactEnd,
          detectedAt: i.detectedAt,
          mitigatedAt: i.mitigatedAt,
          remediation: i.remediation,
          fleetExposurePct: i.fleetExposurePct,
          analysisStatus: i.analysisStatus,
          reviewedAt: i.reviewed ? (i.resolvedAt ?? i.startedAt) + 7 * 86_400_000 : null,
          reviewedBy: i.reviewed ? DEMO_ACTOR : null,
          updatedAt: i.resolvedAt ?? i.startedAt,
          updatedBy: DEMO_ACTOR,
        })
        .run();
      for (const slug of i.projects) {
        const projectId = projectIds.get(slug);
        if (projectId) tx.insert(incidentProjects).values({ incidentId: row.id, projectId, createdAt: i.startedAt, createdBy: DEMO_ACTOR }).run();
      }
    }

    for (const t of data.targets)
      tx.insert(quarterTargets).values({ quarter: t.quarter, hours: t.hours, note: t.note, createdAt: t.createdAt, createdBy: DEMO_ACTOR }).run();

    const insertDeploy = tx.insert(deployEvents);
    for (let k = 0; k < data.deploys.length; k += 500) {
      insertDeploy.values(data.deploys.slice(k, k + 500).map((d) => ({ ...d, isDemo: true, createdAt: d.finishedAt }))).run();
    }
    tx.insert(auditLog).values({ at: now, actorLabel: DEMO_ACTOR, action: "demo.load", detail: { incidents: data.incidents.length } }).run();
    return { incidents: data.incidents.length, deploys: data.deploys.length, projects: data.projects.length };
  });
}

/**
 * Removes everything the demo loaded: its incidents (with their tags and attributions),
 * projects, deploy events, targets and catalogue entries. Closed quarters and report
 * narratives go too when no real incident remains, since they were computed over demo data.
 */
export function removeDemoData(
  db: Db,
  opts: { demoSettings?: DemoDatasetInput["settings"]; actor?: { id?: string | null; label: string }; now?: number } = {},
): { incidents: number } {
  const { demoSettings, actor, now = Date.now() } = opts;
  return db.transaction((tx) => {
    const removed = tx.delete(incidents).where(eq(incidents.isDemo, true)).run().changes;
    tx.delete(projects).where(eq(projects.isDemo, true)).run();
    tx.delete(deployEvents).where(eq(deployEvents.isDemo, true)).run();
    tx.delete(quarterTargets).where(eq(quarterTargets.createdBy, DEMO_ACTOR)).run();
    const remaining = tx.select({ n: sql<number>`count(*)` }).from(incidents).get()?.n ?? 0;
    if (remaining === 0) {
      tx.delete(quarterClosures).run();
      tx.delete(reportNarratives).run();
      tx.delete(services).run();
      tx.delete(deploySystems).run();
    }
    const current = tx.select().from(settings).where(eq(settings.id, 1)).get();
    const untouched =
      demoSettings &&
      current &&
      current.timezone === demoSettings.timezone &&
      current.fiscalYearStartMonth === demoSettings.fiscalYearStartMonth &&
      current.fiscalYearLabel === demoSettings.fiscalYearLabel;
    tx.update(settings)
      .set({
        demoData: false,
        updatedAt: now,
        ...(untouched ? { timezone: "UTC", fiscalYearStartMonth: 1, fiscalYearLabel: "end" as const, maturityDays: 30 } : {}),
      })
      .where(eq(settings.id, 1))
      .run();
    tx.insert(auditLog).values({ at: now, actorId: actor?.id ?? null, actorLabel: actor?.label ?? "system", action: "demo.remove", detail: { incidents: removed } }).run();
    return { incidents: removed };
  });
}

/**
 * Demo data loads by itself only into a database that has never had it: once it was
 * loaded or removed, an empty database stays empty.
 */
export function shouldAutoLoadDemo(db: Db): boolean {
  if (countIncidents(db) > 0) return false;
  const seen = db.select({ n: sql<number>`count(*)` }).from(auditLog).where(inArray(auditLog.action, ["demo.load", "demo.remove"])).get();
  return (seen?.n ?? 0) === 0;
}

/** Names of the demo projects, for tests and the banner. */
export function demoProjectSlugs(db: Db): string[] {
  return db.select({ slug: projects.slug }).from(projects).where(eq(projects.isDemo, true)).all().map((r) => r.slug);
}
