/**
 * The Content-Security-Policy. Pages get a fresh nonce per request (set by proxy.ts): Next
 * reads it from the request's copy of the header and puts it on every script it emits, so
 * scripts need no 'unsafe-inline' and an injected <script> without the nonce does not run.
 * 'strict-dynamic' lets those scripts load the chunks they need. Styles keep 'unsafe-inline':
 * React and Recharts set style attributes, which a nonce cannot cover (and a nonce in
 * style-src would make browsers ignore 'unsafe-inline'). Route handlers (JSON, CSV, PDF)
 * render no HTML and keep the static policy from next.config.ts.
 */

const COMMON = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** React needs eval only in development, for its debugging stacks. */
const devEval = () => (process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : "");

/** For pages: scripts only with this request's nonce. */
export function pageContentSecurityPolicy(nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error("a CSP nonce must be at least 16 base64 characters");
  return [COMMON[0], `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devEval()}`, ...COMMON.slice(1)].join("; ");
}

/** For responses that are not pages (route handlers): no inline script at all. */
export function staticContentSecurityPolicy(): string {
  return [COMMON[0], `script-src 'self'${devEval()}`, ...COMMON.slice(1)].join("; ");
}

/** 128 random bits, base64: unguessable, and fresh for every request. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
