import type { SourceMapping } from "./mapping";
import { hasAll } from "./mapping";

/**
 * Jira / Jira Service Management CSV ("Export → CSV (all fields)"). Multi-value
 * fields repeat their column (`Component/s`, `Labels`); custom fields appear as
 * `Custom field (Name)`. Dates are in the exporting user's locale and zone, e.g.
 * `11/May/24 03:26 PM`, so the user must state the time zone.
 */
export const jiraMapping: SourceMapping = {
  format: "jira",
  label: "Jira / Jira Service Management CSV",
  defaultSource: "jira",
  container: "csv",
  fields: {
    id: "Issue key",
    title: "Summary",
    description: "Description",
    severity: ["Custom field (Severity)", "Custom field (Incident severity)", "Priority"],
    status: "Status",
    started_at: ["Custom field (Incident start)", "Custom field (Start date)", "Created"],
    resolved_at: ["Custom field (Incident end)", "Resolved"],
    impact_start: ["Custom field (Impact start)", "Custom field (Impact start time)"],
    impact_end: ["Custom field (Impact end)", "Custom field (Impact end time)"],
    detected_at: ["Custom field (Detected at)"],
    mitigated_at: ["Custom field (Mitigated at)"],
    change_type: ["Custom field (Change type)"],
    customer_impact_pct: ["Custom field (Customer impact %)", "Custom field (Customer impact)"],
    services: ["Component/s", "Custom field (Affected services)"],
    affected_features: ["Custom field (Affected features)"],
  },
  listSeparator: /\s*,\s*/,
  dateFormats: ["dd/MMM/yy hh:mm a", "dd/MMM/yy h:mm a", "dd/MMM/yyyy hh:mm a", "dd/MMM/yyyy h:mm a", "d/MMM/yy h:mm a", "yyyy-MM-dd HH:mm", "dd/MMM/yy"],
  ignore: ["Issue id", "Parent id", "Watchers", "Attachment", "Sprint", "Σ Time Spent", "Σ Original Estimate", "Σ Remaining Estimate"],
  detect: (keys) => hasAll(keys, ["Summary", "Issue key"]),
};
