/**
 * The one body limit the environment sets. Apart from lib/api/body-limits.ts so that file
 * stays free of lib/env: client components (the projects form) import its constants, and
 * nothing that reads the environment belongs in a browser bundle.
 */
import { env } from "@/lib/env";

export const DEFAULT_DEPLOYS_MAX_BYTES = 20 * 1024 * 1024;

/** The POST /api/deploys body limit: env DEPLOYS_MAX_BYTES, else 20 MB. */
export function resolveDeploysMaxBytes(): number {
  return env("DEPLOYS_MAX_BYTES") ?? DEFAULT_DEPLOYS_MAX_BYTES;
}
