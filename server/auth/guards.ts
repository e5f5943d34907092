import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { ForbiddenError, UnauthorizedError } from "@/lib/api/errors";
import { identifyFromHeaders, usersExist } from "./identify";
import { PATH_HEADER, safeNextPath } from "@/lib/auth/next-path";
import { isSameOriginRequest } from "@/lib/auth/origin";
import { hasRole, type Actor, type Role } from "@/lib/auth/roles";

/**
 * The signed-in person (session cookie, or the proxy header when AUTH_PROXY_HEADER is set),
 * or null. Memoised per request; cheap when nobody is signed in or no account exists yet.
 */
export const getActor: () => Promise<Actor | null> = cache(async () => {
  const identity = await identifyFromHeaders(await headers());
  return identity?.actor ?? null;
});

/**
 * For pages and layouts. No account yet → /setup; not signed in → /sign-in?next=<this page>;
 * role too low → the 403 page (next/navigation `forbidden()`).
 */
export async function requirePageRole(role: Role): Promise<Actor> {
  if (!usersExist()) redirect("/setup");
  const actor = await getActor();
  if (!actor) {
    const next = safeNextPath((await headers()).get(PATH_HEADER));
    redirect(next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`);
  }
  if (!hasRole(actor.role, role)) forbidden();
  return actor;
}

/**
 * For server actions: refuses cross-site calls (ForbiddenError), anonymous ones
 * (UnauthorizedError) and too low a role (ForbiddenError). Returns who is acting.
 */
export async function requireActionRole(role: Role): Promise<Actor> {
  const h = await headers();
  if (!isSameOriginRequest(h)) throw new ForbiddenError("Cross-site request refused");
  if (!usersExist()) throw new UnauthorizedError("Finish first-run setup first");
  const actor = await getActor();
  if (!actor) throw new UnauthorizedError("Sign in first");
  if (!hasRole(actor.role, role)) throw new ForbiddenError();
  return actor;
}
