/**
 * The dashboard worker thread: computes dashboard models with its own connection and its own
 * in-memory incidents (brought up to date from the change log like the server's), and posts
 * back the compact model, never the incidents.
 */
import "server-only";
import type { IncidentFilter } from "@/db/queries/metric-input";
import { computeDashboardModel } from "../dashboard/model";
import { serveJobs } from "./serve";

export interface DashboardJob {
  filter: IncidentFilter;
  now: number;
}

// Below the request thread: views are served the previous figures meanwhile. (The import
// worker keeps normal priority: it holds the write lock while it writes.)
serveJobs((db, job: DashboardJob) => computeDashboardModel(db, job.filter, job.now), { nice: 10 });
