/**
 * Same-origin checks for state-changing requests authenticated by a cookie. Browsers send
 * `Sec-Fetch-Site` and `Origin` on cross-site POSTs; a request carrying neither comes from
 * a non-browser client, which cannot ride a victim's cookie.
 */

import { env } from "@/lib/env";
import { clientAddress } from "./client-address";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isMutation(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function trustedOrigins(): string[] {
  return env("AUTH_TRUSTED_ORIGINS").map((s) => s.replace(/\/+$/, ""));
}

/** The host the client addressed: Host, or X-Forwarded-Host when AUTH_TRUST_PROXY=1. */
export function requestHost(headers: Headers): string | null {
  if (env("AUTH_TRUST_PROXY")) {
    const fwd = headers.get("x-forwarded-host")?.split(",")[0]?.trim();
    if (fwd) return fwd.toLowerCase();
  }
  return headers.get("host")?.toLowerCase() ?? null;
}

/** True when the request may change state: same origin, or a configured trusted origin. */
export function isSameOriginRequest(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  const origin = headers.get("origin");
  if (origin && origin !== "null") {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.host.toLowerCase() === requestHost(headers)) return true;
    return trustedOrigins().includes(url.origin);
  }
  if (origin === "null") return false;
  if (site) return site === "same-origin" || site === "none";
  return true;
}

/** The client's address for the audit trail: the socket peer, or what trusted proxies forwarded (lib/auth/client-address.ts). */
export function clientIp(headers: Headers): string | null {
  return clientAddress(headers);
}
