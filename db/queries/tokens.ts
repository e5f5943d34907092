import "server-only";
import crypto from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import { recordAudit } from "./audit";

export type ApiTokenRow = typeof apiTokens.$inferSelect;
/** What lists show: never the hash. */
export type ApiTokenSummary = Omit<ApiTokenRow, "tokenHash">;

const TOKEN_PREFIX = "dst_";
/** Visible part kept for display: `dst_` plus 6 characters. */
const DISPLAY_PREFIX_LENGTH = 10;
/** last_used_at is refreshed, and `token.use` audited, at most this often per token. */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
}

export class TokenNameTakenError extends Error {
  constructor(name: string) {
    super(`a token named "${name}" already exists`);
  }
}

/** Creates a token and returns it in clear text: the only time it exists outside the caller. */
export function createApiToken(
  db: Db,
  input: { name: string; role: Role; createdBy: { id?: string | null; label: string } },
): { token: string; row: ApiTokenSummary } {
  const token = generateToken();
  return db.transaction((tx) => {
    const taken = tx.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, input.name)).get();
    if (taken) throw new TokenNameTakenError(input.name);
    const row = tx
      .insert(apiTokens)
      .values({
        name: input.name,
        role: input.role,
        tokenHash: hashToken(token),
        prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
        createdAt: Date.now(),
        createdBy: input.createdBy.label,
      })
      .returning()
      .get();
    recordAudit(tx, {
      actor: input.createdBy,
      action: "token.create",
      entityType: "api_token",
      entityId: row.id,
      after: { name: row.name, role: row.role, prefix: row.prefix },
    });
    const { tokenHash: _hash, ...summary } = row;
    void _hash;
    return { token, row: summary };
  });
}

export function listApiTokens(db: Db): ApiTokenSummary[] {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      createdBy: apiTokens.createdBy,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(desc(apiTokens.id))
    .all();
}

/** Revokes by id or name; false when no such active token. */
export function revokeApiToken(db: Db, which: { id: number } | { name: string }, by: { id?: string | null; label: string }): boolean {
  return db.transaction((tx) => {
    const where = "id" in which ? eq(apiTokens.id, which.id) : eq(apiTokens.name, which.name);
    const row = tx.select().from(apiTokens).where(and(where, isNull(apiTokens.revokedAt))).get();
    if (!row) return false;
    const now = Date.now();
    tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, row.id)).run();
    recordAudit(tx, {
      actor: by,
      action: "token.revoke",
      entityType: "api_token",
      entityId: row.id,
      before: { name: row.name, role: row.role, revokedAt: null },
      after: { name: row.name, role: row.role, revokedAt: now },
    });
    return true;
  });
}

/**
 * The active token a clear-text token names, or null (unknown, revoked or malformed).
 * Records use: last_used_at and a `token.use` audit row, each at most once a minute per token.
 */
export function verifyApiToken(db: Db, token: string, meta: { ip?: string | null; method?: string; path?: string } = {}): ApiTokenSummary | null {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(token))).get();
  if (!row || row.revokedAt !== null) return null;
  const now = Date.now();
  const stale = row.lastUsedAt === null || row.lastUsedAt <= now - TOKEN_USE_RESOLUTION_MS;
  if (stale) {
    // Best effort, never waiting for the write lock: while an import or undo holds it (seconds),
    // a waiting write would stall the whole server (better-sqlite3 waits synchronously). The
    // use is then recorded by a later request.
    const sqlite = db.$client;
    const wait = sqlite.pragma("busy_timeout", { simple: true }) as number;
    sqlite.pragma("busy_timeout = 0");
    try {
      db.transaction((tx) => {
        // The conditional update makes concurrent requests agree on who writes the audit row.
        const claimed = tx
          .update(apiTokens)
          .set({ lastUsedAt: now })
          .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, now - TOKEN_USE_RESOLUTION_MS + 1))))
          .run();
        if (claimed.changes > 0) {
          recordAudit(tx, {
            actor: { id: `token:${row.id}`, label: `token:${row.name}` },
            action: "token.use",
            entityType: "api_token",
            entityId: row.id,
            detail: meta.method || meta.path ? { method: meta.method, path: meta.path } : undefined,
            ip: meta.ip ?? null,
          });
          row.lastUsedAt = now;
        }
      });
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY") throw err;
    } finally {
      sqlite.pragma(`busy_timeout = ${wait}`);
    }
  }
  const { tokenHash: _hash, ...summary } = row;
  void _hash;
  return summary;
}
