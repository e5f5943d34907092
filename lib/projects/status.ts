/**
 * A project's statuses and their labels. Apart from lib/validation/project.ts, which reads the
 * environment's bounds on time, so the project form (a client component) bundles only these.
 */
export const PROJECT_STATUSES = ["planned", "in_progress", "delivered", "curtailed"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_STATUS_LABELS: Record<ProjectStatus, string> = {
  planned: "Planned",
  in_progress: "In progress",
  delivered: "Delivered",
  curtailed: "Curtailed",
};
