import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Separate build folders let parallel test runs (and CI) build without clobbering each other.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["better-sqlite3"],
  // `npm test` type-checks the whole project with tsc before building; doing it twice costs a minute.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  // requirePageRole() renders the 403 page through next/navigation forbidden().
  experimental: { authInterrupts: true },
};

export default nextConfig;
