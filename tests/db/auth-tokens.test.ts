import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDb } from "../support/db";
import { apiTokens, auditLog } from "@/db/schema";
import { createApiToken, hashToken, listApiTokens, revokeApiToken, TOKEN_USE_RESOLUTION_MS, TokenNameTakenError, verifyApiToken } from "@/db/queries/tokens";
import { listAudit, recordAudit } from "@/db/queries/audit";

let t: ReturnType<typeof createTestDb>;
beforeEach(() => {
  t = createTestDb();
});
afterEach(() => t.cleanup());

const by = { id: "u1", label: "admin@example.com" };

describe("API tokens", () => {
  test("only the SHA-256 hash and a display prefix are stored", () => {
    const { token, row } = createApiToken(t.db, { name: "ci", role: "editor", createdBy: by });
    expect(token).toMatch(/^dst_[A-Za-z0-9_-]{43}$/);
    const stored = t.db.select().from(apiTokens).where(eq(apiTokens.id, row.id)).get()!;
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(token.startsWith(stored.prefix)).toBe(true);
    expect(stored.prefix.length).toBeLessThan(token.length / 3);
    expect(listApiTokens(t.db)[0]).not.toHaveProperty("tokenHash");
  });

  test("names are unique", () => {
    createApiToken(t.db, { name: "ci", role: "editor", createdBy: by });
    expect(() => createApiToken(t.db, { name: "ci", role: "viewer", createdBy: by })).toThrow(TokenNameTakenError);
  });

  test("verify finds the token, records last use and audits it at most once a minute", () => {
    const { token, row } = createApiToken(t.db, { name: "ci", role: "lead", createdBy: by });
    expect(row.lastUsedAt).toBeNull();
    const v = verifyApiToken(t.db, token, { ip: "10.1.1.1", method: "POST", path: "/api/x" });
    expect(v?.role).toBe("lead");
    expect(v?.lastUsedAt).not.toBeNull();
    verifyApiToken(t.db, token);
    verifyApiToken(t.db, token);
    expect(listAudit(t.db, { action: "token.use" })).toHaveLength(1);
    // A minute later it is recorded again.
    t.db.update(apiTokens).set({ lastUsedAt: Date.now() - TOKEN_USE_RESOLUTION_MS - 1 }).where(eq(apiTokens.id, row.id)).run();
    verifyApiToken(t.db, token);
    const uses = listAudit(t.db, { action: "token.use" });
    expect(uses).toHaveLength(2);
    expect(uses[1].actorLabel).toBe("token:ci");
    expect(uses[1].ip).toBe("10.1.1.1");
    expect(JSON.stringify(uses)).not.toContain(token);
  });

  test("unknown, malformed and revoked tokens do not verify", () => {
    const { token } = createApiToken(t.db, { name: "ci", role: "admin", createdBy: by });
    expect(verifyApiToken(t.db, token + "x")).toBeNull();
    expect(verifyApiToken(t.db, "not-a-token")).toBeNull();
    expect(verifyApiToken(t.db, "")).toBeNull();
    expect(revokeApiToken(t.db, { name: "ci" }, by)).toBe(true);
    expect(revokeApiToken(t.db, { name: "ci" }, by)).toBe(false);
    expect(verifyApiToken(t.db, token)).toBeNull();
    expect(listAudit(t.db, { action: "token." }).map((r) => r.action)).toEqual(["token.revoke", "token.create"]);
  });
});

describe("recordAudit / listAudit", () => {
  test("filters by action family, actor substring, entity and half-open date range", () => {
    const base = Date.UTC(2025, 0, 1);
    recordAudit(t.db, { actor: { label: "ann@example.com" }, action: "incident.update", entityType: "incident", entityId: 7, before: { trigger: "unknown" }, after: { trigger: "change" }, at: base });
    recordAudit(t.db, { actor: { label: "bob@example.com" }, action: "policy.update", entityType: "policy", at: base + 1000 });
    recordAudit(t.db, { actor: { label: "100%_sure" }, action: "incident.create", entityType: "incident", entityId: "8", at: base + 2000 });
    expect(listAudit(t.db, { action: "incident." })).toHaveLength(2);
    expect(listAudit(t.db, { action: "incident" })).toHaveLength(0);
    expect(listAudit(t.db, { actor: "ann" }).map((r) => r.action)).toEqual(["incident.update"]);
    expect(listAudit(t.db, { actor: "%" }).map((r) => r.actorLabel)).toEqual(["100%_sure"]);
    expect(listAudit(t.db, { entityType: "incident", entityId: "7" })[0].after).toEqual({ trigger: "change" });
    expect(listAudit(t.db, { from: base + 1000, to: base + 2000 }).map((r) => r.action)).toEqual(["policy.update"]);
    expect(t.db.select().from(auditLog).all()).toHaveLength(3);
  });

  test("a filter string with SQL syntax is data, not SQL", () => {
    recordAudit(t.db, { actor: { label: "ann" }, action: "x" });
    expect(listAudit(t.db, { actor: "' OR 1=1; DROP TABLE audit_log; --" })).toHaveLength(0);
    expect(listAudit(t.db)).toHaveLength(1);
  });
});
