import { hasAll } from "./mapping";
import { flattenRecord, textAt } from "./paths";
import { IMPORT_NOTE } from "./pagerduty";
import type { VendorMapping } from "./vendor";

/**
 * Opsgenie's Incident API (`GET /v1/incidents` → `{"data": [...], "paging": ...}`): `message`
 * is the title, `priority` P1…P5 the severity, `impactStartDate`/`impactEndDate` the tool's
 * own impact window where the incident has one. `impactedServices` holds service ids (the
 * API names no service), kept as the services so incidents of one service group together.
 * `extraProperties` become custom fields under their own keys.
 */
export const opsgenieMapping: VendorMapping = {
  format: "opsgenie",
  label: "Opsgenie incidents API (JSON)",
  defaultSource: "opsgenie",
  container: "json",
  fields: {
    id: "id",
    title: "message",
    description: "description",
    severity: "priority",
    status: "status",
    started_at: "createdAt",
    resolved_at: ["impactEndDate", "resolvedAt"],
    impact_start: "impactStartDate",
    impact_end: "impactEndDate",
    detected_at: "createdAt",
    services: "impactedServices",
    url: "url",
  },
  ignore: ["updatedAt", "serviceId", "responders.id", "responders.type"],
  prepare(item) {
    const { extraProperties, ...rest } = item;
    const rec = flattenRecord(rest);
    if (extraProperties && typeof extraProperties === "object" && !Array.isArray(extraProperties)) {
      for (const [k, v] of Object.entries(extraProperties)) if (typeof v === "string" && v.trim() && !(k in rec)) rec[k] = v;
    }
    // A resolved or closed incident without an impact end ended, at the latest, when it was last updated.
    const status = String(item.status ?? "").toLowerCase();
    if (!textAt(item, "impactEndDate") && !textAt(item, "resolvedAt") && (status === "resolved" || status === "closed")) {
      const updated = textAt(item, "updatedAt");
      if (updated) {
        rec.resolvedAt = updated;
        rec[IMPORT_NOTE] = `${status} without impactEndDate: resolved_at taken from updatedAt`;
      }
    }
    return rec;
  },
  detect: (keys) => hasAll(keys, ["id", "tinyId", "message"]) && (keys.includes("priority") || keys.includes("createdAt")),
};
