import { expect, test } from "vitest";
import { newNonce, pageContentSecurityPolicy, staticContentSecurityPolicy } from "@/lib/auth/csp";

test("nonces are 128 random bits, base64, never repeated", () => {
  const seen = new Set(Array.from({ length: 1000 }, newNonce));
  expect(seen.size).toBe(1000);
  for (const n of seen) expect(Buffer.from(n, "base64")).toHaveLength(16);
});

test("the page policy allows scripts by nonce only; the static one allows no inline script", () => {
  const page = pageContentSecurityPolicy("AAAAAAAAAAAAAAAAAAAAAA==");
  expect(page).toContain("script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA==' 'strict-dynamic'");
  for (const policy of [page, staticContentSecurityPolicy()]) {
    const script = policy.split("; ").find((d) => d.startsWith("script-src"));
    expect(script).not.toContain("unsafe-inline");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  }
});

test("a nonce that could break out of the header is refused", () => {
  for (const bad of ["", "short", "AAAAAAAAAAAAAAAA'; script-src *", "AAAAAAAAAAAAAAAA AAAA"]) {
    expect(() => pageContentSecurityPolicy(bad)).toThrow(/nonce/);
  }
});
