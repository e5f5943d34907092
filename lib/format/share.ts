/**
 * A 0–1 share as a whole percentage ("42%"), the way every screen, the report, its PDF and
 * summary show one. Pure; safe in client components. `empty` is what a missing share reads.
 */
export function formatShare(share: number | null | undefined, empty = "—"): string {
  if (share == null || !Number.isFinite(share)) return empty;
  return `${Math.round(share * 100)}%`;
}
