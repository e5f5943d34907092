import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb } from "../support/db";
import { account, auditLog, rateLimit, session, user } from "@/db/schema";
import { createAuth, type Auth } from "@/server/auth/better-auth";
import { AccountNotFoundError, createAccount, EmailTakenError, setAccountPassword } from "@/server/auth/accounts";
import { setUserDisabled } from "@/db/queries/users";
import type { Db } from "@/db/client";
import { PEER_HEADER, peerHeaderValue } from "@/lib/auth/client-address";

const ORIGIN = "http://localhost:4321";

/** `ip` stands in for the socket address the server's hook stamps on each request. */
function signInRequest(email: string, password: string, ip = "10.0.0.1", origin = ORIGIN, extra: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin, [PEER_HEADER]: peerHeaderValue(ip), ...extra },
    body: JSON.stringify({ email, password }),
  });
}

function sessionCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!set) throw new Error("no session cookie");
  return set.split(";")[0];
}

let t: ReturnType<typeof createTestDb>;
let db: Db;
let auth: Auth;

beforeEach(() => {
  process.env.AUTH_SIGN_IN_MAX = "3";
  t = createTestDb();
  db = t.db;
  auth = createAuth(db, { databaseUrl: `file:${t.file}` });
});
afterEach(() => {
  delete process.env.AUTH_SIGN_IN_MAX;
  t.cleanup();
});

describe("better-auth over our schema", () => {
  test("createAccount stores better-auth's own hash, not the password, and sets the role", async () => {
    const created = await createAccount(auth, db, { name: "Ann", email: " Ann@Example.com ", password: "correct horse", role: "editor" }, { label: "cli" });
    expect(created.email).toBe("ann@example.com");
    const u = db.select().from(user).where(eq(user.id, created.id)).get()!;
    expect(u.role).toBe("editor");
    const a = db.select().from(account).where(eq(account.userId, created.id)).get()!;
    expect(a.providerId).toBe("credential");
    expect(a.password).toBeTruthy();
    expect(a.password).not.toContain("correct horse");
    expect(db.select().from(session).all()).toHaveLength(0);
    await expect(createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "another one", role: "viewer" }, { label: "cli" })).rejects.toBeInstanceOf(EmailTakenError);
    await expect(createAccount(auth, db, { name: "B", email: "b@example.com", password: "short", role: "viewer" }, { label: "cli" })).rejects.toThrow();
  });

  test("sign-in sets an httpOnly session cookie, getSession resolves it, and both outcomes are audited", async () => {
    await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "admin" }, { label: "cli" });
    const bad = await auth.handler(signInRequest("ann@example.com", "wrong password"));
    expect(bad.status).toBe(401);
    const ok = await auth.handler(signInRequest("ann@example.com", "correct horse"));
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.getSetCookie().find((c) => c.includes("session_token="))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const s = await auth.api.getSession({ headers: new Headers({ cookie: sessionCookie(ok) }) });
    expect(s?.user.email).toBe("ann@example.com");
    const actions = db.select().from(auditLog).all().map((r) => [r.action, r.actorLabel]);
    expect(actions).toContainEqual(["auth.sign_in_failed", "ann@example.com"]);
    expect(actions).toContainEqual(["auth.sign_in", "ann@example.com"]);
  });

  test("self sign-up is closed", async () => {
    const res = await auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({ email: "x@example.com", password: "long enough pw", name: "X" }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(db.select().from(user).all()).toHaveLength(0);
  });

  test("a cross-site sign-in POST is refused", async () => {
    await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "admin" }, { label: "cli" });
    const withCookie = await auth.handler(signInRequest("ann@example.com", "correct horse", "10.0.0.9", "https://evil.example", { cookie: "x=1", "sec-fetch-site": "cross-site" }));
    expect(withCookie.status).toBe(403);
    const formPost = await auth.handler(
      signInRequest("ann@example.com", "correct horse", "10.0.0.9", "https://evil.example", { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" }),
    );
    expect(formPost.status).toBe(403);
  });

  test("the origin the browser addressed (Host) is trusted even when the request URL names another host", async () => {
    await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "admin" }, { label: "cli" });
    const viaIp = (origin: string) =>
      auth.handler(
        new Request("http://localhost:3102/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json", host: "127.0.0.1:3102", origin, cookie: "x=1", [PEER_HEADER]: peerHeaderValue("10.0.7.1") },
          body: JSON.stringify({ email: "ann@example.com", password: "correct horse" }),
        }),
      );
    expect((await viaIp("http://127.0.0.1:3102")).status).toBe(200);
    expect((await viaIp("http://127.0.0.1:3103")).status).toBe(403);
    expect((await viaIp("http://*")).status).toBe(403);
  });

  test("sign-in attempts are rate limited per address, in the database", async () => {
    await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "admin" }, { label: "cli" });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await auth.handler(signInRequest("ann@example.com", "wrong password", "10.0.0.2"))).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(db.select().from(rateLimit).all().length).toBeGreaterThan(0);
    // A second instance over the same database (another process) sees the same count.
    const other = createAuth(db, { databaseUrl: `file:${t.file}` });
    expect((await other.handler(signInRequest("ann@example.com", "correct horse", "10.0.0.2"))).status).toBe(429);
    expect((await other.handler(signInRequest("ann@example.com", "correct horse", "10.0.0.3"))).status).toBe(200);
  });

  test("wrong passwords from many addresses lock the account to new clients only, until the window passes", async () => {
    process.env.AUTH_ACCOUNT_LOCKOUT_MAX = "3";
    try {
      await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "admin" }, { label: "cli" });
      expect((await auth.handler(signInRequest("ann@example.com", "correct horse", "10.2.1.1"))).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await auth.handler(signInRequest("ANN@example.com", "wrong", `10.2.2.${i}`))).status).toBe(401);
      // A client that never signed in to this account is refused, right password or not.
      const refused = await auth.handler(signInRequest("ann@example.com", "correct horse", "10.2.3.1"));
      expect(refused.status).toBe(429);
      expect((await refused.json()).code).toBe("ACCOUNT_LOCKED");
      // The address Ann signed in from before still gets in.
      expect((await auth.handler(signInRequest("ann@example.com", "correct horse", "10.2.1.1"))).status).toBe(200);
      // Another account is unaffected.
      await createAccount(auth, db, { name: "Bob", email: "bob@example.com", password: "correct horse", role: "viewer" }, { label: "cli" });
      expect((await auth.handler(signInRequest("bob@example.com", "correct horse", "10.2.3.2"))).status).toBe(200);
      // Once the failures are older than the window, new clients get in again.
      db.update(auditLog).set({ at: Date.now() - 16 * 60_000 }).run();
      expect((await auth.handler(signInRequest("ann@example.com", "correct horse", "10.2.3.3"))).status).toBe(200);
    } finally {
      delete process.env.AUTH_ACCOUNT_LOCKOUT_MAX;
    }
  });

  test("a disabled account cannot sign in, and disabling ends its sessions", async () => {
    const { id } = await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "viewer" }, { label: "cli" });
    const ok = await auth.handler(signInRequest("ann@example.com", "correct horse"));
    expect(ok.status).toBe(200);
    setUserDisabled(db, id, true, { label: "admin@example.com" });
    expect(await auth.api.getSession({ headers: new Headers({ cookie: sessionCookie(ok) }) })).toBeNull();
    const again = await auth.handler(signInRequest("ann@example.com", "correct horse", "10.0.0.5"));
    expect(again.status).toBe(403);
  });

  test("revokeSessions signs out everywhere", async () => {
    await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "viewer" }, { label: "cli" });
    const a = sessionCookie(await auth.handler(signInRequest("ann@example.com", "correct horse", "10.0.1.1")));
    const b = sessionCookie(await auth.handler(signInRequest("ann@example.com", "correct horse", "10.0.1.2")));
    await auth.api.revokeSessions({ headers: new Headers({ cookie: a }) });
    expect(await auth.api.getSession({ headers: new Headers({ cookie: a }) })).toBeNull();
    expect(await auth.api.getSession({ headers: new Headers({ cookie: b }) })).toBeNull();
  });
});

describe("setAccountPassword (an admin sets a forgotten password)", () => {
  test("the new password signs in, the old one does not, every session ends, and it is audited without the password", async () => {
    const { id } = await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "viewer" }, { label: "cli" });
    const a = sessionCookie(await auth.handler(signInRequest("ann@example.com", "correct horse", "10.4.0.1")));
    const b = sessionCookie(await auth.handler(signInRequest("ann@example.com", "correct horse", "10.4.0.2")));
    const done = await setAccountPassword(auth, db, { userId: id, password: "battery staple" }, { id: "admin-id", label: "admin@example.com" });
    expect(done).toEqual({ email: "ann@example.com", sessionsEnded: 2 });
    expect(await auth.api.getSession({ headers: new Headers({ cookie: a }) })).toBeNull();
    expect(await auth.api.getSession({ headers: new Headers({ cookie: b }) })).toBeNull();
    expect((await auth.handler(signInRequest("ann@example.com", "correct horse", "10.4.0.3"))).status).toBe(401);
    expect((await auth.handler(signInRequest("ann@example.com", "battery staple", "10.4.0.4"))).status).toBe(200);
    expect(db.select().from(account).where(eq(account.userId, id)).all()).toHaveLength(1);
    const row = db.select().from(auditLog).where(eq(auditLog.action, "user.password_reset")).get()!;
    expect([row.actorLabel, row.entityId]).toEqual(["admin@example.com", id]);
    expect(JSON.stringify(row)).not.toContain("battery staple");
  });

  test("an account without a password (a proxy sign-in) gets one", async () => {
    const now = new Date();
    db.insert(user).values({ id: "proxy-user", name: "P", email: "p@example.com", emailVerified: true, role: "viewer", disabled: false, createdAt: now, updatedAt: now }).run();
    await setAccountPassword(auth, db, { userId: "proxy-user", password: "battery staple" }, { label: "cli" });
    expect((await auth.handler(signInRequest("p@example.com", "battery staple", "10.4.1.1"))).status).toBe(200);
  });

  test("a bad password or an unknown account is refused and nothing is written", async () => {
    const { id } = await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "viewer" }, { label: "cli" });
    const before = db.select().from(auditLog).all().length;
    await expect(setAccountPassword(auth, db, { userId: id, password: "short" }, { label: "cli" })).rejects.toThrow(/at least 8/);
    await expect(setAccountPassword(auth, db, { userId: "nobody", password: "long enough pw" }, { label: "cli" })).rejects.toBeInstanceOf(AccountNotFoundError);
    expect(db.select().from(auditLog).all()).toHaveLength(before);
    expect((await auth.handler(signInRequest("ann@example.com", "correct horse", "10.4.2.1"))).status).toBe(200);
  });

  test("it lifts the failed-sign-in lockout, which is against the old password", async () => {
    process.env.AUTH_ACCOUNT_LOCKOUT_MAX = "3";
    try {
      const { id } = await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "viewer" }, { label: "cli" });
      for (let i = 0; i < 3; i++) expect((await auth.handler(signInRequest("ann@example.com", "wrong", `10.4.3.${i}`))).status).toBe(401);
      expect((await auth.handler(signInRequest("ann@example.com", "correct horse", "10.4.4.1"))).status).toBe(429);
      expect((await auth.handler(signInRequest("ann@example.com", "battery staple", "10.4.4.2"))).status).toBe(429);
      await setAccountPassword(auth, db, { userId: id, password: "battery staple" }, { label: "admin@example.com" });
      expect((await auth.handler(signInRequest("ann@example.com", "battery staple", "10.4.4.2"))).status).toBe(200);
    } finally {
      delete process.env.AUTH_ACCOUNT_LOCKOUT_MAX;
    }
  });
});

describe("listUsers", () => {
  test("counts each user's live sessions", async () => {
    const { listUsers } = await import("@/db/queries/users");
    await createAccount(auth, db, { name: "Ann", email: "ann@example.com", password: "correct horse", role: "admin" }, { label: "cli" });
    await createAccount(auth, db, { name: "Bob", email: "bob@example.com", password: "correct horse", role: "viewer" }, { label: "cli" });
    await auth.handler(signInRequest("ann@example.com", "correct horse", "10.0.3.1"));
    await auth.handler(signInRequest("ann@example.com", "correct horse", "10.0.3.2"));
    const byEmail = Object.fromEntries(listUsers(db).map((u) => [u.email, u.activeSessions]));
    expect(byEmail).toEqual({ "ann@example.com": 2, "bob@example.com": 0 });
  });
});
