/**
 * The Content-Security-Policy as the browser gets it: pages allow only scripts carrying a
 * per-request nonce (no 'unsafe-inline'), Next puts that nonce on every script it emits, the
 * pages still hydrate and work with no violation reported, and a script without the nonce
 * does not run.
 */
import { expect, test } from "@playwright/test";

const scriptSrc = (csp: string) => csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";

test("every page script carries this response's nonce, and the nonce is new each time", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of ["/", "/incidents", "/settings/policy", "/sign-in"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const csp = res.headers()["content-security-policy"] ?? "";
    const src = scriptSrc(csp);
    expect(src, path).not.toContain("'unsafe-inline'");
    expect(src, path).toContain("'strict-dynamic'");
    const nonce = /'nonce-([^']+)'/.exec(src)?.[1];
    expect(nonce, path).toBeTruthy();
    nonces.add(nonce!);
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(4);
  // Route handlers render no HTML: the static policy, no nonce.
  const api = await request.get("/api/health");
  expect(scriptSrc(api.headers()["content-security-policy"] ?? "")).toBe("script-src 'self'");
});

test("pages hydrate under the policy with no violation, and a script without the nonce is refused", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto("/");
  // Hydrated: the chart's Table toggle (client state) responds.
  const toggle = page.getByRole("button", { name: "Table" }).first();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await page.goto("/settings/policy");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);

  // Markup injected into the served HTML (what stored XSS would be): its inline script has no
  // nonce and is refused, while the page's own scripts still run.
  await page.route(
    (url) => url.pathname === "/",
    async (route) => {
      if (route.request().resourceType() !== "document") return route.continue();
      const res = await route.fetch();
      const body = (await res.text()).replace("<body", '<body data-injected="yes"').replace("</body>", "<script>window.__injected = 1</script></body>");
      await route.fulfill({ response: res, body });
    },
  );
  violations.length = 0;
  await page.goto("/");
  await expect(page.locator("body[data-injected=yes]")).toBeAttached();
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected ?? null)).toBeNull();
  // Hydrated all the same: the client-side Table toggle responds.
  const again = page.getByRole("button", { name: "Table" }).first();
  await again.click();
  await expect(again).toHaveAttribute("aria-pressed", "true");
});
