import type { NextConfig } from "next";
import { PROXY_BODY_LIMIT_BYTES, SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/api/body-limits";
import { staticContentSecurityPolicy } from "./lib/auth/csp";

const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  // Separate build folders let parallel test runs (and CI) build without clobbering each other.
  // Read raw: Next reads this file at build time and in the harnesses that pick a folder
  // (scripts/e2e.ts, the bench), and any name is a valid folder; lib/env.ts checks it for npm start.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["better-sqlite3"],
  // `npm test` type-checks the whole project with tsc before building; doing it twice costs a minute.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  experimental: {
    // requirePageRole() renders the 403 page through next/navigation forbidden().
    authInterrupts: true,
    // Both written out (these are Next's defaults but for the actions' 1 MB) so the
    // limits documented in README and lib/api/body-limits.ts are the ones in force.
    proxyClientMaxBodySize: PROXY_BODY_LIMIT_BYTES,
    serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT_BYTES },
  },
  async headers() {
    // Pages get their Content-Security-Policy, with a per-request script nonce, from proxy.ts.
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: staticContentSecurityPolicy() }] },
    ];
  },
};

export default nextConfig;
