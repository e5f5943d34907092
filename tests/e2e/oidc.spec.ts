/**
 * Single sign-on through a real OpenID Connect provider on 127.0.0.1 (tests/e2e/support/sso.ts):
 * an admin registers it under Admin → Sign-in; people sign in with the button and get the role
 * their groups map to; a disallowed domain is refused; a group change lowers the role at the
 * next sign-in, and losing every group ends the sessions the account had.
 */
import Database from "better-sqlite3";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { mainDbUrl } from "./support/auth";
import { readmeScreenshot } from "./support/screenshots";
import { SSO_ID, SSO_NAME, ssoProvider, ssoSignIn } from "./support/sso";

test.describe.configure({ mode: "serial" });

async function freshPage(browser: Browser, baseURL: string): Promise<Page> {
  const ctx = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return ctx.newPage();
}

function auditRows(action: string, email: string): { detail: string | null; before: string | null; after: string | null; actor_label: string }[] {
  const db = new Database(mainDbUrl().replace(/^file:/, ""), { readonly: true });
  try {
    return db
      .prepare(`SELECT detail, before, after, actor_label FROM audit_log WHERE action = ? AND (actor_label = ? OR after LIKE ? OR detail LIKE ?) ORDER BY id`)
      .all(action, email, `%${email}%`, `%${email}%`) as { detail: string | null; before: string | null; after: string | null; actor_label: string }[];
  } finally {
    db.close();
  }
}

test("an admin registers the provider under Admin → Sign-in; the redirect URL to register is shown and the secret is never sent back", async ({ page, browser, baseURL }) => {
  await ssoProvider(browser, baseURL!);
  await page.goto("/admin/sign-in");
  const card = page.getByTestId(`provider-${SSO_ID}`);
  await expect(card).toContainText(SSO_NAME);
  await expect(card).toContainText(`${baseURL}/api/auth/callback/${SSO_ID}`);
  await card.getByText(`Edit ${SSO_NAME}`).click();
  await expect(card.getByLabel("Client secret")).toHaveValue("");
  await expect(card).toContainText("A secret is stored (encrypted)");
  expect(await page.content()).not.toContain("e2e-client-secret-1");
  // Bad input: every problem named, nothing saved.
  const add = page.getByTestId("provider-form-new");
  await add.getByLabel("Id", { exact: true }).fill("Bad Id!");
  await add.getByLabel("Issuer URL").fill("http://idp.example.com");
  await add.getByLabel("Group → role mapping").fill("sre = superuser");
  await add.getByRole("button", { name: "Add provider" }).click();
  await expect(add.getByText("Use 1–40 lower-case letters")).toBeVisible();
  await expect(add.getByText("The issuer must use https")).toBeVisible();
  await expect(add.getByText('"sre = superuser": role must be one of')).toBeVisible();
  await expect(page.getByTestId("provider-bad-id!")).toHaveCount(0);
  await readmeScreenshot(page, "admin-sign-in", { fullPage: true });
});

test("signing in with the provider creates the account just in time with the mapped role", async ({ browser, baseURL }) => {
  await ssoProvider(browser, baseURL!);
  const page = await freshPage(browser, baseURL!);
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: `Sign in with ${SSO_NAME}` })).toBeVisible();
  await readmeScreenshot(page, "sign-in-sso");
  await ssoSignIn(page, "sso-editor");
  await expect(page).not.toHaveURL(/\/sign-in/);
  const menu = page.getByTestId("user-menu");
  await expect(menu).toContainText("sso.editor@example.com");
  await expect(menu).toContainText("editor");
  const signIn = auditRows("auth.sign_in", "sso.editor@example.com").at(-1)!;
  expect(JSON.parse(signIn.detail!)).toMatchObject({ provider: SSO_ID, role: "editor", claims: { email: "sso.editor@example.com", groups: ["sre", "staff"] } });
  await page.context().close();
});

test("a disallowed email domain is refused with a reason, and no account is made", async ({ browser, baseURL }) => {
  await ssoProvider(browser, baseURL!);
  const page = await freshPage(browser, baseURL!);
  await ssoSignIn(page, "sso-outsider");
  await expect(page).toHaveURL(/\/sign-in\?.*error=DOMAIN_NOT_ALLOWED/);
  await expect(page.getByRole("alert").filter({ hasText: "Accounts from your email domain may not sign in here." })).toBeVisible();
  expect(auditRows("user.create", "someone@elsewhere.org")).toHaveLength(0);
  await page.context().close();
});

test("a group change lowers the role at the next sign-in; losing every group refuses and ends the open sessions", async ({ browser, baseURL }) => {
  const idp = await ssoProvider(browser, baseURL!);
  const first = await freshPage(browser, baseURL!);
  await ssoSignIn(first, "sso-mover");
  await expect(first.getByTestId("user-menu")).toContainText("lead");

  idp.setGroups("sso-mover", ["sre"]);
  const second = await freshPage(browser, baseURL!);
  await ssoSignIn(second, "sso-mover");
  await expect(second.getByTestId("user-menu")).toContainText("editor");
  const change = auditRows("user.role", "sso.mover@example.com").at(-1)!;
  expect(change.actor_label).toBe(`sso:${SSO_ID}`);
  expect(JSON.parse(change.before!)).toMatchObject({ role: "lead" });
  expect(JSON.parse(change.after!)).toMatchObject({ role: "editor" });
  // The first browser's session is still this account's: it now acts as an editor, so the
  // audit trail (leads and up) is closed to it.
  await first.goto("/audit");
  await expect(first.getByRole("heading", { name: /403/ })).toBeVisible();

  idp.setGroups("sso-mover", ["contractors"]);
  const third = await freshPage(browser, baseURL!);
  await ssoSignIn(third, "sso-mover");
  await expect(third).toHaveURL(/\/sign-in\?.*error=NO_ACCESS/);
  await expect(third.getByRole("alert").filter({ hasText: "None of your groups gives access" })).toBeVisible();
  // Signed out everywhere: both earlier browsers are sent to sign in.
  for (const p of [first, second]) {
    await p.goto("/");
    await expect(p).toHaveURL(/\/sign-in/);
  }
  expect(auditRows("user.access_lost", "sso.mover@example.com")).toHaveLength(1);
  for (const p of [first, second, third]) await p.context().close();
});
