import "server-only";
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getUserByEmail } from "@/db/queries/users";
import { user } from "@/db/schema";
import { env } from "@/lib/env";
import type { Actor, Role } from "@/lib/auth/roles";

/**
 * Optional single sign-on behind an authenticating reverse proxy: when AUTH_PROXY_HEADER
 * is set, the email in that header is trusted as the caller's identity. Only safe when the
 * app is reachable solely through a proxy that strips the header from client requests.
 */
export function proxyHeaderName(): string | null {
  return env("AUTH_PROXY_HEADER") ?? null;
}

export function proxyDefaultRole(): Role {
  return env("AUTH_PROXY_DEFAULT_ROLE");
}

const emailSchema = z.email().max(320);

/** The actor the proxy header names, creating the account on first sight; null if invalid or disabled. */
export function actorFromProxyEmail(db: Db, raw: string): Actor | null {
  const parsed = emailSchema.safeParse(raw.trim().toLowerCase());
  if (!parsed.success) return null;
  const email = parsed.data;
  let row = getUserByEmail(db, email);
  if (!row) {
    const now = new Date();
    const role = proxyDefaultRole();
    db.insert(user)
      .values({ id: crypto.randomUUID(), name: email.split("@")[0], email, emailVerified: true, role, disabled: false, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .run();
    row = getUserByEmail(db, email);
    if (!row) return null;
    recordAudit(db, { actor: { id: row.id, label: email }, action: "user.create", entityType: "user", entityId: row.id, after: { email, role: row.role }, detail: { source: "proxy" } });
  }
  if (row.disabled) return null;
  return { kind: "user", id: row.id, label: row.email, role: row.role };
}
