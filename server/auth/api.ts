import "server-only";
import { unstable_rethrow } from "next/navigation";
import { getDb } from "@/db/client";
import { verifyApiToken } from "@/db/queries/tokens";
import { errorResponse, ForbiddenError, UnauthorizedError } from "@/lib/api/errors";
import { identifyFromHeaders } from "./identify";
import { clientIp, isMutation, isSameOriginRequest } from "@/lib/auth/origin";
import { hasRole, type Actor, type Role } from "@/lib/auth/roles";

/* eslint-disable @typescript-eslint/no-explicit-any -- Next passes route-specific `{ params }` objects. */
export type RoleHandler<C = any> = (req: Request, ctx: C, actor: Actor) => Promise<Response> | Response;

/**
 * Identity for a route handler: `Authorization: Bearer <token>` (an API token; a bad or
 * revoked one is 401, no fallback to the cookie), else the session cookie / proxy header.
 */
export async function authenticateRequest(req: Request): Promise<{ actor: Actor; via: "token" | "session" | "proxy" } | null> {
  const authz = req.headers.get("authorization");
  if (authz !== null) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authz);
    if (!m) return null;
    const path = (() => {
      try {
        return new URL(req.url).pathname;
      } catch {
        return undefined;
      }
    })();
    const token = verifyApiToken(getDb(), m[1], { ip: clientIp(req.headers), method: req.method, path });
    if (!token) return null;
    return { actor: { kind: "token", id: `token:${token.id}`, label: `token:${token.name}`, role: token.role }, via: "token" };
  }
  return identifyFromHeaders(req.headers);
}

/**
 * Wraps a route handler: 401 without identity, 403 for a cross-site cookie-authenticated
 * mutation or too low a role; thrown errors become JSON through errorResponse().
 *
 * @example export const POST = withRole("editor", async (req, { params }, actor) => { ... });
 */
export function withRole<C = any>(role: Role, handler: RoleHandler<C>): (req: Request, ctx: C) => Promise<Response> {
  return async (req, ctx) => {
    try {
      const identity = await authenticateRequest(req);
      if (!identity) throw new UnauthorizedError();
      if (identity.via !== "token" && isMutation(req.method) && !isSameOriginRequest(req.headers)) {
        throw new ForbiddenError("Cross-site request refused");
      }
      if (!hasRole(identity.actor.role, role)) throw new ForbiddenError();
      return await handler(req, ctx, identity.actor);
    } catch (err) {
      unstable_rethrow(err);
      return errorResponse(err);
    }
  };
}
