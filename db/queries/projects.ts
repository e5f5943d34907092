import "server-only";
import { asc } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects } from "@/db/schema";

export type ProjectRow = typeof projects.$inferSelect;

/** What a lag marker needs: a project's delivery date and lag window. */
export interface ProjectDelivery {
  slug: string;
  name: string;
  status: ProjectRow["status"];
  /** Local calendar date `YYYY-MM-DD` in the organisation's time zone, or null when not set. */
  deliveredOn: string | null;
  lagMinMonths: number;
  lagMaxMonths: number;
}

/** Every project with a delivery date, ordered by that date (dashboard lag markers). */
export function listProjectDeliveries(db: Db): ProjectDelivery[] {
  return db
    .select({
      slug: projects.slug,
      name: projects.name,
      status: projects.status,
      deliveredOn: projects.deliveredOn,
      lagMinMonths: projects.lagMinMonths,
      lagMaxMonths: projects.lagMaxMonths,
    })
    .from(projects)
    .orderBy(asc(projects.deliveredOn), asc(projects.slug))
    .all()
    .filter((p) => p.deliveredOn !== null);
}
