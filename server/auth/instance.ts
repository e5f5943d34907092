import "server-only";
import { nextCookies } from "better-auth/next-js";
import { getDb } from "@/db/client";
import { signInConfigStamp } from "@/db/queries/sign-in-config";
import { createAuth, type Auth } from "./better-auth";
import { listOidcProviders } from "./sign-in-config";

const globalForAuth = globalThis as unknown as { __deploySafetyAuth?: { auth: Auth; stamp: string } };

/**
 * The app's better-auth instance (with Next cookie handling for server actions), one per
 * process, built again when an admin changes the sign-in providers (better-auth takes its
 * providers when the instance is made). Requests already under way finish on the old one.
 */
export function getAuth(): Auth {
  const db = getDb();
  const stamp = signInConfigStamp(db);
  const current = globalForAuth.__deploySafetyAuth;
  if (current && current.stamp === stamp) return current.auth;
  const auth = createAuth(db, { plugins: [nextCookies()], providers: listOidcProviders(db) });
  globalForAuth.__deploySafetyAuth = { auth, stamp };
  return auth;
}
