/**
 * First run to a working team, as a person would do it, on the brand-new database
 * (the second server scripts/e2e.ts starts): setup → admin creates an editor → the editor
 * signs in, may tag incidents, is refused lead-only pages and sees policy read-only.
 */
import { expect, test, type Page } from "@playwright/test";
import { signIn, uniqueName } from "./support/auth";

const FRESH = `http://127.0.0.1:${process.env.E2E_FRESH_PORT || 3201}`;
const admin = { name: "First Admin", email: "first-admin@example.com", password: "first-admin-pw-1" };
const editor = { name: "Eddie Editor", email: `${uniqueName("editor")}@example.com`, password: "editor-password-1" };

test.use({ baseURL: FRESH, storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: "serial" });

async function signOut(page: Page) {
  await page.getByTestId("user-menu").locator("summary").click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test("first run: setup creates the admin, who creates an editor; the editor is kept to their role", async ({ page }) => {
  // Nothing is reachable before the first account exists.
  for (const path of ["/account", "/audit", "/admin/users", "/sign-in"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/setup$/);
    // Let the (client-side, streamed) redirect settle before the next navigation.
    await expect(page.getByRole("heading", { name: "Welcome to Deploy Safety" })).toBeVisible();
    await page.waitForLoadState("load");
  }
  const anon = await page.request.get("/api/audit/export");
  expect(anon.status()).toBe(401);

  await expect(page.getByRole("heading", { name: "Welcome to Deploy Safety" })).toBeVisible();
  // Clear validation: every field's problem at once.
  await page.getByLabel("Name").fill("");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("different");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("Enter a name")).toBeVisible();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page.getByText("Passwords do not match")).toBeVisible();

  await page.getByLabel("Name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Confirm password").fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).not.toHaveURL(/\/setup/);
  await expect(page.getByTestId("user-menu")).toContainText(admin.email);

  // Setup is closed now: /setup → /sign-in → (signed in) the dashboard.
  await page.goto("/setup");
  await expect(page).toHaveURL((url) => !/^\/(setup|sign-in)/.test(url.pathname));
  await page.waitForLoadState("load");

  // The admin creates an editor on the users page.
  await page.goto("/admin/users");
  await page.getByLabel("Name").fill(editor.name);
  await page.getByLabel("Email").fill(editor.email);
  await page.getByLabel("Role", { exact: true }).selectOption("editor");
  await page.getByLabel("Initial password").fill(editor.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${editor.email} as editor`);
  await expect(page.getByTestId(`user-row-${editor.email}`)).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/auth-admin-users.png", fullPage: true });
  await signOut(page);

  // A wrong password is refused without saying which part was wrong.
  await page.getByLabel("Email").fill(editor.email);
  await page.getByLabel("Password", { exact: true }).fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".alert--error")).toHaveText("The email or password is wrong.");

  await signIn(page, editor.email, editor.password, "/account");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("user-menu")).toContainText("editor");
  // No admin or audit links for an editor.
  await page.getByTestId("user-menu").locator("summary").click();
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Audit trail" })).toHaveCount(0);

  // Lead-only and admin-only pages show the 403 page.
  for (const path of ["/audit", "/admin/users"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: /403/ })).toBeVisible();
  }
  // Policy is readable by every role; only leads may change it (the save action checks "lead").
  await page.goto("/settings/policy");
  await expect(page.getByRole("heading", { name: "Current policy" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save as new version" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/e2e/auth-editor-forbidden.png" });
});

test("the sign-in trail shows in the audit page for the admin", async ({ page }) => {
  await signIn(page, admin.email, admin.password, "/audit");
  await page.getByLabel("Action").fill("auth.sign_in_failed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=auth\.sign_in_failed/);
  await expect(page.getByRole("cell", { name: editor.email })).toBeVisible();
  const csv = await page.request.get(`/api/audit/export?format=csv&action=auth.`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(`auth.sign_in,`);
});

test("an editor tags an incident", async ({ page }) => {
  test.fixme(true, "the incident page (/incidents/[id] with a Trigger field) is not built yet");
  await signIn(page, editor.email, editor.password, "/incidents");
  await page.getByRole("link").filter({ hasText: /./ }).first().click();
  await expect(page).toHaveURL(/\/incidents\/[^/]+$/);
  await page.getByLabel("Trigger").selectOption({ index: 1 });
  await page.getByRole("button", { name: /save/i }).click();
  await expect(page.getByRole("status")).toBeVisible();
});
