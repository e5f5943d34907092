/**
 * First run to a working team, as a person would do it, on the brand-new database
 * (the second server scripts/e2e.ts starts): setup → admin creates an editor → the editor
 * signs in, tags an incident, and is refused lead-only pages such as the policy settings.
 */
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { freshDbUrl, runCli, signIn, uniqueName } from "./support/auth";
import { readSetupCode } from "./support/setup-code";

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
  // A password from the breach lists is refused with a reason.
  await page.getByLabel("Name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password", { exact: true }).fill("password123");
  await page.getByLabel("Confirm password").fill("password123");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("This password is on a list of common or breached passwords; choose another")).toBeVisible();
  await expect(page.getByText("Enter a name")).toHaveCount(0);

  // A wrong setup code is refused with a reason; the one the server wrote next to its database works.
  await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC");
  await page.getByLabel("Password", { exact: true }).fill(admin.password);
  await page.getByLabel("Confirm password").fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("That is not the setup code")).toBeVisible();
  await page.getByLabel("Setup code").fill(readSetupCode(freshDbUrl()));
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
  await page.screenshot({ path: `${process.env.E2E_TMP || "test-results"}/auth-admin-users.png`, fullPage: true });
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
  await page.screenshot({ path: `${process.env.E2E_TMP || "test-results"}/auth-editor-forbidden.png` });
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

test("the editor tags an incident, and cannot open the policy settings", async ({ page }) => {
  // The admin loads one incident (the fresh database has none) through the import API.
  await signIn(page, admin.email, admin.password, "/import");
  const csv = "id,title,severity,started_at,resolved_at\nAUTH-1,Checkout errors after deploy,SEV2,2025-02-03T10:00:00Z,2025-02-03T11:30:00Z\n";
  const imported = await page.request.post("/api/import?format=canonical&source=auth-flow", {
    data: csv,
    headers: { "Content-Type": "text/csv", Origin: FRESH },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  const { batchId } = (await imported.json()) as { batchId: number };
  await signOut(page);

  await signIn(page, editor.email, editor.password, "/incidents");
  await page.getByRole("link", { name: "Checkout errors after deploy" }).click();
  await expect(page).toHaveURL(/\/incidents\/\d+$/);
  await page.getByLabel("Trigger", { exact: true }).selectOption("change");
  await expect(page.getByTestId("why-panel")).toContainText("Counts");
  await page.getByRole("button", { name: /^Save \d+ change/ }).click();
  await expect(page.getByTestId("save-message")).toContainText("Saved");
  const id = page.url().split("/").pop();
  const saved = await page.request.get(`/api/incidents/${id}`);
  expect(JSON.stringify(await saved.json())).toContain('"trigger":"change"');

  // The counting policy is the lead's: an editor gets the 403 page, and no Policy tab.
  await page.goto("/settings/policy");
  await expect(page.getByRole("heading", { name: /403/ })).toBeVisible();
  await page.goto("/settings/targets");
  await expect(page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Policy" })).toHaveCount(0);

  // Leave the fresh database without incidents for the suites that test the empty state.
  runCli(freshDbUrl(), ["batches", "undo", String(batchId)]);
});


test("the admin sets a forgotten password: the editor is signed out, the old password stops working, the new one signs in", async ({ page, browser }) => {
  // The editor is signed in elsewhere.
  const editorContext = await browser.newContext({ baseURL: FRESH, storageState: { cookies: [], origins: [] } });
  const editorPage = await editorContext.newPage();
  await signIn(editorPage, editor.email, editor.password, "/account");

  await signIn(page, admin.email, admin.password, "/admin/users");
  const row = page.getByTestId(`user-row-${editor.email}`);
  // The admin's own row points to the account page instead.
  await expect(page.getByTestId(`user-row-${admin.email}`).getByRole("link", { name: "Change yours" })).toHaveAttribute("href", "/account");
  // Opened from the keyboard, as the disclosure's summary.
  await row.getByLabel(`Set a new password for ${editor.email}`).press("Enter");
  // Typed twice, checked before anything is written.
  await row.getByLabel("New password", { exact: true }).fill("editor-password-2");
  await row.getByLabel("Repeat it").fill("editor-password-3");
  await row.getByRole("button", { name: "Set password" }).click();
  await expect(row.getByText("Passwords do not match")).toBeVisible();
  // Password fields are not kept after a refusal: type both again.
  await row.getByLabel("New password", { exact: true }).fill("editor-password-2");
  await row.getByLabel("Repeat it").fill("editor-password-2");
  await row.getByRole("button", { name: "Set password" }).click();
  // Earlier tests left the editor more sessions than the one opened above.
  await expect(row.getByRole("status")).toContainText(new RegExp(`New password set for ${editor.email}; \\d+ sessions were signed out`));
  await page.screenshot({ path: `${process.env.E2E_TMP || "test-results"}/auth-set-password.png`, fullPage: true });

  // The editor's session is gone.
  await editorPage.goto("/account");
  await expect(editorPage).toHaveURL(/\/sign-in/);
  await editorPage.getByLabel("Email").fill(editor.email);
  await editorPage.getByLabel("Password", { exact: true }).fill(editor.password);
  await editorPage.getByRole("button", { name: "Sign in" }).click();
  await expect(editorPage.locator(".alert--error")).toHaveText("The email or password is wrong.");
  await signIn(editorPage, editor.email, "editor-password-2", "/account");
  await expect(editorPage.getByTestId("user-menu")).toContainText("editor");
  await editorContext.close();

  // The audit trail names who did it, never the password.
  await page.goto("/audit?action=user.password_reset");
  await expect(page.getByRole("cell", { name: "user.password_reset" }).first()).toBeVisible();
  await expect(page.getByText("editor-password-2")).toHaveCount(0);
});

test("wrong passwords sent with a forged X-Forwarded-For are recorded against the real client", async ({ page }) => {
  // It may have to wait out a minute of the per-address cap (below).
  test.setTimeout(180_000);
  for (let i = 0; i < 2; i++) {
    const send = () =>
      page.request.post("/api/auth/sign-in/email", { headers: { origin: FRESH, "x-forwarded-for": `203.0.113.${i}` }, data: { email: admin.email, password: `a guess ${i}` } });
    let res = await send();
    // Every sign-in in this file comes from this machine's address, which has a per-minute cap.
    if (res.status() === 429) {
      await page.waitForTimeout((Number(res.headers()["x-retry-after"] ?? 60) + 1) * 1000);
      res = await send();
    }
    expect(res.status()).toBe(401);
  }
  const db = new Database(freshDbUrl().replace(/^file:/, ""), { readonly: true });
  try {
    const rows = db.prepare("SELECT ip FROM audit_log WHERE action = 'auth.sign_in_failed' AND actor_label = ? AND detail LIKE '%INVALID_EMAIL_OR_PASSWORD%' ORDER BY id DESC LIMIT 2").all(admin.email) as { ip: string | null }[];
    // The socket address (this machine), not the forged one.
    expect(rows.map((r) => r.ip)).toEqual([expect.stringMatching(/^(127\.0\.0\.1|::1)$/), expect.stringMatching(/^(127\.0\.0\.1|::1)$/)]);
  } finally {
    db.close();
  }
});
