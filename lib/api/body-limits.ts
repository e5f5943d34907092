/**
 * Request body limits that live outside the import's own (lib/import/input.ts), kept in
 * one place because next.config.ts, proxy.ts and the route handlers must agree on them.
 * README's configuration table documents each one.
 *
 * Constants only, importing nothing: next.config.ts loads this file before the app's path
 * aliases exist, and a client component (the projects form) bundles it. The limit the
 * environment sets is in deploys-limit.ts.
 */

/**
 * Next buffers the body of every request the proxy (proxy.ts) sees, and past this size
 * passes on only the first part, silently (experimental.proxyClientMaxBodySize). Uploads
 * therefore never go through the proxy; this is the size that still may.
 */
export const PROXY_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** The largest projects file the projects import (a server action) accepts. */
export const PROJECT_FILE_MAX_BYTES = 1024 * 1024;

/**
 * Server actions' body limit (experimental.serverActions.bodySizeLimit): a projects file
 * (1 MB) plus its form encoding. Kept below PROXY_BODY_LIMIT_BYTES, so an action reading a
 * body the proxy cut short is impossible: Next refuses the body first.
 */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** The Content-Length a request announces, or null when it has none (chunked) or a malformed one. */
export function declaredLength(headers: Headers): number | null {
  const raw = headers.get("content-length");
  if (raw == null || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw.trim());
}
