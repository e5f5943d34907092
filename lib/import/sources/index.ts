import type { ImportFormat } from "../types";
import { canonicalMapping } from "./canonical";
import { incidentioMapping } from "./incidentio";
import { jiraMapping } from "./jira";
import type { SourceMapping } from "./mapping";
import { pagerdutyMapping } from "./pagerduty";
import { statuspageMapping } from "./statuspage";

/** Built-in sources, in detection order (most specific first; canonical last). */
export const SOURCE_MAPPINGS: readonly SourceMapping[] = [statuspageMapping, jiraMapping, pagerdutyMapping, incidentioMapping, canonicalMapping];

export function mappingFor(format: Exclude<ImportFormat, "generic">): SourceMapping {
  return SOURCE_MAPPINGS.find((m) => m.format === format)!;
}

/** The built-in format whose headers/keys these are, or `generic` when none fits. */
export function detectFormat(keys: readonly string[]): ImportFormat {
  return SOURCE_MAPPINGS.find((m) => m.detect(keys))?.format ?? "generic";
}

export const FORMAT_LABELS: Record<ImportFormat, string> = {
  canonical: canonicalMapping.label,
  statuspage: statuspageMapping.label,
  pagerduty: pagerdutyMapping.label,
  incidentio: incidentioMapping.label,
  jira: jiraMapping.label,
  generic: "Other CSV (column mapping)",
};
