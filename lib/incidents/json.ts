/**
 * Incidents as the JSON API shows them: camelCase, instants as ISO-8601 (UTC `Z`),
 * the same field names PATCH takes.
 */
import type { CurationValues } from "@/lib/validation/curation";

export function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}

/** Curated values with instants as ISO strings. */
export function curationJson<T extends CurationValues>(c: T): Omit<T, "impactStart" | "impactEnd" | "detectedAt" | "mitigatedAt"> & Record<"impactStart" | "impactEnd" | "detectedAt" | "mitigatedAt", string | null> {
  return { ...c, impactStart: iso(c.impactStart), impactEnd: iso(c.impactEnd), detectedAt: iso(c.detectedAt), mitigatedAt: iso(c.mitigatedAt) };
}
