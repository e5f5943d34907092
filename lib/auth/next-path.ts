/** Header proxy.ts sets to the requested path + query, so server components can build `?next=`. */
export const PATH_HEADER = "x-ds-path";

/** A local path to return to after sign-in; anything else (absolute, protocol-relative) becomes "/". */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2000) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(value)) return "/";
  if (value.startsWith("/sign-in") || value.startsWith("/setup")) return "/";
  return value;
}
