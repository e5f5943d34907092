import "server-only";
import { nextCookies } from "better-auth/next-js";
import { getDb } from "@/db/client";
import { createAuth, type Auth } from "./better-auth";

const globalForAuth = globalThis as unknown as { __deploySafetyAuth?: Auth };

/** The app's better-auth instance (with Next cookie handling for server actions), one per process. */
export function getAuth(): Auth {
  globalForAuth.__deploySafetyAuth ??= createAuth(getDb(), { plugins: [nextCookies()] });
  return globalForAuth.__deploySafetyAuth;
}
