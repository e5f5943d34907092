import type { SourceRecord } from "./mapping";
import { hasAll } from "./mapping";
import { isPlainObject, textAt } from "./paths";
import type { VendorMapping } from "./vendor";

/**
 * incident.io, from its API v2 (`GET /v2/incidents` → `{"incidents": [...]}`) and its CSV
 * export. Both carry the same things: `severity` (`severity.name` in the API),
 * `incident_status`, the incident's timestamps (`incident_timestamp_values` in the API,
 * one column each in the CSV) and custom fields (`custom_field_entries`, one column
 * each). The tool's own impact timestamps ("Impact started at", and "Impact ended at"
 * where an organisation adds one) become the impact window.
 */

/** Timestamp names (incident.io's defaults and common variants) → canonical column. */
const TIMESTAMPS = {
  started_at: ["Reported at", "Reported"],
  resolved_at: ["Resolved at", "Resolved", "Closed at"],
  impact_start: ["Impact started at", "Impact started", "Impact start"],
  impact_end: ["Impact ended at", "Impact ended", "Impact end"],
  detected_at: ["Identified at", "Identified"],
  mitigated_at: ["Fixed at", "Fixed", "Mitigated at"],
} as const;

/** Custom fields (by name) that feed canonical list columns. */
const SERVICES = ["Affected services", "Affected Services", "Services", "Affected systems"];
const FEATURES = ["Affected features", "Affected Features", "Affected products", "Features"];

/** One custom field value, whichever kind it is (option, catalog entry, text, number, link). */
function customFieldValue(v: unknown): string | undefined {
  if (!isPlainObject(v)) return undefined;
  return textAt(v, "value_option.value") ?? textAt(v, "value_catalog_entry.name") ?? textAt(v, "value_text") ?? textAt(v, "value_numeric") ?? textAt(v, "value_link");
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Fields of the API object kept as they are (scalars); the rest is read by hand below or left out. */
const SCALARS = ["id", "reference", "name", "summary", "mode", "visibility", "permalink", "postmortem_document_url", "call_url", "slack_channel_name", "created_at", "reported_at"];

function prepareIncident(item: Record<string, unknown>): SourceRecord {
  const rec: SourceRecord = {};
  for (const k of SCALARS) {
    const t = textAt(item, k);
    if (t !== undefined) rec[k] = t;
  }
  const severity = textAt(item, "severity.name");
  if (severity) rec.severity = severity;
  const category = textAt(item, "incident_status.category");
  if (category) rec.status = category;
  const statusName = textAt(item, "incident_status.name");
  if (statusName) rec["Status"] = statusName;
  const type = textAt(item, "incident_type.name");
  if (type) rec["Incident type"] = type;
  for (const tv of list(item.incident_timestamp_values)) {
    const name = textAt(tv, "incident_timestamp.name");
    const value = textAt(tv, "value.value");
    if (name && value) rec[name] = value;
  }
  for (const entry of list(item.custom_field_entries)) {
    const name = textAt(entry, "custom_field.name");
    if (!name) continue;
    const values = list(isPlainObject(entry) ? entry.values : undefined)
      .map(customFieldValue)
      .filter((v): v is string => !!v);
    if (values.length) rec[name] = values;
  }
  for (const a of list(item.incident_role_assignments)) {
    const role = textAt(a, "role.name");
    const who = textAt(a, "assignee.name");
    if (role && who) rec[role] = who;
  }
  const issue = textAt(item, "external_issue_reference.issue_permalink");
  if (issue) rec["External issue"] = issue;
  for (const d of list(item.duration_metrics)) {
    const name = textAt(d, "duration_metric.name");
    const seconds = textAt(d, "value_seconds");
    if (name && seconds) rec[`${name} (seconds)`] = seconds;
  }
  return rec;
}

const first = (...names: (readonly string[])[]) => names.flat();

export const incidentioApiMapping: VendorMapping = {
  format: "incidentio",
  label: "incident.io API v2 incidents (JSON)",
  defaultSource: "incident.io",
  container: "json",
  fields: {
    id: "id",
    title: "name",
    description: "summary",
    severity: "severity",
    status: "status",
    // The incident's "Reported at" timestamp, else the API's reported_at, else when it was created.
    started_at: first(TIMESTAMPS.started_at, ["reported_at", "created_at"]),
    resolved_at: [...TIMESTAMPS.resolved_at],
    impact_start: [...TIMESTAMPS.impact_start],
    impact_end: [...TIMESTAMPS.impact_end],
    detected_at: [...TIMESTAMPS.detected_at],
    mitigated_at: [...TIMESTAMPS.mitigated_at],
    services: SERVICES,
    affected_features: FEATURES,
    url: "permalink",
  },
  ignore: ["created_at", "reported_at"],
  prepare: (item) => prepareIncident(item),
  detect: (keys) => hasAll(keys, ["id", "reference", "name"]) && (keys.includes("incident_status") || keys.includes("severity") || keys.includes("permalink")),
};

/**
 * incident.io's CSV export, with its API field names (`id`, `reference`, `name`,
 * `summary`, `severity`, `incident_status`, `created_at`, `permalink`...) and one column
 * per custom field and per timestamp, named as configured in incident.io (the defaults
 * below; any other becomes a custom field).
 */
export const incidentioCsvMapping: VendorMapping = {
  format: "incidentio",
  label: "incident.io incident export (CSV)",
  defaultSource: "incident.io",
  container: "csv",
  fields: {
    id: "id",
    title: "name",
    description: "summary",
    severity: ["severity", "severity.name"],
    status: ["incident_status", "status", "incident_status.name"],
    started_at: first(TIMESTAMPS.started_at, ["created_at"]),
    resolved_at: [...TIMESTAMPS.resolved_at],
    impact_start: [...TIMESTAMPS.impact_start],
    impact_end: [...TIMESTAMPS.impact_end],
    detected_at: first(TIMESTAMPS.detected_at, ["Reported at"]),
    mitigated_at: [...TIMESTAMPS.mitigated_at],
    services: SERVICES,
    affected_features: FEATURES,
    url: "permalink",
  },
  listSeparator: /\s*[,;]\s*/,
  ignore: ["updated_at"],
  detect: (keys) => hasAll(keys, ["id", "reference", "name"]) && (keys.includes("permalink") || keys.includes("incident_status") || keys.includes("severity")),
};
