/**
 * Single sign-on for the Playwright suites: a real OpenID Connect provider (oidc-provider,
 * tests/support/oidc-provider.ts) on 127.0.0.1 in the test worker, registered with the main
 * server through Admin → Sign-in the way an admin would.
 *
 * - `ssoProvider(browser, baseURL)` → the running test provider (started once per worker) with
 *   the app's "e2e-idp" provider pointing at it (added, or its issuer updated after a worker restart)
 * - `ssoSignIn(page, username)` signs in through the button and the provider's page, like a person
 * - `SSO_USERS`: test users; their groups map to roles by `SSO_ROLE_MAP`
 */
import { expect, type Browser, type Page } from "@playwright/test";
import { startOidcProvider, type TestProvider, type TestUser } from "../../support/oidc-provider";
import { ADMIN_STATE } from "../../../playwright.config";

export const SSO_ID = "e2e-idp";
export const SSO_NAME = "Test IdP";
const CLIENT = { client_id: "deploy-safety-e2e", client_secret: "e2e-client-secret-1" };

export const SSO_ROLE_MAP = ["staff = viewer", "sre = editor", "program-leads = lead", "platform-admins = admin"].join("\n");

export const SSO_USERS: Record<string, TestUser> = {
  "sso-viewer": { sub: "sso-viewer", email: "sso.viewer@example.com", groups: ["staff"] },
  "sso-editor": { sub: "sso-editor", email: "sso.editor@example.com", groups: ["sre", "staff"] },
  "sso-lead": { sub: "sso-lead", email: "sso.lead@example.com", groups: ["program-leads"] },
  "sso-admin": { sub: "sso-admin", email: "sso.admin@example.com", groups: ["platform-admins", "sre"] },
  "sso-mover": { sub: "sso-mover", email: "sso.mover@example.com", groups: ["program-leads"] },
  "sso-outsider": { sub: "sso-outsider", email: "someone@elsewhere.org", groups: ["platform-admins"] },
};

const worker = globalThis as unknown as { __e2eIdp?: Promise<TestProvider>; __e2eIdpRegistered?: string };

/** The test provider, started once per worker, registered with the app under Admin → Sign-in. */
export async function ssoProvider(browser: Browser, baseURL: string): Promise<TestProvider> {
  worker.__e2eIdp ??= startOidcProvider({ clients: [{ ...CLIENT, redirect_uris: [`${baseURL}/api/auth/callback/${SSO_ID}`] }], users: structuredClone(SSO_USERS) });
  const idp = await worker.__e2eIdp;
  if (worker.__e2eIdpRegistered === idp.issuer) return idp;
  const ctx = await browser.newContext({ baseURL, storageState: ADMIN_STATE });
  const page = await ctx.newPage();
  await page.goto("/admin/sign-in");
  const existing = page.getByTestId(`provider-${SSO_ID}`);
  const form = (await existing.count()) ? page.getByTestId(`provider-form-${SSO_ID}`) : page.getByTestId("provider-form-new");
  if (await existing.count()) await existing.getByText(`Edit ${SSO_NAME}`).click();
  else await form.getByLabel("Id", { exact: true }).fill(SSO_ID);
  await form.getByLabel("Button name").fill(SSO_NAME);
  await form.getByLabel("Issuer URL").fill(idp.issuer);
  await form.getByLabel("Client id").fill(CLIENT.client_id);
  await form.getByLabel("Client secret").fill(CLIENT.client_secret);
  await form.getByLabel("Scopes").fill("openid email profile groups");
  await form.getByLabel("Groups claim").fill("groups");
  await form.getByLabel("Allowed email domains").fill("example.com");
  await form.getByLabel("Group → role mapping").fill(SSO_ROLE_MAP);
  await form.getByLabel("Everyone else").selectOption("none");
  await form.getByLabel("Enabled").check();
  await form.getByRole("button", { name: /Add provider|Save provider/ }).click();
  await expect(form.getByRole("status")).toContainText(/Added|Saved/);
  await ctx.close();
  worker.__e2eIdpRegistered = idp.issuer;
  return idp;
}

/** Signs in through "Sign in with Test IdP" and the provider's own page; does not wait for where it ends. */
export async function ssoSignIn(page: Page, username: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Sign in with ${SSO_NAME}` }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByRole("button", { name: "Continue" }).click();
}
