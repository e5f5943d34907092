import { NextResponse, type NextRequest } from "next/server";
import { declaredLength, PROXY_BODY_LIMIT_BYTES } from "@/lib/api/body-limits";
import { newNonce, pageContentSecurityPolicy } from "@/lib/auth/csp";
import { PATH_HEADER, safeNextPath } from "@/lib/auth/next-path";
import { env } from "@/lib/env";

/** Pages anyone may open: signing in and first-run setup. */
const PUBLIC_PAGES = ["/sign-in", "/setup"];

/** False when `decodeURIComponent` would throw on the path (`%ZZ`, a cut-off UTF-8 sequence). */
export function decodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** True when the request carries something that could identify a person; the page checks it for real. */
function mayBeSignedIn(request: NextRequest): boolean {
  if ((request.headers.get("cookie") ?? "").includes("session_token=")) return true;
  const proxyHeader = env("AUTH_PROXY_HEADER");
  return !!proxyHeader && !!request.headers.get(proxyHeader);
}

/**
 * Passes the requested path to server components (for `/sign-in?next=`), overwriting any
 * value a client sent, and sends requests that cannot be signed in straight to /sign-in
 * with a real redirect (pages under a loading.tsx stream, so a redirect decided inside one
 * reaches the browser as a 200 and a client-side navigation). This is only the cheap first gate: every page,
 * action and route handler still checks identity and role itself (server/auth/guards.ts,
 * server/auth/api.ts).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Next answers a path it cannot percent-decode with a bare 500; say what is wrong instead.
  if (!decodablePath(pathname)) {
    const message = "The address is not valid: it has a % that does not start a valid percent-encoded character.";
    return pathname.startsWith("/api/")
      ? NextResponse.json({ error: "bad_request", message }, { status: 400 })
      : new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  if (pathname.startsWith("/api/")) {
    // Only an API path with a % in it gets here (see the matcher), and Next hands its route
    // just the first PROXY_BODY_LIMIT_BYTES of the body: refuse what might not fit rather than cut it.
    if (mayExceedProxyLimit(request)) {
      const message = `A request body of unknown length or over ${PROXY_BODY_LIMIT_BYTES / 1024 / 1024} MB is accepted only at an address without percent-encoding (such as /api/import).`;
      return NextResponse.json({ error: "payload_too_large", message }, { status: 413 });
    }
    return NextResponse.next();
  }
  const isPublic = PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!isPublic && !mayBeSignedIn(request)) {
    const next = safeNextPath(pathname + search);
    const location = next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
    // Built on the Host the browser used: Next may see itself as localhost, and cookies are per host.
    const host = request.headers.get("host") ?? request.nextUrl.host;
    return NextResponse.redirect(new URL(location, `${request.nextUrl.protocol}//${host}`), 307);
  }
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, pathname + search);
  // The request's copy is where Next finds the nonce to put on its scripts; the response's is what the browser enforces.
  const csp = pageContentSecurityPolicy(newNonce());
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

/** True when the body may be longer than what Next passes on after buffering it for the proxy. */
function mayExceedProxyLimit(request: NextRequest): boolean {
  if (request.method === "GET" || request.method === "HEAD") return false;
  const declared = declaredLength(request.headers);
  if (declared != null) return declared > PROXY_BODY_LIMIT_BYTES;
  return request.headers.has("transfer-encoding");
}

export const config = {
  // Next buffers the body of every request the proxy sees and cuts it at
  // experimental.proxyClientMaxBodySize, so API paths (uploads; they do their own auth)
  // stay out, except those with a % in them, for the malformed-path check. The matcher is
  // tried on the raw and on the decoded path; a plain API path has a % in neither.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/[^%]*$).*)"],
};
