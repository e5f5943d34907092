import type { SourceRecord } from "./mapping";
import { hasAll } from "./mapping";
import { dropApiPlumbing, flattenRecord, textAt } from "./paths";
import type { VendorMapping } from "./vendor";

/**
 * PagerDuty, as it writes incidents in three places (see tests/fixtures/import/vendors/README.md):
 *
 * - the REST API v2 (`GET /incidents` → `{"incidents": [...]}`): nested references read
 *   by path (`priority.summary`, `service.summary`, `teams.summary`);
 * - the Analytics API's raw incidents (`POST /analytics/raw/incidents` → `{"data": [...],
 *   "time_zone": ...}`): flat, times without an offset in the envelope's `time_zone`;
 * - the CSV downloads, in two header spellings: the classic report (`incident_number`,
 *   `created_on`, `service_name`, ...) and the Analytics export (`Incident ID`, `Created At`, ...).
 *
 * Severity is the priority (P1…P5, or the account's own names such as SEV-1) when the
 * account uses priorities, otherwise the urgency (high/low); the default policy maps both.
 */

/** A custom field saying where a derived value came from, shown on the incident page. */
export const IMPORT_NOTE = "import note";

/**
 * An incident the API lists as `resolved` may lack `resolved_at` (older incidents, some
 * integrations). Read as open it would count for weeks, so the time of its last status
 * change (the change to resolved) stands in, then `updated_at`, and a custom field says so.
 */
function pagerdutyResolvedAt(item: Record<string, unknown>, rec: SourceRecord): void {
  if (textAt(item, "resolved_at")) return;
  if (String(item.status ?? "").toLowerCase() !== "resolved") return;
  for (const field of ["last_status_change_at", "updated_at"]) {
    const t = textAt(item, field);
    if (t) {
      rec.resolved_at = t;
      rec[IMPORT_NOTE] = `resolved without resolved_at: resolved_at taken from ${field}`;
      return;
    }
  }
}

export const pagerdutyApiMapping: VendorMapping = {
  format: "pagerduty",
  label: "PagerDuty REST API incidents (JSON)",
  defaultSource: "pagerduty",
  container: "json",
  fields: {
    id: "id",
    title: ["title", "summary"],
    severity: ["priority.summary", "priority.name", "urgency"],
    status: "status",
    started_at: "created_at",
    resolved_at: "resolved_at",
    detected_at: "created_at",
    services: ["service.summary", "service.name"],
    url: "html_url",
  },
  // `summary` repeats the title with its number; `description` is the title again (deprecated).
  ignore: ["type", "summary", "description", "service.id", "priority.id", "updated_at"],
  prepare(item) {
    const rec = flattenRecord(item, { drop: dropApiPlumbing });
    pagerdutyResolvedAt(item, rec);
    return rec;
  },
  detect: (keys) => hasAll(keys, ["id", "incident_number", "created_at"]) && (keys.includes("html_url") || keys.includes("service") || keys.includes("last_status_change_at")),
};

export const pagerdutyAnalyticsMapping: VendorMapping = {
  format: "pagerduty",
  label: "PagerDuty Analytics raw incidents (JSON)",
  defaultSource: "pagerduty",
  container: "json",
  fields: {
    id: "id",
    title: "description",
    severity: ["priority_name", "urgency"],
    status: "status",
    started_at: "created_at",
    resolved_at: "resolved_at",
    detected_at: "created_at",
    services: "service_name",
  },
  ignore: ["updated_at", "priority_id", "priority_order", "service_id", "team_id", "escalation_policy_id", "incident_type_id"],
  prepare(item) {
    const rec = flattenRecord(item);
    pagerdutyResolvedAt(item, rec);
    return rec;
  },
  // The Analytics API writes local times without an offset and names their zone once, in the envelope.
  timezoneOf: (envelope) => (typeof envelope?.time_zone === "string" && envelope.time_zone.trim() ? envelope.time_zone.trim() : null),
  detect: (keys) => hasAll(keys, ["id", "incident_number", "created_at"]) && (keys.includes("service_name") || keys.includes("seconds_to_resolve") || keys.includes("priority_name")),
};

export const pagerdutyCsvMapping: VendorMapping = {
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
