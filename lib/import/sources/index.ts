import type { ImportFormat } from "../types";
import { canonicalMapping } from "./canonical";
import { incidentioApiMapping, incidentioCsvMapping } from "./incidentio";
import { jiraApiMapping, jiraCsvMapping } from "./jira";
import { opsgenieMapping } from "./opsgenie";
import { pagerdutyAnalyticsMapping, pagerdutyApiMapping, pagerdutyCsvMapping } from "./pagerduty";
import { statuspageMapping } from "./statuspage";
import type { VendorMapping } from "./vendor";

/**
 * Built-in sources, in detection order (most specific first; canonical last). A format may
 * have several variants, one per way the tool writes its incidents (API JSON, CSV).
 */
export const SOURCE_MAPPINGS: readonly VendorMapping[] = [
  statuspageMapping,
  jiraCsvMapping,
  jiraApiMapping,
  pagerdutyAnalyticsMapping,
  pagerdutyApiMapping,
  pagerdutyCsvMapping,
  incidentioApiMapping,
  incidentioCsvMapping,
  opsgenieMapping,
  canonicalMapping,
];

type Container = "csv" | "json";

/** Canonical rows come as CSV, JSON or NDJSON; every other source in one container. */
const readsFrom = (m: VendorMapping, container: Container) => m.format === "canonical" || m.container === container;

/** The built-in source whose headers (CSV) or keys (JSON objects) these are, or null when none fits. */
export function detectMapping(keys: readonly string[], container: Container): VendorMapping | null {
  return SOURCE_MAPPINGS.find((m) => readsFrom(m, container) && m.detect(keys)) ?? null;
}

/**
 * The variant of `format` for this container: the one these keys fit, else its first
 * variant in that container; null when the format is never written that way (Opsgenie as CSV).
 */
export function mappingFor(format: Exclude<ImportFormat, "generic">, container: Container = "csv", keys: readonly string[] = []): VendorMapping | null {
  const variants = SOURCE_MAPPINGS.filter((m) => m.format === format && readsFrom(m, container));
  return variants.find((m) => m.detect(keys)) ?? variants[0] ?? null;
}

/** The built-in format whose headers/keys these are, or `generic` when none fits. */
export function detectFormat(keys: readonly string[], container: Container = "csv"): ImportFormat {
  return detectMapping(keys, container)?.format ?? "generic";
}

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  canonical: canonicalMapping.label,
  statuspage: statuspageMapping.label,
  pagerduty: "PagerDuty (REST API, Analytics API or CSV)",
  incidentio: "incident.io (API v2 or CSV export)",
  jira: "Jira / Jira Service Management (CSV or REST search)",
  opsgenie: opsgenieMapping.label,
  generic: "Other CSV (column mapping)",
};
