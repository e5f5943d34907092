/**
 * OpenID Connect sign-in against a real provider (oidc-provider on 127.0.0.1): the code flow
 * through better-auth's handler, roles from groups, who is refused and why, ID tokens that
 * must not pass, a replayed state, and a provider that is down.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb } from "../support/db";
import { loginThroughProvider, startOidcProvider, type TestProvider } from "../support/oidc-provider";
import { auditLog, session, user } from "@/db/schema";
import { createAuth, type Auth } from "@/server/auth/better-auth";
import { createAccount } from "@/server/auth/accounts";
import { setLocalPasswords, type OidcProvider } from "@/server/auth/sign-in-config";
import type { Db } from "@/db/client";
import { PEER_HEADER, peerHeaderValue } from "@/lib/auth/client-address";

const APP = "http://127.0.0.1:4399";
let idp: TestProvider;

beforeAll(async () => {
  idp = await startOidcProvider({
    clients: [{ client_id: "deploy-safety", client_secret: "s3cret-for-tests", redirect_uris: [`${APP}/api/auth/callback/corp`, `${APP}/api/auth/callback/wrong-issuer`] }],
    users: {
      ada: { sub: "u-ada", email: "ada@example.com", groups: ["sre", "staff"] },
      lee: { sub: "u-lee", email: "lee@example.com", groups: ["program-leads"] },
      max: { sub: "u-max", email: "max@example.com", groups: ["platform-admins", "sre"] },
      val: { sub: "u-val", email: "val@example.com", groups: ["staff"] },
      eve: { sub: "u-eve", email: "eve@elsewhere.org", groups: ["sre"] },
      una: { sub: "u-una", email: "una@example.com", groups: ["staff"], emailVerified: false },
    },
  });
});
afterAll(() => idp?.stop());

function corp(over: Partial<OidcProvider> = {}): OidcProvider {
  return {
    id: "corp",
    name: "Corp SSO",
    issuer: idp.issuer,
    clientId: "deploy-safety",
    clientSecret: "s3cret-for-tests",
    scopes: ["openid", "email", "profile", "groups"],
    groupsClaim: "groups",
    allowedDomains: ["example.com"],
    roleMap: [
      { group: "sre", role: "editor" },
      { group: "program-leads", role: "lead" },
      { group: "platform-admins", role: "admin" },
    ],
    defaultRole: "none",
    enabled: true,
    source: "admin",
    ...over,
  };
}

let t: ReturnType<typeof createTestDb>;
let db: Db;
let auth: Auth;

function authWith(providers: OidcProvider[]): Auth {
  return createAuth(db, { databaseUrl: `file:${t.file}`, providers });
}

beforeEach(() => {
  t = createTestDb();
  db = t.db;
  auth = authWith([corp()]);
});
afterEach(() => t.cleanup());

const headers = (extra: Record<string, string> = {}) => ({ origin: APP, [PEER_HEADER]: peerHeaderValue("10.0.0.7"), ...extra });

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** The button: POST /sign-in/social → the provider's authorize URL and the state cookie. */
async function start(a: Auth, provider = "corp"): Promise<{ res: Response; url?: string; cookie: string; body: Record<string, unknown> }> {
  const res = await a.handler(
    new Request(`${APP}/api/auth/sign-in/social`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers() },
      body: JSON.stringify({ provider, callbackURL: "/", errorCallbackURL: "/sign-in" }),
    }),
  );
  const body = (await res.json()) as Record<string, unknown>;
  return { res, url: typeof body.url === "string" ? body.url : undefined, cookie: cookiesOf(res), body };
}

/** A whole sign-in as `username`; returns where the app sends the browser and the cookies it sets. */
async function signInAs(username: string, a: Auth = auth, provider = "corp"): Promise<{ location: string; cookie: string; callbackUrl: string; stateCookie: string }> {
  const s = await start(a, provider);
  expect(s.res.status, JSON.stringify(s.body)).toBe(200);
  const callbackUrl = await loginThroughProvider(s.url!, username);
  const res = await a.handler(new Request(callbackUrl, { headers: headers({ cookie: s.cookie }) }));
  expect(res.status).toBe(302);
  return { location: res.headers.get("location") ?? "", cookie: cookiesOf(res), callbackUrl, stateCookie: s.cookie };
}

const userRow = (email: string) => db.select().from(user).where(eq(user.email, email)).get();
const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action)).all();

describe("OpenID Connect sign-in through a real provider", () => {
  test("the authorize URL asks for the code flow with PKCE (S256), a state and a nonce", async () => {
    const s = await start(auth);
    const u = new URL(s.url!);
    expect(u.origin).toBe(idp.issuer);
    expect(u.searchParams.get("response_type")).toBe("code");
    expect(u.searchParams.get("code_challenge_method")).toBe("S256");
    expect(u.searchParams.get("code_challenge")).toBeTruthy();
    expect(u.searchParams.get("state")).toBeTruthy();
    expect(u.searchParams.get("nonce")).toBeTruthy();
    expect(u.searchParams.get("redirect_uri")).toBe(`${APP}/api/auth/callback/corp`);
    expect(u.searchParams.get("scope")?.split(" ")).toEqual(expect.arrayContaining(["openid", "email", "groups"]));
  });

  test.each([
    ["ada", "ada@example.com", "editor"],
    ["lee", "lee@example.com", "lead"],
    ["max", "max@example.com", "admin"],
  ] as const)("%s signs in just in time with the highest role their groups map to (%s → %s)", async (username, email, role) => {
    const r = await signInAs(username);
    expect(r.location).toBe("/");
    expect(r.cookie).toContain("session_token=");
    const u = userRow(email)!;
    expect(u.role).toBe(role);
    const s = await auth.api.getSession({ headers: new Headers({ cookie: r.cookie }) });
    expect(s?.user.email).toBe(email);
    const signIn = audits("auth.sign_in").at(-1)!;
    expect(signIn.detail).toMatchObject({ provider: "corp", role, claims: { sub: username, email } });
    expect(JSON.stringify(signIn.detail)).not.toMatch(/eyJ/); // no token, only claims
    expect(audits("user.create").at(-1)!.detail).toMatchObject({ source: "sso", provider: "corp" });
    // Tokens are not kept.
    const acc = db.$client.prepare(`SELECT access_token, refresh_token, id_token FROM account WHERE provider_id = 'corp'`).get() as Record<string, unknown>;
    expect(acc).toEqual({ access_token: null, refresh_token: null, id_token: null });
  });

  test("a group change lowers the role at the next sign-in, audited like an admin's; losing every group ends the sessions", async () => {
    const first = await signInAs("max");
    expect(userRow("max@example.com")!.role).toBe("admin");
    idp.setGroups("max", ["sre"]);
    await signInAs("max");
    expect(userRow("max@example.com")!.role).toBe("editor");
    const change = audits("user.role").at(-1)!;
    expect(change.actorLabel).toBe("sso:corp");
    expect(change.before).toMatchObject({ role: "admin" });
    expect(change.after).toMatchObject({ role: "editor" });
    expect(change.detail).toMatchObject({ source: "sso", provider: "corp", groups: ["sre"] });

    idp.setGroups("max", ["staff"]);
    const refused = await signInAs("max");
    expect(refused.location).toMatch(/^\/sign-in\?error=NO_ACCESS/);
    expect(refused.cookie).not.toContain("session_token=");
    const userId = userRow("max@example.com")!.id;
    expect(db.select().from(session).where(eq(session.userId, userId)).all()).toHaveLength(0);
    expect(await auth.api.getSession({ headers: new Headers({ cookie: first.cookie }) })).toBeNull();
    expect(audits("user.access_lost").at(-1)!.detail).toMatchObject({ provider: "corp", reason: "NO_ACCESS", claims: { groups: ["staff"] } });
    expect(audits("auth.sign_in_failed").at(-1)!.detail).toMatchObject({ provider: "corp", reason: "NO_ACCESS" });
  });

  test("refused: a domain not allowed, no mapped group with no default role, an unverified email; a default role lets the rest in", async () => {
    expect((await signInAs("eve")).location).toMatch(/^\/sign-in\?error=DOMAIN_NOT_ALLOWED/);
    expect((await signInAs("val")).location).toMatch(/^\/sign-in\?error=NO_ACCESS/);
    expect((await signInAs("una")).location).toMatch(/^\/sign-in\?error=EMAIL_UNVERIFIED/);
    expect(userRow("eve@elsewhere.org")).toBeUndefined();
    expect(userRow("val@example.com")).toBeUndefined();
    expect(audits("auth.sign_in_failed").map((r) => (r.detail as { reason: string }).reason)).toEqual(["DOMAIN_NOT_ALLOWED", "NO_ACCESS", "EMAIL_UNVERIFIED"]);

    const lenient = authWith([corp({ defaultRole: "viewer" })]);
    expect((await signInAs("val", lenient)).location).toBe("/");
    expect(userRow("val@example.com")!.role).toBe("viewer");
  });

  test("a local account with the same email is signed in through the provider and takes the mapped role", async () => {
    await createAccount(auth, db, { name: "Ada", email: "ada@example.com", password: "ada local password", role: "viewer" }, { label: "cli" });
    expect((await signInAs("ada")).location).toBe("/");
    expect(userRow("ada@example.com")!.role).toBe("editor");
  });

  test("a replayed state is refused: the second use of a callback signs no one in", async () => {
    const first = await signInAs("ada");
    expect(first.location).toBe("/");
    const again = await auth.handler(new Request(first.callbackUrl, { headers: headers({ cookie: first.stateCookie }) }));
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toMatch(/error=/);
    expect(cookiesOf(again)).not.toMatch(/session_token=[^;]/);
  });

  test("a provider whose discovery names another issuer is refused (wrong issuer)", async () => {
    // Same provider reached as localhost: discovery says the issuer is 127.0.0.1.
    const wrong = authWith([corp({ id: "wrong-issuer", issuer: idp.issuer.replace("127.0.0.1", "localhost") })]);
    const r = await signInAs("ada", wrong, "wrong-issuer");
    expect(r.location).toMatch(/^\/sign-in\?error=ISSUER_MISMATCH/);
    expect(userRow("ada@example.com")).toBeUndefined();
    expect(audits("auth.sign_in_failed").at(-1)!.detail).toMatchObject({ provider: "wrong-issuer", reason: "ISSUER_MISMATCH" });
  });

  describe("ID tokens that must not pass", () => {
    async function verify(idToken: string): Promise<unknown> {
      const ctx = await auth.$context;
      const p = ctx.socialProviders.find((x) => x.id === "corp")!;
      return p.getUserInfo({ idToken, accessToken: "unused", expectedIdTokenNonce: "n-1" } as never);
    }
    const claims = (over: Record<string, unknown> = {}) => ({ iss: idp.issuer, aud: "deploy-safety", sub: "u-ada", email: "ada@example.com", email_verified: true, groups: ["platform-admins"], nonce: "n-1", ...over });

    test("a genuine token passes the same check (the control)", async () => {
      expect(await verify(await idp.signIdToken(claims(), { expiresIn: "5m" }))).toMatchObject({ user: { email: "ada@example.com" } });
    });

    test("tampered: a payload changed after signing", async () => {
      const [h, , sig] = (await idp.signIdToken(claims(), { expiresIn: "5m" })).split(".");
      const forged = Buffer.from(JSON.stringify(claims({ email: "max@example.com" }))).toString("base64url");
      expect(await verify(`${h}.${forged}.${sig}`)).toBeNull();
    });

    test("expired", async () => {
      const hourAgo = Math.floor(Date.now() / 1000) - 3600;
      expect(await verify(await idp.signIdToken(claims(), { issuedAt: hourAgo - 600, expiresIn: hourAgo }))).toBeNull();
    });

    test("from another issuer, for another client, or with another nonce", async () => {
      expect(await verify(await idp.signIdToken(claims({ iss: "https://evil.example" }), { expiresIn: "5m" }))).toBeNull();
      expect(await verify(await idp.signIdToken(claims({ aud: "someone-else" }), { expiresIn: "5m" }))).toBeNull();
      expect(await verify(await idp.signIdToken(claims({ nonce: "other" }), { expiresIn: "5m" }))).toBeNull();
    });

    test("posted straight to /sign-in/social instead of the code flow", async () => {
      const idToken = await idp.signIdToken(claims(), { expiresIn: "5m" });
      const res = await auth.handler(
        new Request(`${APP}/api/auth/sign-in/social`, { method: "POST", headers: { "content-type": "application/json", ...headers() }, body: JSON.stringify({ provider: "corp", idToken: { token: idToken, nonce: "n-1" } }) }),
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe("ID_TOKEN_SIGN_IN_OFF");
      expect(userRow("ada@example.com")).toBeUndefined();
    });
  });

  test("a provider that is down: a clear message, and the local admin still signs in", async () => {
    await createAccount(auth, db, { name: "Root", email: "root@example.com", password: "root local password", role: "admin" }, { label: "cli" });
    const down = authWith([corp({ id: "down", name: "Down IdP", issuer: "http://127.0.0.1:9" })]);
    const s = await start(down, "down");
    expect(s.res.status).toBe(503);
    expect(s.body).toMatchObject({ code: "PROVIDER_UNREACHABLE" });
    expect(String(s.body.message)).toContain("Down IdP cannot be reached right now");
    const local = await down.handler(
      new Request(`${APP}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", ...headers() }, body: JSON.stringify({ email: "root@example.com", password: "root local password" }) }),
    );
    expect(local.status).toBe(200);
  });

  test("an unknown provider id is a 404 naming it", async () => {
    const s = await start(auth, "nope");
    expect(s.res.status).toBe(404);
    expect(s.body).toMatchObject({ code: "PROVIDER_NOT_FOUND" });
  });

  test("with local passwords off only the break-glass admin signs in with a password", async () => {
    const root = await createAccount(auth, db, { name: "Root", email: "root@example.com", password: "root local password", role: "admin" }, { label: "cli" });
    await createAccount(auth, db, { name: "Ed", email: "ed@example.com", password: "ed local password", role: "editor" }, { label: "cli" });
    setLocalPasswords(db, { enabled: false, breakGlassUserId: root.id }, { label: "test" });
    const post = (email: string, password: string) =>
      auth.handler(new Request(`${APP}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", ...headers() }, body: JSON.stringify({ email, password }) }));
    const ed = await post("ed@example.com", "ed local password");
    expect(ed.status).toBe(403);
    expect(((await ed.json()) as { code: string }).code).toBe("PASSWORDS_OFF");
    expect((await post("root@example.com", "root local password")).status).toBe(200);
    expect((await signInAs("ada")).location).toBe("/");
  });
});
