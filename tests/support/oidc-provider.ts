/**
 * A real OpenID Connect provider for tests: panva's `oidc-provider` on 127.0.0.1 (a free port),
 * with test users and groups that a test may change while it runs, and a sign-in page of its
 * own (`/interaction/:uid`: a username field and a "Continue" button) in place of the library's
 * development screens. Grants every scope asked for, so there is no consent step.
 *
 * - `startOidcProvider({ clients, users })` → `{ issuer, port, setGroups, setUser, signIdToken, stop }`
 * - `signIdToken(claims)` signs a JWT with the provider's own key (for tampered and expired tokens)
 * - `loginThroughProvider(authorizeUrl, username)` follows the flow with fetch and returns the
 *   URL the provider sends the browser back to (…/callback/<id>?code=…&state=…)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

export interface TestUser {
  sub: string;
  email: string;
  name?: string;
  groups: string[];
  emailVerified?: boolean;
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface TestProvider {
  issuer: string;
  port: number;
  setGroups(username: string, groups: string[]): void;
  setUser(username: string, user: TestUser): void;
  signIdToken(claims: Record<string, unknown>, opts?: { expiresIn?: number | string; issuedAt?: number }): Promise<string>;
  stop(): Promise<void>;
}

function listen(server: http.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startOidcProvider(opts: { clients: TestClient[]; users: Record<string, TestUser>; port?: number }): Promise<TestProvider> {
  const { default: Provider } = await import("oidc-provider");
  const users = new Map(Object.entries(opts.users));
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  const port = await listen(server, opts.port);
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: opts.clients.map((c) => ({ ...c, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" })),
    jwks: { keys: [jwk] },
    cookies: { keys: ["test-cookie-key-0123456789"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    // Email and groups in the ID token itself, as the app reads them there.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, id: string) {
      const u = users.get(id);
      if (!u) return undefined;
      return {
        accountId: id,
        async claims() {
          const now = users.get(id) ?? u;
          return { sub: now.sub, email: now.email, email_verified: now.emailVerified ?? true, name: now.name ?? id, groups: now.groups };
        },
      };
    },
    ttl: { Session: 60, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  // Every sign-in asks for the username again, so a group change shows at the next sign-in.
  provider.on("server_error", (_ctx: unknown, err: unknown) => console.error("test oidc provider:", err));
  const callback = provider.callback();

  handler = async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const m = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
    if (!m) return callback(req, res);
    try {
      if (req.method === "GET") {
        await provider.interactionDetails(req, res);
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
          `<!doctype html><title>Test IdP</title><h1>Test identity provider</h1><form method="post" action="/interaction/${escapeHtml(m[1])}"><label>Username <input name="username" autofocus></label><button type="submit">Continue</button></form>`,
        );
        return;
      }
      const form = await readForm(req);
      const details = await provider.interactionDetails(req, res);
      const username = form.get("username") ?? "";
      if (!users.has(username)) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><p>No such user: ${escapeHtml(username)}</p>`);
        return;
      }
      const grant = new provider.Grant({ accountId: username, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope ?? "openid"));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: username }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.writeHead(400, { "content-type": "text/plain" }).end(`interaction failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return {
    issuer,
    port,
    setGroups(username, groups) {
      const u = users.get(username);
      if (!u) throw new Error(`no test user ${username}`);
      users.set(username, { ...u, groups });
    },
    setUser(username, user) {
      users.set(username, user);
    },
    async signIdToken(claims, o = {}) {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test-key" }).setIssuedAt(o.issuedAt);
      if (o.expiresIn !== undefined) jwt.setExpirationTime(o.expiresIn);
      return jwt.sign(privateKey);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies as a browser would keep them for one origin: enough for the provider's interaction cookies. */
class CookieJar {
  private jar = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      this.jar.set(pair.slice(0, i).trim(), pair.slice(i + 1));
    }
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * Follows the provider's side of a sign-in with fetch: authorize → our interaction page →
 * submit the username → authorize again → the redirect back to the app, whose URL is returned
 * (not followed).
 */
export async function loginThroughProvider(authorizeUrl: string, username: string): Promise<string> {
  const jar = new CookieJar();
  const origin = new URL(authorizeUrl).origin;
  let url = authorizeUrl;
  let submitted = false;
  for (let hop = 0; hop < 10; hop++) {
    const isInteraction = new URL(url, origin).origin === origin && /^\/interaction\//.test(new URL(url, origin).pathname);
    const res = isInteraction && !submitted
      ? await fetch(new URL(url, origin), { method: "POST", redirect: "manual", headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ username }) })
      : await fetch(new URL(url, origin), { redirect: "manual", headers: { cookie: jar.header() } });
    if (isInteraction) submitted = true;
    jar.take(res);
    const location = res.headers.get("location");
    if (!location) throw new Error(`the provider stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const next = new URL(location, url);
    if (next.origin !== origin) return next.toString();
    url = next.toString();
  }
  throw new Error("the provider redirected too many times");
}
