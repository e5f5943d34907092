import { createHash } from "node:crypto";
import type { BetterAuthOptions, DBAdapter, Where } from "better-auth";

/**
 * Session tokens at rest as SHA-256 digests (hex), so a copy of the database holds no cookie
 * that works: the browser keeps the token, the `session` table only its digest. better-auth
 * (1.7) has no option for this, so its adapter is wrapped: every `token` the session model is
 * written with, or looked up, updated or deleted by, is hashed on the way in, and rows found by
 * a token come back carrying the token they were asked for (better-auth re-signs the cookie
 * from the row). Rows found another way (by user id) carry the digest, which opens nothing:
 * a digest sent back as a token is hashed again. Tokens are 256-bit random values, so a plain
 * fast hash is enough; there is nothing to brute-force.
 */

const MODEL = "session";
const FIELD = "token";

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A stored value that is already a digest (64 hex digits; better-auth's tokens are 32 letters and digits). */
export function isHashedSessionToken(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

type Call = { model?: string; where?: Where[]; data?: Record<string, unknown>; update?: Record<string, unknown>; set?: Record<string, unknown> };

function hashWhere(where: Where[] | undefined, raw: Map<string, string>): Where[] | undefined {
  return where?.map((w) => {
    if (w.field !== FIELD) return w;
    const hashOne = (v: string) => {
      const h = hashSessionToken(v);
      raw.set(h, v);
      return h;
    };
    if (typeof w.value === "string") return { ...w, value: hashOne(w.value) };
    if (Array.isArray(w.value)) return { ...w, value: (w.value as unknown[]).map((v) => (typeof v === "string" ? hashOne(v) : v)) as string[] };
    return w;
  });
}

function hashToken(obj: Record<string, unknown> | undefined, raw: Map<string, string>): Record<string, unknown> | undefined {
  if (!obj || typeof obj[FIELD] !== "string") return obj;
  const h = hashSessionToken(obj[FIELD] as string);
  raw.set(h, obj[FIELD] as string);
  return { ...obj, [FIELD]: h };
}

function restore(result: unknown, raw: Map<string, string>): unknown {
  if (Array.isArray(result)) return result.map((r) => restore(r, raw));
  if (result && typeof result === "object" && typeof (result as Record<string, unknown>)[FIELD] === "string") {
    const token = raw.get((result as Record<string, string>)[FIELD]);
    if (token !== undefined) return { ...result, [FIELD]: token };
  }
  return result;
}

function wrap<A extends object>(adapter: A): A {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "transaction") {
        return (callback: (trx: unknown) => Promise<unknown>) => value.call(target, (trx: object) => callback(wrap(trx)));
      }
      return async (arg: unknown, ...rest: unknown[]) => {
        const call = arg as Call | undefined;
        if (!call || typeof call !== "object" || call.model !== MODEL) return value.call(target, arg, ...rest);
        const raw = new Map<string, string>();
        const next: Call = { ...call, where: hashWhere(call.where, raw) };
        if (call.data) next.data = hashToken(call.data, raw);
        if (call.update) next.update = hashToken(call.update, raw);
        if (call.set) next.set = hashToken(call.set, raw);
        if (!("where" in call)) delete next.where;
        return restore(await value.call(target, next, ...rest), raw);
      };
    },
  });
}

/** Wraps an adapter factory (e.g. `drizzleAdapter(db, ...)`) so session tokens are stored hashed. */
export function withHashedSessionTokens(factory: (options: BetterAuthOptions) => DBAdapter<BetterAuthOptions>) {
  return (options: BetterAuthOptions): DBAdapter<BetterAuthOptions> => wrap(factory(options));
}
