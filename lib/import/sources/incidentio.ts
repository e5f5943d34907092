import type { SourceMapping } from "./mapping";
import { hasAll } from "./mapping";

/**
 * incident.io's incident export, with its API field names (`id`, `reference`,
 * `name`, `summary`, `severity`, `incident_status`, `created_at`, `permalink`...)
 * and one column per custom field and per custom timestamp, named as configured
 * in incident.io (the defaults below; any other becomes a custom field).
 */
export const incidentioMapping: SourceMapping = {
  format: "incidentio",
  label: "incident.io incident export",
  defaultSource: "incident.io",
  container: "csv",
  fields: {
    id: "id",
    title: "name",
    description: "summary",
    severity: ["severity", "severity.name"],
    status: ["incident_status", "status", "incident_status.name"],
    started_at: ["Reported at", "created_at"],
    resolved_at: ["Resolved at", "Closed at"],
    impact_start: ["Impact started at", "Impact started"],
    impact_end: ["Impact ended at", "Impact ended"],
    detected_at: ["Identified at", "Reported at"],
    mitigated_at: ["Fixed at", "Mitigated at"],
    services: ["Affected services", "Affected Services"],
    affected_features: ["Affected features", "Affected Features"],
    url: "permalink",
  },
  listSeparator: /\s*[,;]\s*/,
  ignore: ["updated_at"],
  detect: (keys) => hasAll(keys, ["id", "reference", "name"]) && (keys.includes("permalink") || keys.includes("incident_status") || keys.includes("severity")),
};
