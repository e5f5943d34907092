/**
 * The Content-Security-Policy. Pages get a fresh nonce per request (set by proxy.ts): Next
 * reads it from the request's copy of the header and puts it on every script it emits, so
 * scripts need no 'unsafe-inline' and an injected <script> without the nonce does not run.
 * 'strict-dynamic' lets those scripts load the chunks they need. Styles keep 'unsafe-inline':
 * React and Recharts set style attributes, which a nonce cannot cover (and a nonce in
 * style-src would make browsers ignore 'unsafe-inline'). Route handlers (JSON, CSV, PDF)
 * render no HTML and keep the static policy from next.config.ts.
 */

/** Every directive but script-src, which is what differs between pages and route handlers. */
const OTHER_DIRECTIVES = [
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** One policy around the given script sources; React needs eval only in development, for its debugging stacks. */
function policy(scriptSources: string): string {
  // NODE_ENV is Next's own (inlined at build time), so it is read raw, not through lib/env.ts.
  const devEval = process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : "";
  return ["default-src 'self'", `script-src ${scriptSources}${devEval}`, ...OTHER_DIRECTIVES].join("; ");
}

/** For pages: scripts only with this request's nonce. */
export function pageContentSecurityPolicy(nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error("a CSP nonce must be at least 16 base64 characters");
  return policy(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
}

/** For responses that are not pages (route handlers): no inline script at all. */
export function staticContentSecurityPolicy(): string {
  return policy("'self'");
}

/** 128 random bits, base64: unguessable, and fresh for every request. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
