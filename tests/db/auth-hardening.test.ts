import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb } from "../support/db";
import { auditLog, rateLimit, session, user } from "@/db/schema";
import type { Db } from "@/db/client";
import { createAccount, setAccountPassword } from "@/server/auth/accounts";
import { createAuth, type Auth } from "@/server/auth/better-auth";
import { clientAddress, parseTrustedProxies, PEER_HEADER, peerHeaderValue } from "@/lib/auth/client-address";
import { newAccountSchema, passwordSchema } from "@/lib/auth/schemas";
import { resolveAuthSecret } from "@/server/auth/secret";
import { hashSessionToken } from "@/lib/auth/session-token-hash";
import { delayAfter, signInThrottleConfig } from "@/lib/auth/sign-in-throttle";

const ORIGIN = "http://localhost:4321";
const ANN = { name: "Ann", email: "ann@example.com", password: "correct horse", role: "admin" as const };

/** A request as the server sees it: `peer` is the socket address the server's hook stamps. */
function post(path: string, body: unknown, opts: { peer?: string; cookie?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(`${ORIGIN}/api/auth${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: ORIGIN,
      ...(opts.peer ? { [PEER_HEADER]: peerHeaderValue(opts.peer) } : {}),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...opts.headers,
    },
    body: JSON.stringify(body),
  });
}

function cookies(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

function sessionTokenFrom(res: Response): string {
  const c = res.headers.getSetCookie().find((s) => s.startsWith("better-auth.session_token="))!;
  return decodeURIComponent(c.split(";")[0].split("=")[1]).split(".")[0];
}

/** The session cookie better-auth would set for `token`, signed with the instance's secret (as someone holding the secret file could). */
function mintCookie(token: string, secret: string): string {
  const sig = createHmac("sha256", secret).update(token).digest("base64");
  return `better-auth.session_token=${encodeURIComponent(`${token}.${sig}`)}`;
}

let t: ReturnType<typeof createTestDb>;
let db: Db;
let auth: Auth;

beforeEach(async () => {
  t = createTestDb();
  db = t.db;
  auth = createAuth(db, { databaseUrl: `file:${t.file}` });
  await createAccount(auth, db, ANN, { label: "cli" });
});
afterEach(() => {
  delete process.env.AUTH_TRUSTED_PROXIES;
  t.cleanup();
});

describe("sign-in throttling cannot be turned against the account", () => {
  test("ten wrong passwords behind ten spoofed X-Forwarded-For addresses slow that client only; the right password still gets in", async () => {
    // Ann signed in from her usual browser before the attack.
    const annBrowser = await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.10" }));
    expect(annBrowser.status).toBe(200);
    const annCookies = cookies(annBrowser);
    expect(annCookies).toContain("deploy-safety.device=");

    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await auth.handler(post("/sign-in/email", { email: ANN.email, password: `guess ${i}` }, { peer: "198.51.100.7", headers: { "x-forwarded-for": `203.0.113.${i}` } }));
      statuses.push(res.status);
      // Let each wait run out, so every guess is a real one (as a patient attacker would).
      db.update(auditLog).set({ at: Date.now() - 60 * 60_000 }).where(eq(auditLog.action, "auth.sign_in_failed")).run();
      db.delete(rateLimit).run();
    }
    expect(statuses).toEqual(Array(10).fill(401));
    // The spoofed header was ignored: every failure is recorded against the real peer.
    const failures = db.select().from(auditLog).where(eq(auditLog.action, "auth.sign_in_failed")).all();
    expect(new Set(failures.map((f) => f.ip))).toEqual(new Set(["198.51.100.7"]));

    // Ann, from her browser, gets in at once: the attacker's failures are not hers.
    const again = await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.10", cookie: annCookies }));
    expect(again.status).toBe(200);
    // Ann on a new network, with no history: one client failing is no distributed attack, so she gets in too.
    expect((await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.99" }))).status).toBe(200);

    // The guessing client is slowed: its next try right after a wrong one waits, right password or not, and is told how long.
    db.update(auditLog).set({ at: Date.now() }).where(eq(auditLog.action, "auth.sign_in_failed")).run();
    const slowed = await auth.handler(post("/sign-in/email", { email: ANN.email, password: "guess 11" }, { peer: "198.51.100.7", headers: { "x-forwarded-for": "203.0.113.99" } }));
    expect(slowed.status).toBe(429);
    expect((await slowed.json()).code).toBe("SIGN_IN_DELAYED");
    expect(Number(slowed.headers.get("retry-after"))).toBeGreaterThanOrEqual(30);
    // Once the wait has passed the same client may try again (and the right password works).
    db.update(auditLog).set({ at: Date.now() - 60 * 60_000 }).where(eq(auditLog.action, "auth.sign_in_failed")).run();
    db.delete(rateLimit).run();
    expect((await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "198.51.100.7" }))).status).toBe(200);
  });

  test("the first wrong passwords are free, then each wait doubles", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await auth.handler(post("/sign-in/email", { email: ANN.email, password: `guess ${i}` }, { peer: "198.51.100.8" }))).status);
    // 5 free, the 6th waits 1 s after the 5th failure (refused here), the 7th likewise.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Refusals are not guesses: they do not lengthen the wait.
    const wrong = db.select().from(auditLog).where(eq(auditLog.action, "auth.sign_in_failed")).all();
    expect(wrong.map((r) => (r.detail as { reason: string }).reason)).toEqual([...Array(5).fill("INVALID_EMAIL_OR_PASSWORD"), "SIGN_IN_DELAYED", "SIGN_IN_DELAYED"]);
    const cfg = signInThrottleConfig();
    expect([4, 5, 6, 7, 30].map((n) => delayAfter(n, cfg))).toEqual([0, 1000, 2000, 4000, 15 * 60_000]);
  });

  test("a distributed guess locks out only clients the account never used; its device cookie and a live session still pass", async () => {
    process.env.AUTH_ACCOUNT_LOCKOUT_MAX = "4";
    try {
      const first = await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.10" }));
      const annCookies = cookies(first);
      for (let i = 0; i < 4; i++) expect((await auth.handler(post("/sign-in/email", { email: ANN.email, password: "guess" }, { peer: `198.51.100.${i}` }))).status).toBe(401);
      const stranger = await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.77" }));
      expect(stranger.status).toBe(429);
      expect((await stranger.json()).code).toBe("ACCOUNT_LOCKED");
      // Her browser on a new network: the signed device cookie vouches for it.
      expect((await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.78", cookie: annCookies }))).status).toBe(200);
      // A live session of hers in the request vouches for the client too.
      const sessionOnly = annCookies.split("; ").filter((c) => c.startsWith("better-auth.session_token=")).join("; ");
      expect((await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.80", cookie: sessionOnly }))).status).toBe(200);
      // A forged device cookie does not.
      const forged = `deploy-safety.device=${encodeURIComponent("x.forged")}`;
      expect((await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.79", cookie: forged }))).status).toBe(429);
    } finally {
      delete process.env.AUTH_ACCOUNT_LOCKOUT_MAX;
    }
  });
});

describe("client addresses", () => {
  const h = (peer: string | null, xff?: string) => new Headers({ ...(peer ? { [PEER_HEADER]: peerHeaderValue(peer) } : {}), ...(xff ? { "x-forwarded-for": xff } : {}) });

  test("X-Forwarded-For is ignored unless the socket peer is a configured trusted proxy", () => {
    expect(clientAddress(h("198.51.100.7", "203.0.113.5"))).toBe("198.51.100.7");
    expect(clientAddress(h("::ffff:198.51.100.7"))).toBe("198.51.100.7");
    process.env.AUTH_TRUSTED_PROXIES = "10.9.0.0/24, 10.9.1.1";
    expect(clientAddress(h("10.9.0.3", "1.1.1.1, 203.0.113.5, 10.9.1.1"))).toBe("203.0.113.5");
    expect(clientAddress(h("10.9.0.3"))).toBe("10.9.0.3");
    expect(clientAddress(h("198.51.100.7", "203.0.113.5"))).toBe("198.51.100.7");
  });

  test("a peer stamp the client wrote itself (without the process's nonce) is not believed", () => {
    expect(clientAddress(new Headers({ [PEER_HEADER]: "0000 10.0.0.1", "x-forwarded-for": "10.0.0.1" }))).toBeNull();
    expect(clientAddress(h(null, "10.0.0.1"))).toBeNull();
  });

  test("a malformed AUTH_TRUSTED_PROXIES entry is named", () => {
    expect(() => parseTrustedProxies("10.0.0.1, 10.0.0.0/33")).toThrow('AUTH_TRUSTED_PROXIES: "10.0.0.0/33" is not an IP address or CIDR range');
    expect(() => parseTrustedProxies("proxy.local")).toThrow(/"proxy.local"/);
  });

  test("better-auth's per-address limit follows the trusted address, not the spoofable header", async () => {
    process.env.AUTH_SIGN_IN_MAX = "3";
    try {
      const a = createAuth(db, { databaseUrl: `file:${t.file}` });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await a.handler(post("/sign-in/email", { email: "nobody@example.com", password: "x" }, { peer: "198.51.100.9", headers: { "x-forwarded-for": `203.0.113.${i}` } }))).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      delete process.env.AUTH_SIGN_IN_MAX;
    }
  });
});

describe("session tokens are stored hashed", () => {
  test("the table holds a digest of the cookie's token; lookup and sign-out still work; the stored value opens nothing", async () => {
    const res = await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.10" }));
    const token = sessionTokenFrom(res);
    const rows = db.select().from(session).all();
    expect(rows).toHaveLength(1);
    expect(rows[0].token).not.toBe(token);
    expect(rows[0].token).toBe(hashSessionToken(token));
    const secret = resolveAuthSecret(`file:${t.file}`);
    const cookie = mintCookie(token, secret);
    expect((await auth.api.getSession({ headers: new Headers({ cookie }) }))?.user.email).toBe(ANN.email);
    // Someone holding the database and the secret file can sign the stored value, which is not a token.
    expect(await auth.api.getSession({ headers: new Headers({ cookie: mintCookie(rows[0].token, secret) }) })).toBeNull();
    const out = await auth.handler(post("/sign-out", {}, { cookie, peer: "192.0.2.10" }));
    expect(out.status).toBe(200);
    expect(db.select().from(session).all()).toHaveLength(0);
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
  });

  test("sessions stored in plain text before the upgrade are hashed on start and keep working", async () => {
    const now = new Date();
    const id = db.select({ id: user.id }).from(user).get()!.id;
    db.insert(session).values({ id: "legacy", token: "LegacyPlainToken0123456789abcdef", userId: id, expiresAt: new Date(Date.now() + 3600_000), createdAt: now, updatedAt: now }).run();
    const restarted = createAuth(db, { databaseUrl: `file:${t.file}` });
    expect(db.select().from(session).where(eq(session.id, "legacy")).get()!.token).toBe(hashSessionToken("LegacyPlainToken0123456789abcdef"));
    const cookie = mintCookie("LegacyPlainToken0123456789abcdef", resolveAuthSecret(`file:${t.file}`));
    expect((await restarted.api.getSession({ headers: new Headers({ cookie }) }))?.user.email).toBe(ANN.email);
  });

  test("the session-listing endpoints (which would hand out digests) are off", async () => {
    const cookie = cookies(await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.10" })));
    const list = await auth.handler(new Request(`${ORIGIN}/api/auth/list-sessions`, { headers: { cookie } }));
    expect(list.status).toBe(404);
  });
});

describe("common and breached passwords are refused everywhere a password is set", () => {
  test.each(["12345678", "password123", "Password123"])("%s", async (pw) => {
    const msg = /list of common or breached passwords/;
    expect(passwordSchema.safeParse(pw).error?.issues[0].message).toMatch(msg);
    expect(newAccountSchema.safeParse({ name: "B", email: "b@example.com", password: pw, role: "viewer" }).success).toBe(false);
    await expect(createAccount(auth, db, { name: "B", email: "b@example.com", password: pw, role: "viewer" }, { label: "cli" })).rejects.toThrow(msg);
    const id = db.select({ id: user.id }).from(user).get()!.id;
    await expect(setAccountPassword(auth, db, { userId: id, password: pw }, { label: "cli" })).rejects.toThrow(msg);
    // better-auth's own endpoint, called directly over HTTP.
    const cookie = cookies(await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.10" })));
    const res = await auth.handler(post("/change-password", { currentPassword: ANN.password, newPassword: pw }, { cookie, peer: "192.0.2.10" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "PASSWORD_TOO_COMMON" });
    expect((await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.11" }))).status).toBe(200);
    expect(db.select().from(user).all()).toHaveLength(1);
  });
});

describe("profile changes through better-auth's /update-user", () => {
  async function signedIn(): Promise<string> {
    return cookies(await auth.handler(post("/sign-in/email", { email: ANN.email, password: ANN.password }, { peer: "192.0.2.10" })));
  }

  test.each([
    [{ image: "javascript:alert(document.cookie)" }, /image: Image must be an http\(s\) URL/],
    [{ image: "data:image/svg+xml,<svg onload=alert(1)>" }, /http\(s\)/],
    [{ name: "x".repeat(101) }, /name: Name is too long/],
    [{ name: "   " }, /name: Enter a name/],
    [{ role: "admin" }, /Only name and image can be changed here, not role/],
  ])("%j is refused with a reason, and nothing changes", async (body, message) => {
    const cookie = await signedIn();
    const before = db.select().from(user).get()!;
    const res = await auth.handler(post("/update-user", body, { cookie, peer: "192.0.2.10" }));
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(message);
    expect(db.select().from(user).get()).toEqual(before);
    expect(db.select().from(auditLog).where(eq(auditLog.action, "user.profile_update")).all()).toHaveLength(0);
  });

  test("an http(s) image and a new name are accepted and audited with the old and new values", async () => {
    const cookie = await signedIn();
    const res = await auth.handler(post("/update-user", { name: " Ann B ", image: "https://example.com/ann.png" }, { cookie, peer: "192.0.2.10" }));
    expect(res.status).toBe(200);
    const row = db.select().from(user).get()!;
    expect([row.name, row.image]).toEqual(["Ann B", "https://example.com/ann.png"]);
    const audit = db.select().from(auditLog).where(eq(auditLog.action, "user.profile_update")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorLabel: ANN.email, entityId: row.id, ip: "192.0.2.10", before: { name: "Ann", image: null }, after: { name: "Ann B", image: "https://example.com/ann.png" } });
    // Removing the image is allowed too.
    expect((await auth.handler(post("/update-user", { image: null }, { cookie, peer: "192.0.2.10" }))).status).toBe(200);
    expect(db.select().from(user).get()!.image).toBeNull();
  });
});
