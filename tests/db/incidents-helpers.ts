import { incidentCuration, incidents, projects } from "@/db/schema";
import type { Db } from "@/db/client";

export const HOUR = 3_600_000;
export const MIN = 60_000;

let seq = 0;

/** Inserts one incident (and its curation row) the way the importer leaves it. Returns the id. */
export function addIncident(
  db: Db,
  over: {
    title?: string;
    description?: string | null;
    severity?: string;
    startedAt: number;
    resolvedAt?: number | null;
    trigger?: "change" | "other" | "unknown";
    services?: string[];
    deploySystem?: string | null;
    changeType?: string | null;
    sourceId?: string;
    reviewedAt?: number | null;
    analysisStatus?: "pending" | "final";
  },
): number {
  seq++;
  const now = over.startedAt;
  const row = db
    .insert(incidents)
    .values({
      source: "test",
      sourceId: over.sourceId ?? `T-${seq}`,
      title: over.title ?? `Incident ${seq}`,
      description: over.description ?? null,
      severity: over.severity ?? "SEV2",
      startedAt: over.startedAt,
      resolvedAt: over.resolvedAt === undefined ? over.startedAt + HOUR : over.resolvedAt,
      sourceServices: over.services ?? ["checkout"],
      sourceHash: `h${seq}`,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: incidents.id })
    .get();
  db.insert(incidentCuration)
    .values({
      incidentId: row.id,
      trigger: over.trigger ?? "unknown",
      services: over.services ?? ["checkout"],
      deploySystem: over.deploySystem ?? null,
      changeType: over.changeType ?? null,
      analysisStatus: over.analysisStatus ?? "final",
      reviewedAt: over.reviewedAt ?? null,
      reviewedBy: over.reviewedAt ? "lead@example.com" : null,
      updatedAt: now,
    })
    .run();
  return row.id;
}

export function addProject(db: Db, slug: string): number {
  return db.insert(projects).values({ slug, name: slug, createdAt: 0, updatedAt: 0 }).returning({ id: projects.id }).get().id;
}
