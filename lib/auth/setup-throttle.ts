/** Wrong setup codes allowed per client address, and from everywhere together, per window. */
export const SETUP_CODE_LIMITS = { perIp: 5, total: 30, windowMs: 15 * 60 * 1000 } as const;

/**
 * Whether another setup code may be tried: 5 wrong codes from one address, or 30 from all
 * addresses together, within 15 minutes stop further tries until the window passes. With a
 * 60-bit code this is belt and braces; it also keeps a stranger from filling the audit trail.
 */
export function setupCodeAllowed(failures: { fromIp: number; total: number }): boolean {
  return failures.fromIp < SETUP_CODE_LIMITS.perIp && failures.total < SETUP_CODE_LIMITS.total;
}
