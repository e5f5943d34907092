import "server-only";
import { getDb } from "@/db/client";
import { getUserById, hasAnyUser } from "@/db/queries/users";
import { getAuth } from "./instance";
import { actorFromProxyEmail, proxyHeaderName } from "./proxy-sso";
import type { Actor } from "@/lib/auth/roles";

const globalForUsers = globalThis as unknown as { __deploySafetyHasUsers?: boolean };

/** True once an account exists; cached once true (accounts are disabled, never deleted). */
export function usersExist(): boolean {
  if (globalForUsers.__deploySafetyHasUsers) return true;
  const exists = hasAnyUser(getDb());
  if (exists) globalForUsers.__deploySafetyHasUsers = true;
  return exists;
}

function hasSessionCookie(headers: Headers): boolean {
  return (headers.get("cookie") ?? "").includes("session_token=");
}

export type Identity = { actor: Actor; via: "session" | "proxy" };

/**
 * Who a browser request comes from: the proxy header when AUTH_PROXY_HEADER is set and
 * present, else the better-auth session cookie. Role and disabled are read fresh from the
 * user row so a change takes effect on the next request.
 */
export async function identifyFromHeaders(headers: Headers): Promise<Identity | null> {
  const proxyHeader = proxyHeaderName();
  if (proxyHeader) {
    const email = headers.get(proxyHeader);
    if (email) {
      const actor = actorFromProxyEmail(getDb(), email);
      return actor ? { actor, via: "proxy" } : null;
    }
  }
  if (!hasSessionCookie(headers) || !usersExist()) return null;
  let userId: string | undefined;
  try {
    const s = await getAuth().api.getSession({ headers });
    userId = s?.user.id;
  } catch {
    return null;
  }
  if (!userId) return null;
  const row = getUserById(getDb(), userId);
  if (!row || row.disabled) return null;
  return { actor: { kind: "user", id: row.id, label: row.email, role: row.role }, via: "session" };
}
