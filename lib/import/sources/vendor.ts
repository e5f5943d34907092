import type { SourceMapping, SourceRecord } from "./mapping";

/**
 * A built-in source as a tool really writes it: the mapping table, plus for an API's
 * JSON the step that turns one nested object into a flat record (`prepare`) and what
 * the response's envelope says about every item (`timezoneOf`: the Analytics API's
 * `time_zone`). Several variants may share a format (PagerDuty's REST API, Analytics
 * API and CSV are all `pagerduty`); detection picks the variant.
 */
export interface VendorMapping extends SourceMapping {
  /** One API object → the flat record the field table reads (paths as keys). */
  prepare?: (item: Record<string, unknown>, envelope: Record<string, unknown> | null) => SourceRecord;
  /** The time zone the envelope declares for times written without an offset. */
  timezoneOf?: (envelope: Record<string, unknown> | null) => string | null;
  /**
   * This source's export in another language, told by its header and first row: the
   * message saying why it cannot be read as is (CSV only).
   */
  refuseHeaders?: (headers: readonly string[], firstRow: readonly string[]) => string | null;
}

/** Keys under which an API wraps its list of incidents (`{"incidents": [...]}` is read by upload.ts). */
export const ENVELOPE_KEYS = ["data", "issues"] as const;
