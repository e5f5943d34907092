import { createHash } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  auditLog,
  deployEvents,
  deploySystems,
  importPresets,
  incidentCuration,
  incidentDeployLinks,
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
    /** External ids of the deploy confirmed as its cause and of its rollback or fix, if any. */
    causeDeploy?: string | null;
    fixDeploy?: string | null;
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

    const incidentIds: number[] = [];
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
      incidentIds.push(row.id);
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
    // Confirmed causing and remediation deploys (the change figures' links), by external id.
    const deployIds = new Map(tx.select({ id: deployEvents.id, externalId: deployEvents.externalId }).from(deployEvents).where(eq(deployEvents.isDemo, true)).all().map((d) => [d.externalId, d.id]));
    const links: (typeof incidentDeployLinks.$inferInsert)[] = [];
    for (const [k, i] of data.incidents.entries()) {
      const incidentId = incidentIds[k];
      const at = (i.resolvedAt ?? i.startedAt) + 86_400_000;
      const cause = i.causeDeploy ? deployIds.get(i.causeDeploy) : undefined;
      const fix = i.fixDeploy ? deployIds.get(i.fixDeploy) : undefined;
      if (cause) links.push({ incidentId, deployId: cause, kind: "cause", createdAt: at, createdBy: DEMO_ACTOR });
      if (fix) links.push({ incidentId, deployId: fix, kind: "remediation", createdAt: at, createdBy: DEMO_ACTOR });
    }
    for (let k = 0; k < links.length; k += 500) tx.insert(incidentDeployLinks).values(links.slice(k, k + 500)).run();
    tx.insert(auditLog).values({ at: now, actorLabel: DEMO_ACTOR, action: "demo.load", detail: { incidents: data.incidents.length } }).run();
    return { incidents: data.incidents.length, deploys: data.deploys.length, projects: data.projects.length };
  });
}

/** What removing the demo deleted, table by table. */
export interface DemoRemoval {
  incidents: number;
  projects: number;
  deploys: number;
  targets: number;
  /** Closed quarters (publications included) whose frozen figure counted a demo incident. */
  closures: number;
  narratives: number;
  presets: number;
  services: number;
  deploySystems: number;
}

// Rows the demo made carry a marker: is_demo on incidents, projects and deploy events;
// created_by = DEMO_ACTOR on targets (and presets, should the demo ever save one). A closure or
// publication is made by a person, but over the demo's figures: one whose frozen contributions
// name a demo incident is the demo's too (its figure, and the report frozen with it, describe
// data that is about to vanish). Catalogue entries go when only demo incidents and deploys
// named them.
const DEMO_CLOSURES_SQL = `SELECT DISTINCT qc.id AS id, qc.quarter AS quarter FROM quarter_closures qc, json_each(qc.contributions) c
  WHERE json_extract(c.value, '$.incidentId') IN (SELECT id FROM incidents WHERE is_demo = 1)`;
const NAMES_USED_SQL = (demo: 0 | 1) => `SELECT DISTINCT lower(v) AS v FROM (
    SELECT s.value AS v FROM incidents i JOIN incident_curation c ON c.incident_id = i.id, json_each(COALESCE(c.services, '[]')) s WHERE i.is_demo = ${demo}
    UNION ALL SELECT s.value FROM incidents i, json_each(COALESCE(i.source_services, '[]')) s WHERE i.is_demo = ${demo}
    UNION ALL SELECT c.deploy_system FROM incidents i JOIN incident_curation c ON c.incident_id = i.id WHERE i.is_demo = ${demo} AND c.deploy_system IS NOT NULL
    UNION ALL SELECT service FROM deploy_events WHERE is_demo = ${demo}
    UNION ALL SELECT deploy_system FROM deploy_events WHERE is_demo = ${demo} AND deploy_system IS NOT NULL)`;

/**
 * Removes everything the demo made and nothing else: its incidents (with their tags and
 * attributions), projects, deploy events, targets and presets; closed quarters and
 * publications whose figure counted a demo incident (with the narrative of a quarter left with
 * no closure); catalogue entries only the demo named. When no real incident remains, every
 * closure and narrative goes too, since they can only have been computed over demo data.
 * Real incidents, their curation, and everything people made over them stay untouched.
 */
export function removeDemoData(
  db: Db,
  opts: { demoSettings?: DemoDatasetInput["settings"]; actor?: { id?: string | null; label: string }; now?: number } = {},
): DemoRemoval {
  const { demoSettings, actor, now = Date.now() } = opts;
  return db.transaction((tx) => {
    const names = (demo: 0 | 1) => new Set(tx.all<{ v: string | null }>(sql.raw(NAMES_USED_SQL(demo))).flatMap((r) => (r.v == null ? [] : [r.v])));
    const demoNames = names(1);
    const realNames = names(0);
    const demoClosures = tx.all<{ id: number; quarter: string }>(sql.raw(DEMO_CLOSURES_SQL));

    const out: DemoRemoval = { incidents: 0, projects: 0, deploys: 0, targets: 0, closures: 0, narratives: 0, presets: 0, services: 0, deploySystems: 0 };
    out.closures = demoClosures.length ? tx.delete(quarterClosures).where(inArray(quarterClosures.id, demoClosures.map((c) => c.id))).run().changes : 0;
    out.incidents = tx.delete(incidents).where(eq(incidents.isDemo, true)).run().changes;
    out.projects = tx.delete(projects).where(eq(projects.isDemo, true)).run().changes;
    out.deploys = tx.delete(deployEvents).where(eq(deployEvents.isDemo, true)).run().changes;
    out.targets = tx.delete(quarterTargets).where(eq(quarterTargets.createdBy, DEMO_ACTOR)).run().changes;
    out.presets = tx.delete(importPresets).where(eq(importPresets.createdBy, DEMO_ACTOR)).run().changes;
    const remaining = tx.select({ n: sql<number>`count(*)` }).from(incidents).get()?.n ?? 0;
    if (remaining === 0) {
      out.closures += tx.delete(quarterClosures).run().changes;
      out.narratives = tx.delete(reportNarratives).run().changes;
    } else {
      const quarters = [...new Set(demoClosures.map((c) => c.quarter))];
      const stillClosed = new Set(quarters.length ? tx.select({ q: quarterClosures.quarter }).from(quarterClosures).where(inArray(quarterClosures.quarter, quarters)).all().map((r) => r.q) : []);
      const orphaned = quarters.filter((q) => !stillClosed.has(q));
      if (orphaned.length) out.narratives = tx.delete(reportNarratives).where(inArray(reportNarratives.quarter, orphaned)).run().changes;
    }
    const onlyDemo = (name: string) => demoNames.has(name.toLowerCase()) && !realNames.has(name.toLowerCase());
    const svc = tx.select({ id: services.id, name: services.name }).from(services).all().filter((r) => onlyDemo(r.name));
    if (svc.length) out.services = tx.delete(services).where(inArray(services.id, svc.map((r) => r.id))).run().changes;
    const ds = tx.select({ id: deploySystems.id, name: deploySystems.name }).from(deploySystems).all().filter((r) => onlyDemo(r.name));
    if (ds.length) out.deploySystems = tx.delete(deploySystems).where(inArray(deploySystems.id, ds.map((r) => r.id))).run().changes;

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
    tx.insert(auditLog).values({ at: now, actorId: actor?.id ?? null, actorLabel: actor?.label ?? "system", action: "demo.remove", detail: { ...out } }).run();
    return out;
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
