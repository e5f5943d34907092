import type { SourceMapping } from "./mapping";
import { hasAll } from "./mapping";

/**
 * PagerDuty's incident CSV export. Two header spellings are in the wild: the
 * classic report download (`incident_number`, `created_on`, `service_name`, ...)
 * and the Analytics export (`Incident Number`, `Created At`, `Service Name`, ...).
 * PagerDuty writes times with an offset, so no time zone is needed.
 */
export const pagerdutyMapping: SourceMapping = {
  format: "pagerduty",
  label: "PagerDuty incident CSV export",
  defaultSource: "pagerduty",
  container: "csv",
  fields: {
    id: ["id", "Incident ID"],
    title: ["description", "title", "Title", "Description"],
    // Priority (P1…P5) when the account uses priorities, otherwise urgency (high/low).
    severity: ["priority_name", "priority", "Priority", "urgency", "Urgency"],
    status: ["status", "Status"],
    started_at: ["created_on", "Created At", "created_at"],
    resolved_at: ["resolved_on", "Resolved At", "resolved_at"],
    detected_at: ["created_on", "Created At", "created_at"],
    services: ["service_name", "Service Name"],
    url: ["html_url", "URL", "Incident URL"],
  },
  ignore: ["service_id", "escalation_policy_id", "acknowledged_by_user_ids", "assigned_to_user_ids"],
  detect: (keys) =>
    (hasAll(keys, ["id", "incident_number"]) && (keys.includes("created_on") || keys.includes("service_name"))) ||
    hasAll(keys, ["Incident ID", "Incident Number", "Created At"]),
};
